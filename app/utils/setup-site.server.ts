import { getDb } from "~db/client";
import { listOrgSubtree } from "~db/queries/orgs";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "./auth.server";
import { isSite, requireOrgInScope } from "./permissions.server";

/** A site a superior can pick, with the city it belongs to (for grouping 100 sites). */
export interface SetupSiteOption {
  id: number;
  code: string;
  name: string;
  city: { id: number; code: string; name: string } | null;
}

/**
 * The site a pre-registration page is about: a site admin's own; for a superior, the `?site=` it
 * picked among the sites of its scope (ORG-2), the first one by default.
 */
export async function resolveSetupSite(ctx: AdminContext, request: Request) {
  if (isSite(ctx)) {
    const own: SetupSiteOption = { id: ctx.org.id, code: ctx.org.code, name: ctx.org.name, city: null };
    return { site: ctx.org, sites: [own] };
  }
  const sites = await listSetupSites(ctx);
  const param = new URL(request.url).searchParams.get("site");
  const id = param ? Number(param) : sites[0]?.id;
  if (!id) throw new AppError("setup.no_sites", {}, 404);
  const site = await requireSetupSite(ctx, id);
  return { site, sites };
}

/** The sites of a superior's scope (ORG-2), each with its city. */
export async function listSetupSites(ctx: AdminContext): Promise<SetupSiteOption[]> {
  const orgs = await listOrgSubtree(getDb(), ctx.org.id, ctx.sitting.id);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return orgs
    .filter((o) => o.level === "site")
    .map((o) => {
      const parent = o.parent_id === null ? undefined : byId.get(o.parent_id);
      return {
        id: o.id,
        code: o.code,
        name: o.name,
        city: parent?.level === "city" ? { id: parent.id, code: parent.code, name: parent.name } : null,
      };
    });
}

/** A site of the actor's scope, or a refusal (a forged `?site=` or `?from=`). */
export async function requireSetupSite(ctx: AdminContext, id: number) {
  const path = await requireOrgInScope(ctx, id);
  const site = path[path.length - 1];
  if (site.level !== "site") throw new AppError("setup.not_a_site", {}, 400);
  return site;
}

/**
 * The sites a province's save applies to: the site on the page, then every site ticked under
 * "apply to other sites" (`also_site`) and every site of a ticked city (`also_city`, so that the
 * whole city works without script). Each is checked again by the service (ORG-2).
 */
export function targetSites(form: FormData, siteId: number, sites: readonly SetupSiteOption[]): number[] {
  const ids = (name: string) =>
    form
      .getAll(name)
      .map((v) => Number(v))
      .filter((n) => Number.isInteger(n) && n > 0);
  const cities = new Set(ids("also_city"));
  const out = new Set<number>([siteId, ...ids("also_site")]);
  for (const s of sites) if (s.city && cities.has(s.city.id)) out.add(s.id);
  return [...out];
}
