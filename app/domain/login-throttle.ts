/**
 * Failed-login throttling, per account and per IP. Pure: the caller stores the state.
 * Within `windowMs` after the first failure, reaching `maxFailures` locks the key for `lockMs`.
 */
export interface ThrottleState {
  failures: number;
  firstFailedAt: Date;
  lockedUntil: Date | null;
}

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const ACCOUNT_LIMITS: ThrottleLimits = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const IP_LIMITS: ThrottleLimits = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export function lockedUntil(state: ThrottleState | undefined, now: Date): Date | null {
  if (!state?.lockedUntil) return null;
  return state.lockedUntil > now ? state.lockedUntil : null;
}

export function recordFailure(state: ThrottleState | undefined, now: Date, limits: ThrottleLimits): ThrottleState {
  const fresh = !state || now.getTime() - state.firstFailedAt.getTime() > limits.windowMs ||
    (state.lockedUntil !== null && state.lockedUntil <= now);
  const failures = fresh ? 1 : state.failures + 1;
  const firstFailedAt = fresh ? now : state.firstFailedAt;
  return {
    failures,
    firstFailedAt,
    lockedUntil: failures >= limits.maxFailures ? new Date(now.getTime() + limits.lockMs) : null,
  };
}
