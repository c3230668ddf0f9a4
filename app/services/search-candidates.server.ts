import { getDb } from "~db/client";
import { listOrderedIds, searchRegistrations } from "~db/queries/candidate-search";
import { codeOptions, nameOf } from "~templates/code-tables";
import { BULK_LIMIT, paymentState } from "~/domain/candidate-management";
import { maskBirthDate, maskIdNumber } from "~/domain/id-number";
import { filterToParams, parseCandidateFilter, parseSort } from "~/schemas/candidate-filter";
import type { AdminContext } from "~/utils/auth.server";
import { canChange, getWindowView, requireOrgInScope, isSite } from "~/utils/permissions.server";
import { scopedFilter } from "./candidate-selection.server";
import { keepToken } from "~/utils/private-search.server";

export const PAGE_SIZE = 50;

/** MGT-1: one page of the candidate search for the admin's scope, with what the filter form offers. */
export async function searchCandidates(ctx: AdminContext, params: URLSearchParams) {
  const db = getDb();
  const filter = parseCandidateFilter(params);
  if (filter.site !== undefined) await requireOrgInScope(ctx, filter.site);
  const sort = parseSort(params);
  const page = Math.min(10_000, Math.max(1, Number(params.get("page") ?? 1) || 1));
  const scoped = await scopedFilter(ctx, filter);
  const [{ rows, total }, window, subjects, sites, dates] = await Promise.all([
    searchRegistrations(db, scoped, sort, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    getWindowView(ctx, "registration"),
    db
      .selectFrom("site_subject")
      .innerJoin("subject", "subject.code", "site_subject.subject_code")
      .select(["subject.code", "subject.name"])
      .distinct()
      .where("site_subject.sitting_id", "=", ctx.sitting.id)
      .where("site_subject.org_id", "in", scoped.siteIds.length ? scoped.siteIds : [-1])
      .orderBy("subject.code")
      .execute(),
    isSite(ctx)
      ? Promise.resolve([])
      : db
          .selectFrom("org")
          .select(["id", "code", "name"])
          .where("id", "in", scoped.siteIds.length ? scoped.siteIds : [-1])
          .orderBy("code")
          .execute(),
    db
      .selectFrom("preferred_date_quota")
      .select("exam_date")
      .distinct()
      .where("sitting_id", "=", ctx.sitting.id)
      .where("org_id", "in", scoped.siteIds.length ? scoped.siteIds : [-1])
      .orderBy("exam_date")
      .execute(),
  ]);
  return {
    filter,
    filterParams: filterToParams(filter).toString(),
    // for URLs (the export link): the ID number stays behind the request's token.
    urlParams: keepToken(filterToParams(filter), params).toString(),
    sort,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    limit: BULK_LIMIT,
    window,
    // MGT-2: the site acts on its candidates inside its registration window; superiors look.
    writable: isSite(ctx) && canChange(ctx, window),
    isSite: isSite(ctx),
    subjects,
    sites,
    dates: dates.map((d) => d.exam_date),
    codes: {
      idType: codeOptions("idType", ctx.locale),
      education: codeOptions("education", ctx.locale),
      ethnicity: codeOptions("ethnicity", ctx.locale),
    },
    // ID numbers are masked in lists.
    rows: rows.map((r) => ({
      id: r.id,
      site: `(${r.site_code}) ${r.site_name}`,
      channel: r.channel,
      name: r.name,
      gender: nameOf("gender", r.gender, ctx.locale),
      birth_date: maskBirthDate(r.birth_date),
      id_type: nameOf("idType", r.id_type, ctx.locale),
      id_number: maskIdNumber(r.id_number),
      ethnicity: nameOf("ethnicity", r.ethnicity, ctx.locale),
      class_name: r.class_name,
      locked: r.locked,
      review_status: r.review_status,
      review_failure_type: r.review_failure_type,
      preferred_date: r.preferred_date,
      registry: r.registry_candidate,
      has_photo: r.has_photo,
      entry_count: r.entry_count,
      subjects: r.subjects,
      payment: paymentState(r.entry_count, r.paid_count),
      created_at: new Date(r.created_at).toISOString(),
    })),
  };
}
export type CandidateSearchData = Awaited<ReturnType<typeof searchCandidates>>;

/** How far previous / next reaches through a result list (a reviewer works through one page of work). */
export const NEIGHBOUR_LIMIT = 10_000;

/**
 * MGT-1/MGT-4 (issue 15 item 3): where a candidate stands in the result list it was opened from, and
 * its neighbours, so a reviewer goes from one to the next without going back to the list.
 */
export async function neighboursInList(ctx: AdminContext, params: URLSearchParams, id: number) {
  const filter = parseCandidateFilter(params);
  if (filter.site !== undefined) await requireOrgInScope(ctx, filter.site);
  const ids = await listOrderedIds(getDb(), await scopedFilter(ctx, filter), parseSort(params), NEIGHBOUR_LIMIT);
  const i = ids.indexOf(id);
  if (i < 0) return null;
  return { position: i + 1, total: ids.length, prev: ids[i - 1] ?? null, next: ids[i + 1] ?? null };
}
