import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { findRegistrationByAccount } from "~db/queries/registrations";
import { loadOffer } from "~/services/load-registration.server";
import { requireCandidate } from "~/utils/auth.server";

/** CAN-2: seats left at the candidate's site, polled by the entries page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const c = await requireCandidate(request);
  const reg = await findRegistrationByAccount(getDb(), c.sitting.id, c.accountId);
  const offer = reg ? await loadOffer(getDb(), c.sitting.id, reg.org_id) : [];
  return Response.json(
    { subjects: offer.map((o) => ({ code: o.code, left: o.left })) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
