import { randomUUID } from "node:crypto";
import { getDb } from "~db/client";
import { findAccountByLogin, normaliseLogin } from "~db/queries/accounts";
import { AppError } from "~/domain/errors";
import { isEmail, normalisePhone } from "~/domain/import-values";
import { checkPasswordPolicy } from "~/domain/password";
import { hashPassword } from "~/utils/password.server";
import { recordAudit } from "./audit.server";

/** CAN-1: anyone creates a candidate account with an e-mail or a mainland mobile number and a policy password. */
export async function signUp(input: { login: string; name: string; password: string; confirm: string; ip: string | null; locale?: string }) {
  const name = input.name.trim().replace(/\s+/g, " ");
  if (!name || name.length > 50) throw new AppError("signup.name_required");
  const n = normaliseLogin(input.login);
  const email = n.email && isEmail(n.email) ? n.email : null;
  const mobile = !email && n.mobile ? normalisePhone(n.mobile) : null;
  if (!email && !(mobile && /^1\d{10}$/.test(mobile))) throw new AppError("signup.login_format");
  const policy = checkPasswordPolicy(input.password);
  if (policy) throw new AppError(policy);
  if (input.password !== input.confirm) throw new AppError("password.mismatch");
  const hash = await hashPassword(input.password);
  const id = randomUUID();
  await getDb().transaction().execute(async (trx) => {
    // The unique indexes decide a race between two sign-ups with the same login.
    if (await findAccountByLogin(trx, email ?? mobile!)) throw new AppError("signup.taken");
    await trx.insertInto("account").values({ id, email, mobile, name, password_hash: hash, role: "candidate", locale: input.locale ?? "zh-CN" })
      .onConflict((oc) => oc.doNothing()).execute();
    const made = await trx.selectFrom("account").select("id").where("id", "=", id).executeTakeFirst();
    if (!made) throw new AppError("signup.taken");
    await recordAudit(trx, { accountId: id, name, orgId: null, sittingId: null, ip: input.ip }, {
      action: "account.sign_up", entityType: "account", entityId: id, after: { email, mobile, name },
    });
  });
  return { id };
}
