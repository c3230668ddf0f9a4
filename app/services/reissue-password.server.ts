import { randomBytes } from "node:crypto";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { makeOneTimePassword } from "~/domain/password";
import { oneTimePasswordExpiry } from "~/domain/verification";
import { isLocale } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";
import { hashOneTimePassword } from "~/utils/password.server";
import { endAllSessions } from "~/utils/session.server";
import { recordAudit } from "./audit.server";
import { requireRegistrationInScope } from "./load-candidate-for-admin.server";
import { sendNotice } from "./verification-codes.server";
import { requireSite } from "~/utils/permissions.server";

/**
 * ORG-9 (issue 12 item 2): a site administrator issues a new one-time password for the account of
 * one of the site's own candidates, when the candidate cannot recover it with a code. Shown once to
 * the administrator; audited without the password; every session of the account ends; a new
 * password must be set at first login; the owner is told through the account's address.
 */
export async function reissueOneTimePassword(ctx: AdminContext, registrationId: number, now = new Date()) {
  // ORG-2: another branch's registration is refused (403) by the scope guard; a superior is not its site.
  const reg = await requireRegistrationInScope(ctx, registrationId);
  requireSite(ctx, "reissue.site_only");
  if (reg.org_id !== ctx.org.id) throw new AppError("reissue.site_only", {}, 403);
  if (!reg.account_id) throw new AppError("reissue.no_account", {}, 409);
  const db = getDb();
  const account = await db.selectFrom("account").selectAll().where("id", "=", reg.account_id).executeTakeFirst();
  // Only candidate accounts: an administrator's account is never the site's to reset.
  if (!account || account.role !== "candidate") throw new AppError("reissue.no_account", {}, 409);
  const password = makeOneTimePassword((n) => randomBytes(n));
  const passwordHash = await hashOneTimePassword(password);
  const expiresAt = oneTimePasswordExpiry(now);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("account")
      .set({
        password_hash: passwordHash,
        must_change_password: true,
        otp_expires_at: expiresAt,
        site_vouched_at: now,
        updated_at: now,
      })
      .where("id", "=", account.id)
      .execute();
    await endAllSessions(trx, account.id);
    await recordAudit(
      trx,
      { ...ctx.actor, orgId: reg.org_id },
      {
        action: "account.password_reissued",
        entityType: "account",
        entityId: account.id,
        orgId: reg.org_id,
        before: { must_change_password: account.must_change_password },
        after: {
          must_change_password: true,
          otp_expires_at: expiresAt.toISOString(),
          sessions_ended: true,
          registration: reg.id,
        },
      },
    );
  });
  const to = account.email
    ? { target: account.email, channel: "email" as const }
    : account.mobile
      ? { target: account.mobile, channel: "sms" as const }
      : null;
  if (to)
    await sendNotice(
      to,
      isLocale(account.locale) ? account.locale : "zh-CN",
      "msg.reissued.subject",
      "msg.reissued.body",
      { site: `(${ctx.org.code}) ${ctx.org.name}` },
    );
  return { password, login: account.email ?? account.mobile ?? "", expiresAt };
}
