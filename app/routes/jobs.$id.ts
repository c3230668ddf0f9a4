import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import { isInScope } from "~/domain/org";
import { requireAccount } from "~/utils/auth.server";
import { findMembership } from "~db/queries/accounts";
import { getCurrentSitting } from "~db/queries/sittings";

/** job status for the progress component. Visible to the requester and to admins whose scope covers it (ORG-2). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const s = await requireAccount(request);
  const db = getDb();
  const job = await db.selectFrom("job").selectAll().where("id", "=", params.id ?? "").executeTakeFirst();
  if (!job) throw new Response("Not found", { status: 404 });
  let allowed = job.account_id === s.user.id;
  if (!allowed && s.user.role === "admin" && job.org_id !== null) {
    const m = await findMembership(db, s.user.id, (await getCurrentSitting(db)).id);
    allowed = !!m && isInScope(m.org_id, (await getOrgPath(db, job.org_id)).map((o) => o.id));
  }
  if (!allowed) throw new Response("Not found", { status: 404 });
  return Response.json({
    id: job.id, status: job.status, progress: job.progress, message: job.message, error: job.error, result: job.result,
  });
}
