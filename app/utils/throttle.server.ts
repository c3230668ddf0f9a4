import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import {
  ACCOUNT_RULE, ADDRESS_RULE, attemptWaitMs, PAIR_RULE, recordFailure, throttleKeys,
  type ThrottleKeys, type ThrottleRule, type ThrottleState, type ThrottleStates,
} from "~/domain/login-throttle";

/**
 * Storage for the password-guess throttle (app/domain/login-throttle.ts) in `login_throttle`: one row per
 * key. Used by the login and by the current-password check of a password change.
 */
async function readStates(keys: ThrottleKeys): Promise<ThrottleStates> {
  const wanted = [keys.pair, keys.account, keys.address, keys.known].filter((k): k is string => k !== null);
  const rows = await getDb().selectFrom("login_throttle").selectAll().where("key", "in", wanted).execute();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const state = (key: string | null): ThrottleState | undefined => {
    const r = key ? byKey.get(key) : undefined;
    return r ? { failures: r.failures, lastFailedAt: r.last_failed_at ?? r.first_failed_at, nextAttemptAt: r.locked_until } : undefined;
  };
  const known = keys.known ? byKey.get(keys.known) : undefined;
  return { pair: state(keys.pair), account: state(keys.account), address: state(keys.address), knownSince: known?.first_failed_at };
}

async function writeFailure(key: string | null, state: ThrottleState | undefined, now: Date, rule: ThrottleRule) {
  if (!key) return;
  const next = recordFailure(state, now, rule);
  const values = { failures: next.failures, first_failed_at: next.failures === 1 ? now : (state?.lastFailedAt ?? now), last_failed_at: now, locked_until: next.nextAttemptAt };
  await getDb().insertInto("login_throttle").values({ key, ...values }).onConflict((oc) => oc.column("key").doUpdateSet(values)).execute();
}

export interface PasswordThrottle {
  /** How long this attempt must still wait before a password may be checked (0 = go ahead). */
  waitMs(): Promise<number>;
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

/** The wait as the user reads it: seconds, or minutes past 90 s. */
export function throttledError(ms: number): AppError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds > 90
    ? new AppError("auth.throttled_minutes", { minutes: Math.ceil(seconds / 60) }, 429)
    : new AppError("auth.throttled_seconds", { seconds }, 429);
}

/** One password attempt by `subject` (a normalised login, or an account id for a password change) from `ip`. */
export function passwordThrottle(scope: "login" | "password", subject: string, ip: string | null, now: Date): PasswordThrottle {
  const keys = throttleKeys(scope, subject, ip);
  let states: ThrottleStates | undefined;
  const load = async () => (states ??= await readStates(keys));
  return {
    async waitMs() {
      return attemptWaitMs(await load(), now);
    },
    async failed() {
      const s = await load();
      await writeFailure(keys.pair, s.pair, now, PAIR_RULE);
      await writeFailure(keys.account, s.account, now, ACCOUNT_RULE);
      await writeFailure(keys.address, s.address, now, ADDRESS_RULE);
    },
    async succeeded() {
      // The owner is in: their pair and the account-wide track start afresh; the address track (other
      // accounts' failures) stays. The pair becomes "known" (decision 0021).
      const clear = [keys.pair, keys.account].filter((k): k is string => k !== null);
      await getDb().deleteFrom("login_throttle").where("key", "in", clear).execute();
      if (keys.known) {
        const values = { failures: 0, first_failed_at: now, last_failed_at: null, locked_until: null };
        await getDb().insertInto("login_throttle").values({ key: keys.known, ...values }).onConflict((oc) => oc.column("key").doUpdateSet(values)).execute();
      }
    },
  };
}
