/**
 * Password-guess throttling with growing delays (docs/decisions/0021-login-throttling.md). Pure: the
 * caller stores one state per key and asks, before checking a password, how long it must still wait.
 *
 * Three keys, each with its own rule:
 * - pair    (address + account): the attacker's own track; the delay grows to a long cap.
 * - account (any address):      a distributed attacker; the delay grows to a SHORT cap, so the owner
 *                               waits seconds, never a lock-out.
 * - address (any account):      password spraying from one address; many free failures (a school
 *                               behind one NAT address), short cap.
 * A pair that has logged in successfully before ("known") is held by its own pair rule only: an
 * attacker elsewhere cannot slow the owner down at the owner's usual address.
 * Refused attempts are not failures (they never reach the password check), so hammering during a
 * delay does not extend it.
 */
export interface ThrottleState {
  failures: number;
  lastFailedAt: Date;
  /** No password check before this instant. */
  nextAttemptAt: Date | null;
}

export interface ThrottleRule {
  /** Failures allowed without any delay. */
  free: number;
  /** Delay after the first failure beyond `free`; doubles with each further one. */
  baseMs: number;
  capMs: number;
  /** A quiet period this long forgets the failures. */
  forgetMs: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const PAIR_RULE: ThrottleRule = { free: 3, baseMs: 2 * SECOND, capMs: 15 * MINUTE, forgetMs: 24 * HOUR };
export const ACCOUNT_RULE: ThrottleRule = { free: 5, baseMs: 1 * SECOND, capMs: 30 * SECOND, forgetMs: 1 * HOUR };
export const ADDRESS_RULE: ThrottleRule = { free: 50, baseMs: 1 * SECOND, capMs: 10 * SECOND, forgetMs: 1 * HOUR };
/** How long a successful login makes its (address, account) pair "known". */
export const KNOWN_PAIR_MS = 30 * 24 * HOUR;

/** The delay imposed after `failures` failures in a row. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.capMs, rule.baseMs * 2 ** Math.min(failures - rule.free, 30));
}

function live(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): ThrottleState | undefined {
  if (!state) return undefined;
  return now.getTime() - state.lastFailedAt.getTime() > rule.forgetMs ? undefined : state;
}

/** Milliseconds before a password may be checked under this key (0 = now). */
export function waitMs(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): number {
  const s = live(state, now, rule);
  if (!s?.nextAttemptAt) return 0;
  return Math.max(0, s.nextAttemptAt.getTime() - now.getTime());
}

export function recordFailure(state: ThrottleState | undefined, now: Date, rule: ThrottleRule): ThrottleState {
  const failures = (live(state, now, rule)?.failures ?? 0) + 1;
  const delay = delayAfter(failures, rule);
  return { failures, lastFailedAt: now, nextAttemptAt: delay > 0 ? new Date(now.getTime() + delay) : null };
}

export interface ThrottleKeys {
  pair: string | null;
  account: string;
  address: string | null;
  known: string | null;
}

/** Storage keys for one login attempt. `login` is the normalised e-mail or mobile number (or an account id). */
export function throttleKeys(scope: "login" | "password", login: string, ip: string | null): ThrottleKeys {
  return {
    pair: ip ? `${scope}:pair:${ip}|${login}` : null,
    account: `${scope}:account:${login}`,
    address: ip ? `${scope}:address:${ip}` : null,
    known: ip ? `${scope}:known:${ip}|${login}` : null,
  };
}

export interface ThrottleStates {
  pair?: ThrottleState;
  account?: ThrottleState;
  address?: ThrottleState;
  /** When this pair last logged in successfully. */
  knownSince?: Date;
}

/** A pair that logged in successfully within KNOWN_PAIR_MS: held by its own pair track only. */
export function isKnownPair(knownSince: Date | undefined, now: Date): boolean {
  return knownSince !== undefined && now.getTime() - knownSince.getTime() <= KNOWN_PAIR_MS;
}

/** How long this attempt must wait; the longest of the rules that apply. */
export function attemptWaitMs(states: ThrottleStates, now: Date): number {
  const waits = [waitMs(states.pair, now, PAIR_RULE)];
  if (!isKnownPair(states.knownSince, now))
    waits.push(waitMs(states.account, now, ACCOUNT_RULE), waitMs(states.address, now, ADDRESS_RULE));
  return Math.max(...waits);
}
