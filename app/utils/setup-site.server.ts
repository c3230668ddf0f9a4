import { getDb } from "~db/client";
import { listOrgSubtree } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "./auth.server";
import { isSite, requireOrgInScope } from "./permissions.server";

/**
 * The site a pre-registration page is about: a site admin's own; for a superior, the `?site=` it
 * picked among the sites of its scope (ORG-2), the first one by default.
 */
export async function resolveSetupSite(ctx: AdminContext, request: Request) {
  if (isSite(ctx)) return { site: ctx.org, sites: [{ id: ctx.org.id, code: ctx.org.code, name: ctx.org.name }] };
  const sites = (await listOrgSubtree(getDb(), ctx.org.id, ctx.sitting.id))
    .filter((o) => o.level === "site")
    .map((o) => ({ id: o.id, code: o.code, name: o.name }));
  const param = new URL(request.url).searchParams.get("site");
  const id = param ? Number(param) : sites[0]?.id;
  if (!id) throw new AppError("setup.no_sites", {}, 404);
  const path = await requireOrgInScope(ctx, id);
  const site = path[path.length - 1];
  if (site.level !== "site") throw new AppError("setup.not_a_site", {}, 400);
  return { site, sites };
}
