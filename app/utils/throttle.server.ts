import { sql } from "kysely";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  attemptWaitMs,
  isKnownPair,
  PAIR_RULE,
  recordFailure,
  throttleKeys,
  type ThrottleKeys,
  type ThrottleRule,
  type ThrottleState,
  type ThrottleStates,
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
    return r
      ? { failures: r.failures, lastFailedAt: r.last_failed_at ?? r.first_failed_at, nextAttemptAt: r.locked_until }
      : undefined;
  };
  const known = keys.known ? byKey.get(keys.known) : undefined;
  return {
    pair: state(keys.pair),
    account: state(keys.account),
    address: state(keys.address),
    knownSince: known?.first_failed_at,
  };
}

/**
 * One failure under `key`. Counted in the database (`failures + 1`), so failures written at the same time
 * all count (the address track is not claimed); the delay is the domain's (recordFailure). On a claimed key the claim ends here; on the address key a longer
 * delay written meanwhile stays.
 */
async function writeFailure(key: string | null, now: Date, rule: ThrottleRule, claimed: boolean) {
  if (!key) return;
  // The domain's forgetting (a quiet period of rule.forgetMs since the last failure), said in SQL.
  const forgotten = sql<boolean>`coalesce(login_throttle.last_failed_at, login_throttle.first_failed_at) < ${new Date(now.getTime() - rule.forgetMs)}`;
  const row = await getDb()
    .insertInto("login_throttle")
    .values({ key, failures: 1, first_failed_at: now, last_failed_at: now, locked_until: null })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        failures: sql<number>`case when ${forgotten} then 1 else login_throttle.failures + 1 end`,
        first_failed_at: sql<Date>`case when ${forgotten} then ${now} else login_throttle.first_failed_at end`,
        last_failed_at: now,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  const next = recordFailure(
    { failures: row.failures - 1, lastFailedAt: now, nextAttemptAt: null },
    now,
    rule,
  ).nextAttemptAt;
  if (claimed) {
    await getDb().updateTable("login_throttle").set({ locked_until: next }).where("key", "=", key).execute();
  } else if (next) {
    await getDb()
      .updateTable("login_throttle")
      .set({ locked_until: sql<Date>`greatest(locked_until, ${next})` })
      .where("key", "=", key)
      .execute();
  }
}

/** How long an attempt holds its claim while the password is checked (released when it ends). */
const CLAIM_MS = 10_000;

class Busy extends Error {}

/**
 * Claims the keys for this attempt, atomically: a key already held (by a delay or by an attempt in
 * progress) refuses it. Without the claim, guesses sent in parallel would all pass the check before
 * any of them is recorded as a failure.
 */
async function claim(keys: string[], now: Date): Promise<boolean> {
  const until = new Date(now.getTime() + CLAIM_MS);
  try {
    await getDb()
      .transaction()
      .execute(async (trx) => {
        for (const key of keys) {
          const row = await trx
            .insertInto("login_throttle")
            .values({ key, failures: 0, first_failed_at: now, last_failed_at: null, locked_until: until })
            .onConflict((oc) =>
              oc
                .column("key")
                .doUpdateSet({ locked_until: until })
                .where((eb) =>
                  eb.or([eb("login_throttle.locked_until", "is", null), eb("login_throttle.locked_until", "<=", now)]),
                ),
            )
            .returning("key")
            .executeTakeFirst();
          if (!row) throw new Busy();
        }
      });
    return true;
  } catch (e) {
    if (e instanceof Busy) return false;
    throw e;
  }
}

export interface PasswordThrottle {
  /**
   * How long this attempt must still wait before a password may be checked; 0 = go ahead, the attempt
   * now holds its claim until `failed` or `succeeded`.
   */
  begin(): Promise<number>;
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
export function passwordThrottle(
  scope: "login" | "password",
  subject: string,
  ip: string | null,
  now: Date,
): PasswordThrottle {
  const keys = throttleKeys(scope, subject, ip);
  let states: ThrottleStates | undefined;
  let claimedAccount = true;
  const load = async () => (states ??= await readStates(keys));
  return {
    async begin() {
      const s = await load();
      const wait = attemptWaitMs(s, now);
      if (wait > 0) return wait;
      // A known pair is held by its own track only (decision 0021), so it claims only that one.
      claimedAccount = !(keys.pair !== null && isKnownPair(s.knownSince, now));
      const claimed = [keys.pair, claimedAccount ? keys.account : null].filter((k): k is string => k !== null);
      return (await claim(claimed, now)) ? 0 : 1_000;
    },
    async failed() {
      await writeFailure(keys.pair, now, PAIR_RULE, true);
      await writeFailure(keys.account, now, ACCOUNT_RULE, claimedAccount);
      await writeFailure(keys.address, now, ADDRESS_RULE, false);
    },
    async succeeded() {
      // The owner is in: their pair and the account-wide track start afresh; the address track (other
      // accounts' failures) stays. The pair becomes "known" (decision 0021).
      const clear = [keys.pair, keys.account].filter((k): k is string => k !== null);
      await getDb().deleteFrom("login_throttle").where("key", "in", clear).execute();
      if (keys.known) {
        const values = { failures: 0, first_failed_at: now, last_failed_at: null, locked_until: null };
        await getDb()
          .insertInto("login_throttle")
          .values({ key: keys.known, ...values })
          .onConflict((oc) => oc.column("key").doUpdateSet(values))
          .execute();
      }
    },
  };
}
