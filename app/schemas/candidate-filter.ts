import { z } from "zod";
import { normaliseIdNumber } from "~/domain/id-number";
import { MAX_ROW_ID } from "~/domain/row-id";

/**
 * MGT-1: the candidate search, as URL parameters. One schema for the search page, the review page,
 * the export job and the "all results" bulk actions, so they always mean the same set.
 * A value that does not parse is dropped (an old bookmark never breaks the page).
 */
const text = z
  .string()
  .trim()
  .max(100)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined);
const code = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{1,10}$/)
  .optional()
  .catch(undefined);
const opt = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values as unknown as [T[number], ...T[number][]])
    .optional()
    .catch(undefined);

export const PAYMENT_FILTERS = ["all_paid", "partly_paid", "none_paid", "any_unpaid", "no_entries"] as const;
export const SORTS = ["created", "name", "id_number", "class", "site", "entries"] as const;

export const CandidateFilterSchema = z.object({
  name: text,
  idNumber: text.transform((v) => (v ? normaliseIdNumber(v) : undefined)),
  className: text,
  department: text,
  major: text,
  studentNo: text,
  phone: text,
  email: text,
  gender: code,
  idType: code,
  education: code,
  ethnicity: code,
  channel: opt(["online", "group"]),
  payment: opt(PAYMENT_FILTERS),
  locked: opt(["yes", "no"]),
  review: opt(["none", "pending", "passed", "failed"]),
  subject: code,
  entries: z.coerce.number().int().min(0).max(99).optional().catch(undefined),
  preferredDate: z
    .union([z.literal("none"), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)])
    .optional()
    .catch(undefined),
  photo: opt(["yes", "no"]),
  registry: opt(["registry", "public"]),
  /** A superior narrows its subtree to one site; the scope guard still applies. */
  site: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().catch(undefined),
});
export type CandidateFilter = z.infer<typeof CandidateFilterSchema>;
export const FILTER_KEYS = Object.keys(CandidateFilterSchema.shape) as (keyof CandidateFilter)[];

export const SortSchema = z.object({
  sort: opt(SORTS).transform((v) => v ?? "created"),
  dir: opt(["asc", "desc"]).transform((v) => v ?? "asc"),
});
export type CandidateSort = z.infer<typeof SortSchema>;

export function parseCandidateFilter(params: URLSearchParams): CandidateFilter {
  const raw: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v !== null && v !== "") raw[k] = v;
  }
  const f = CandidateFilterSchema.parse(raw);
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as CandidateFilter;
}

export function parseSort(params: URLSearchParams): CandidateSort {
  return SortSchema.parse({ sort: params.get("sort") ?? undefined, dir: params.get("dir") ?? undefined });
}

/** The filter back as URL parameters (for links, the export job and "all results" forms). */
export function filterToParams(f: CandidateFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k] !== undefined) p.set(k, String(f[k]));
  return p;
}
