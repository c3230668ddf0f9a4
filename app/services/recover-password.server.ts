import { getDb } from "~db/client";
import { findAccountById, findAccountByLogin } from "~db/queries/accounts";
import { AppError } from "~/domain/errors";
import { checkPasswordPolicy } from "~/domain/password";
import { maskTarget } from "~/domain/verification";
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
 * CAN-1/ORG-9 recovery, step 1: a code to the e-mail or mobile typed, when an account has it. The
 * answer is the same when none has (the ticket then holds a code that is never sent), so the form
 * reveals nothing about who has an account.
 */
export async function startRecovery(input: { login: string; ip: string | null; locale?: string; now?: Date }) {
  const now = input.now ?? new Date();
  const to = parseTarget(input.login);
  await checkSendLimits(to.target, input.ip, now);
  const account = await findAccountByLogin(getDb(), to.target);
  const locale: Locale =
    account && isLocale(account.locale)
      ? account.locale
      : input.locale && isLocale(input.locale)
        ? input.locale
        : "zh-CN";
  const { ticket } = await issueCode({
    purpose: "recover",
    to,
    accountId: account?.id ?? null,
    ip: input.ip,
    now,
    message: account ? codeMessage(locale, "msg.recover.subject", "msg.recover.body") : null,
  });
  return { ticket, sentTo: maskTarget(to.target) };
}

/**
 * Step 2: the code and a new password meeting the policy. Entering the code proves the address
 * (it is marked so); every session of the account ends; the owner is told; it is audited.
 */
export async function finishRecovery(input: {
  ticket: string;
  code: string;
  password: string;
  confirm: string;
  ip: string | null;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  if (input.password !== input.confirm) throw new AppError("password.mismatch");
  const code = await checkCode(input.ticket, "recover", input.code, now);
  const account = code.account_id ? await findAccountById(getDb(), code.account_id) : undefined;
  if (!account) throw new AppError("verify.code_wrong");
  const policy = checkPasswordPolicy(input.password, account);
  if (policy) throw new AppError(policy);
  const passwordHash = await hashPassword(input.password);
  const proven =
    code.channel === "email"
      ? { email_verified_at: account.email_verified_at ?? now }
      : { mobile_verified_at: account.mobile_verified_at ?? now };
  await getDb()
    .transaction()
    .execute(async (trx) => {
      if (!(await consumeCode(trx, code.id, now))) throw new AppError("verify.code_wrong");
      await trx
        .updateTable("account")
        .set({
          password_hash: passwordHash,
          must_change_password: false,
          otp_expires_at: null,
          updated_at: now,
          ...proven,
        })
        .where("id", "=", account.id)
        .execute();
      // Whoever held a session (the owner's other devices, or someone who had the old password) is out.
      await endAllSessions(trx, account.id);
      await recordAudit(
        trx,
        { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: input.ip },
        {
          action: "account.password_recovered",
          entityType: "account",
          entityId: account.id,
          before: { must_change_password: account.must_change_password },
          after: { must_change_password: false, sessions_ended: true, proven: code.channel },
        },
      );
    });
  await sendNotice(
    { target: code.target, channel: code.channel },
    isLocale(account.locale) ? account.locale : "zh-CN",
    "msg.recovered.subject",
    "msg.recovered.body",
  );
  return { accountId: account.id };
}
