import { getDb } from "~db/client";
import { findAccountByLogin, findMembership, normaliseLogin } from "~db/queries/accounts";
import { getCurrentSitting } from "~db/queries/sittings";
import { maskEmail, maskMobile } from "~/domain/account-lookup";
import { AppError } from "~/domain/errors";
import { oneTimePasswordExpired } from "~/domain/verification";
import { burnVerify, verifyPassword } from "~/utils/password.server";
import { passwordThrottle, throttledError } from "~/utils/throttle.server";
import { recordAudit, type Actor } from "./audit.server";

/** who tried, as far as the log may say: the login masked, never the password. */
function maskedLogin(n: { email?: string; mobile?: string }): string {
  return n.email ? maskEmail(n.email) : maskMobile(n.mobile ?? "");
}

/**
 * an attempt on an administrator's account is filed under that account's organisation, so the
 * administrators whose scope covers it see it in their log; other attempts stay unfiled.
 */
async function attemptActor(
  account: { id: string; role: string } | undefined,
  name: string,
  ip: string | null,
): Promise<Actor> {
  if (account?.role !== "admin") return { accountId: null, name, orgId: null, sittingId: null, ip };
  const sitting = await getCurrentSitting(getDb());
  const m = await findMembership(getDb(), account.id, sitting.id);
  return { accountId: null, name, orgId: m?.org_id ?? null, sittingId: m ? sitting.id : null, ip };
}

/**
 * Log in with e-mail or mobile number. Wrong passwords are throttled with growing delays per
 * (address, account), per account and per address (decision 0021: an attacker slows down, the owner
 * still gets in); failures and refusals are audited.
 */
export async function logIn(input: { login: string; password: string; ip: string | null; now?: Date }) {
  const now = input.now ?? new Date();
  const n = normaliseLogin(input.login);
  const throttle = passwordThrottle("login", n.email ?? n.mobile ?? "", input.ip, now);
  const masked = maskedLogin(n);

  const wait = await throttle.begin();
  if (wait > 0) {
    const account = await findAccountByLogin(getDb(), input.login);
    await recordAudit(getDb(), await attemptActor(account, masked, input.ip), {
      action: "account.login_throttled",
      entityType: "account",
      entityId: account?.id ?? "",
      after: { login_masked: masked, wait_seconds: Math.ceil(wait / 1000) },
    });
    throw throttledError(wait);
  }

  const account = await findAccountByLogin(getDb(), input.login);
  const ok = account
    ? await verifyPassword(account.password_hash, input.password)
    : (await burnVerify(input.password), false);
  if (!account || !ok) {
    await throttle.failed();
    await recordAudit(getDb(), await attemptActor(account, masked, input.ip), {
      action: "account.login_failed",
      entityType: "account",
      entityId: account?.id ?? "",
      after: { login_masked: masked, reason: account ? "wrong_password" : "no_such_account" },
    });
    throw new AppError("auth.invalid", {}, 401);
  }
  await throttle.succeeded();
  // ORG-9: a one-time password is good for 14 days; after that only the site can issue a new one
  // (said only to whoever typed it right, so it tells a guesser nothing).
  if (oneTimePasswordExpired(account, now)) {
    await recordAudit(
      getDb(),
      { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: input.ip },
      {
        action: "account.login_otp_expired",
        entityType: "account",
        entityId: account.id,
      },
    );
    throw new AppError("auth.otp_expired", {}, 401);
  }
  await recordAudit(
    getDb(),
    { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: input.ip },
    {
      action: "account.login",
      entityType: "account",
      entityId: account.id,
    },
  );
  return account;
}

/**
 * The current-password check before a password change, throttled like a login (its own track per
 * account): a borrowed or stolen session cannot be used to guess the password. Failures and refusals
 * are audited.
 */
export async function verifyCurrentPassword(
  account: { id: string; name: string; password_hash: string },
  current: string,
  ip: string | null,
  now = new Date(),
): Promise<void> {
  const throttle = passwordThrottle("password", account.id, ip, now);
  const actor: Actor = { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip };
  const wait = await throttle.begin();
  if (wait > 0) {
    await recordAudit(getDb(), actor, {
      action: "account.password_check_throttled",
      entityType: "account",
      entityId: account.id,
      after: { wait_seconds: Math.ceil(wait / 1000) },
    });
    throw throttledError(wait);
  }
  if (!(await verifyPassword(account.password_hash, current))) {
    await throttle.failed();
    await recordAudit(getDb(), actor, {
      action: "account.password_check_failed",
      entityType: "account",
      entityId: account.id,
    });
    throw new AppError("password.current_wrong");
  }
  await throttle.succeeded();
}
