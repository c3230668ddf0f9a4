import type { Transaction } from "kysely";
import { getDb } from "~db/client";
import { countRegistrations, listRegistrationIds, type ScopedFilter } from "~db/queries/candidate-search";
import { listSubtreeSiteIds } from "~db/queries/orgs";
import type { DB } from "~db/schema";
import { BULK_LIMIT, bulkSizeRefusal } from "~/domain/candidate-management";
import { AppError } from "~/domain/errors";
import { isRowId } from "~/domain/row-id";
import { parseCandidateFilter, type CandidateFilter } from "~/schemas/candidate-filter";
import type { AdminContext } from "~/utils/auth.server";
import { isSite } from "~/utils/permissions.server";

/** ORG-2: the sites an administrator's searches cover (its own subtree), in the viewed sitting. */
export async function siteScope(ctx: AdminContext): Promise<number[]> {
  return isSite(ctx) ? [ctx.org.id] : listSubtreeSiteIds(getDb(), ctx.org.id);
}

export async function scopedFilter(ctx: AdminContext, filter: CandidateFilter): Promise<ScopedFilter> {
  return { ...filter, sittingId: ctx.sitting.id, siteIds: await siteScope(ctx) };
}

/**
 * What a bulk action applies to: the rows ticked on the page, or every result of the search the
 * user saw (with the count they confirmed, so a search that changed meanwhile is not acted on blindly).
 */
export type Selection =
  { mode: "selected"; ids: number[] } | { mode: "all"; filter: CandidateFilter; confirmedCount: number };

export function parseSelection(form: FormData): Selection {
  if (form.get("scope") === "all") {
    return {
      mode: "all",
      filter: parseCandidateFilter(new URLSearchParams(String(form.get("filter") ?? ""))),
      confirmedCount: Number(form.get("count") ?? -1),
    };
  }
  const ids = form.getAll("ids").map(Number).filter(isRowId);
  return { mode: "selected", ids: [...new Set(ids)] };
}

/** The registration ids of a selection, checked for scope (ORG-2) and size (MGT-2's 3,000). */
export async function resolveSelection(trx: Transaction<DB>, ctx: AdminContext, sel: Selection): Promise<number[]> {
  if (sel.mode === "selected") {
    const refusal = bulkSizeRefusal(sel.ids.length);
    if (refusal) throw new AppError(refusal, { limit: BULK_LIMIT, count: sel.ids.length });
    const ids = await listRegistrationIds(trx, { ...(await scopedFilter(ctx, {})), ids: sel.ids }, BULK_LIMIT);
    const missing = sel.ids.filter((id) => !ids.includes(id));
    if (missing.length) {
      // Gone since the page was drawn (a hold ran out): skip it. Still there but not ours: another site's data.
      const foreign = await trx
        .selectFrom("registration")
        .select("id")
        .where("id", "in", missing)
        .limit(1)
        .executeTakeFirst();
      if (foreign) throw new AppError("scope.denied", {}, 403);
    }
    return ids;
  }
  const f = await scopedFilter(ctx, sel.filter);
  const n = await countRegistrations(trx, f);
  if (n !== sel.confirmedCount) throw new AppError("mgt.count_changed", { count: n });
  const refusal = bulkSizeRefusal(n);
  if (refusal) throw new AppError(refusal, { limit: BULK_LIMIT, count: n });
  // Rows added between the count and the list are not acted on blindly.
  return (await listRegistrationIds(trx, f, BULK_LIMIT)).slice(0, n);
}

/** What a bulk action reports: how many it changed, and each candidate it left alone with why. */
export interface BulkOutcome {
  done: number;
  skipped: Array<{ id: number; name: string; reason: string }>;
}
