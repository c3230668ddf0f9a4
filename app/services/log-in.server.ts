import { getDb } from "~db/client";
import { findAccountByLogin, normaliseLogin } from "~db/queries/accounts";
import { AppError } from "~/domain/errors";
import { ACCOUNT_LIMITS, IP_LIMITS, lockedUntil, recordFailure, type ThrottleLimits, type ThrottleState } from "~/domain/login-throttle";
import { burnVerify, verifyPassword } from "~/utils/password.server";
import { recordAudit } from "./audit.server";

async function readThrottle(key: string): Promise<ThrottleState | undefined> {
  const row = await getDb().selectFrom("login_throttle").selectAll().where("key", "=", key).executeTakeFirst();
  return row ? { failures: row.failures, firstFailedAt: row.first_failed_at, lockedUntil: row.locked_until } : undefined;
}

async function writeFailure(key: string, now: Date, limits: ThrottleLimits) {
  const next = recordFailure(await readThrottle(key), now, limits);
  await getDb()
    .insertInto("login_throttle")
    .values({ key, failures: next.failures, first_failed_at: next.firstFailedAt, locked_until: next.lockedUntil })
    .onConflict((oc) => oc.column("key").doUpdateSet({ failures: next.failures, first_failed_at: next.firstFailedAt, locked_until: next.lockedUntil }))
    .execute();
}

/** Log in with e-mail or mobile number; failures are throttled per account and per IP. */
export async function logIn(input: { login: string; password: string; ip: string | null; now?: Date }) {
  const now = input.now ?? new Date();
  const n = normaliseLogin(input.login);
  const accountKey = `login:${n.email ?? n.mobile ?? ""}`;
  const ipKey = input.ip ? `ip:${input.ip}` : null;
  const locks = [lockedUntil(await readThrottle(accountKey), now), ipKey ? lockedUntil(await readThrottle(ipKey), now) : null];
  const until = locks.filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
  if (until) throw new AppError("auth.locked", { minutes: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000)) }, 429);

  const account = await findAccountByLogin(getDb(), input.login);
  const ok = account ? await verifyPassword(account.password_hash, input.password) : (await burnVerify(input.password), false);
  if (!account || !ok) {
    await writeFailure(accountKey, now, ACCOUNT_LIMITS);
    if (ipKey) await writeFailure(ipKey, now, IP_LIMITS);
    throw new AppError("auth.invalid", {}, 401);
  }
  await getDb().deleteFrom("login_throttle").where("key", "=", accountKey).execute();
  await recordAudit(getDb(), { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: input.ip }, {
    action: "account.login", entityType: "account", entityId: account.id,
  });
  return account;
}
