import { randomUUID } from "node:crypto";
import { getDb } from "~db/client";
import { findAccountByLogin } from "~db/queries/accounts";
import { AppError } from "~/domain/errors";
import { checkPasswordPolicy } from "~/domain/password";
import { isProvenAccount, maskTarget } from "~/domain/verification";
import { isLocale, type Locale } from "~/i18n";
import { hashPassword } from "~/utils/password.server";
import { endAllSessions } from "~/utils/session.server";
import { recordAudit } from "./audit.server";
import {
  checkCode,
  checkSendLimits,
  codeMessage,
  consumeCode,
  issueCode,
  parseTarget,
  sendNotice,
} from "./verification-codes.server";

/**
 * CAN-1 step 1: anyone asks for a candidate account with an e-mail or a mainland mobile number and
 * a policy password. Nothing is created yet: a code goes to the address, and the account exists
 * once it is entered (`finishSignUp`). The answer is the same whether the address already has an
 * account or not: an address with a proven owner gets a notice instead of a code (and the code
 * kept for the ticket is never sent), so sign-up cannot be used to learn who has an account.
 */
export async function startSignUp(input: {
  login: string;
  name: string;
  password: string;
  confirm: string;
  ip: string | null;
  locale?: string;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const locale: Locale = input.locale && isLocale(input.locale) ? input.locale : "zh-CN";
  const name = input.name.trim().replace(/\s+/g, " ");
  if (!name || name.length > 50) throw new AppError("signup.name_required");
  const to = parseTarget(input.login);
  const policy = checkPasswordPolicy(input.password, { email: to.email, mobile: to.mobile, name });
  if (policy) throw new AppError(policy);
  if (input.password !== input.confirm) throw new AppError("password.mismatch");
  await checkSendLimits(to.target, input.ip, now);

  // Hashed in every case, so the answer takes as long whatever the address.
  const passwordHash = await hashPassword(input.password);
  const existing = await findAccountByLogin(getDb(), to.target);
  // An administrator's address is never a candidate's to claim, proven or not.
  const owned = existing !== undefined && (isProvenAccount(existing) || existing.role !== "candidate");
  const { ticket } = await issueCode({
    purpose: "signup",
    to,
    accountId: null,
    ip: input.ip,
    now,
    payload: { name, password_hash: passwordHash, locale },
    message: owned ? null : codeMessage(locale, "msg.signup.subject", "msg.signup.body"),
  });
  if (owned)
    await sendNotice(
      to,
      isLocale(existing.locale) ? existing.locale : locale,
      "msg.signup_existing.subject",
      "msg.signup_existing.body",
      { target: maskTarget(to.target) },
    );
  return { ticket, sentTo: maskTarget(to.target) };
}

/**
 * CAN-1 step 2: the code proves the address, and the account is created as proven. An address
 * held by an unproven account (a sign-up from before codes existed) goes to whoever proves it: its
 * password and name are replaced and its sessions ended (decision 0019).
 */
export async function finishSignUp(input: {
  ticket: string;
  code: string;
  ip: string | null;
  now?: Date;
}): Promise<{ id: string }> {
  const now = input.now ?? new Date();
  const code = await checkCode(input.ticket, "signup", input.code, now);
  const p = code.payload as { name: string; password_hash: string; locale: Locale };
  const proven = code.channel === "email" ? { email_verified_at: now } : { mobile_verified_at: now };
  return getDb()
    .transaction()
    .execute(async (trx) => {
      if (!(await consumeCode(trx, code.id, now))) throw new AppError("verify.code_wrong");
      const existing = await findAccountByLogin(trx, code.target);
      // Proven by someone else meanwhile: this code no longer entitles anyone to the address.
      if (existing && (isProvenAccount(existing) || existing.role !== "candidate"))
        throw new AppError("verify.code_wrong");
      const id = existing?.id ?? randomUUID();
      const email = code.channel === "email" ? code.target : null;
      const mobile = code.channel === "sms" ? code.target : null;
      if (existing) {
        await trx
          .updateTable("account")
          .set({
            name: p.name,
            password_hash: p.password_hash,
            must_change_password: false,
            otp_expires_at: null,
            locale: p.locale,
            updated_at: now,
            ...proven,
          })
          .where("id", "=", id)
          .execute();
        await endAllSessions(trx, id);
      } else {
        const made = await trx
          .insertInto("account")
          .values({
            id,
            email,
            mobile,
            name: p.name,
            password_hash: p.password_hash,
            role: "candidate",
            locale: p.locale,
            ...proven,
          })
          .onConflict((oc) => oc.doNothing())
          .returning("id")
          .executeTakeFirst();
        // The unique indexes decide a race between two codes for the same address.
        if (!made) throw new AppError("verify.code_wrong");
      }
      await recordAudit(
        trx,
        { accountId: id, name: p.name, orgId: null, sittingId: null, ip: input.ip },
        {
          action: existing ? "account.claimed" : "account.sign_up",
          entityType: "account",
          entityId: id,
          before: existing ? { proven: false } : undefined,
          after: { proven: code.channel, name: p.name },
        },
      );
      return { id };
    });
}
