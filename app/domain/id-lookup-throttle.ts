/**
 * SR-6/X-4: ID-number look-ups per account (the site list's eligibility answer, the pre-fill, a
 * registration saved under a new ID number). A candidate needs a handful; someone probing the
 * registry for other people's numbers needs many. Pure: the caller stores the state.
 */
export interface LookupWindow {
  windowStart: Date;
  count: number;
}

export const ID_LOOKUP_LIMIT = { max: 10, windowMs: 60 * 60_000 };

export type LookupDecision = { allowed: true; next: LookupWindow } | { allowed: false; retryAt: Date };

/** One more look-up at `now`: allowed (and counted) while fewer than `max` fall in the current window. */
export function takeLookup(state: LookupWindow | undefined, now: Date, limit = ID_LOOKUP_LIMIT): LookupDecision {
  const fresh = !state || now.getTime() - state.windowStart.getTime() >= limit.windowMs;
  if (fresh) return { allowed: true, next: { windowStart: now, count: 1 } };
  if (state.count >= limit.max)
    return { allowed: false, retryAt: new Date(state.windowStart.getTime() + limit.windowMs) };
  return { allowed: true, next: { windowStart: state.windowStart, count: state.count + 1 } };
}
