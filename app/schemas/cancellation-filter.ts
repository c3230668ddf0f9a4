import { z } from "zod";
import { MAX_ROW_ID } from "~/domain/row-id";
import { normaliseIdNumber } from "~/domain/id-number";
import { parseWallClock } from "~/domain/windows";

/**
 * MGT-5: the cancellations search, as URL parameters (the page, its pager and the export job all
 * read the same set). A value that does not parse is dropped, as in the candidate search.
 */
const text = z
  .string()
  .trim()
  .max(100)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

export const CancellationFilterSchema = z.object({
  name: text,
  /** Contains, after the same normalisation the ID was stored with (CAN-3). */
  idNumber: text.transform((v) => (v ? normaliseIdNumber(v) || undefined : undefined)),
  className: text,
  subject: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{1,10}$/)
    .optional()
    .catch(undefined),
  /** Cancelled on or after this day, and on or before `to`, in the deployment's time zone. */
  from: day,
  to: day,
  /** A superior narrows its subtree to one site; the scope still applies. */
  site: z.coerce.number().int().positive().max(MAX_ROW_ID).optional().catch(undefined),
});
export type CancellationFilter = z.infer<typeof CancellationFilterSchema>;
export const CANCELLATION_FILTER_KEYS = Object.keys(CancellationFilterSchema.shape) as (keyof CancellationFilter)[];

export function parseCancellationFilter(params: URLSearchParams): CancellationFilter {
  const raw: Record<string, string> = {};
  for (const k of CANCELLATION_FILTER_KEYS) {
    const v = params.get(k);
    if (v !== null && v !== "") raw[k] = v;
  }
  const f = CancellationFilterSchema.parse(raw);
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as CancellationFilter;
}

export function cancellationFilterToParams(f: CancellationFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of CANCELLATION_FILTER_KEYS) if (f[k] !== undefined) p.set(k, String(f[k]));
  return p;
}

/** The day range as instants: [from 00:00, to + 1 day 00:00) in `timeZone`. */
export function cancelledRange(f: CancellationFilter, timeZone: string): { from?: Date; to?: Date } {
  const at = (d: string | undefined, plusDay: boolean) => {
    if (!d) return undefined;
    const start = parseWallClock(`${d} 00:00`, timeZone);
    return start ? new Date(start.getTime() + (plusDay ? 86_400_000 : 0)) : undefined;
  };
  return { from: at(f.from, false), to: at(f.to, true) };
}

/** The filter as the query takes it: text as it is, the day range as instants. */
export function cancellationQueryOf(f: CancellationFilter, timeZone: string) {
  const { from: _from, to: _to, ...rest } = f;
  return { ...rest, ...cancelledRange(f, timeZone) };
}
