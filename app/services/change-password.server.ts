import { getDb } from "~db/client";
import { findAccountById } from "~db/queries/accounts";
import { AppError } from "~/domain/errors";
import { checkPasswordPolicy } from "~/domain/password";
import { hashPassword } from "~/utils/password.server";
import { recordAudit } from "./audit.server";
import { verifyCurrentPassword } from "./log-in.server";

/** ORG-9: also how a one-time password is replaced at first login. */
export async function changePassword(input: { accountId: string; current: string; next: string; ip: string | null }) {
  const db = getDb();
  const account = await findAccountById(db, input.accountId);
  if (!account) throw new AppError("auth.invalid", {}, 401);
  await verifyCurrentPassword(account, input.current, input.ip);
  // CAN-1/ORG-9: the policy knows whose password it is (no login, no name inside).
  const problem = checkPasswordPolicy(input.next, account);
  if (problem) throw new AppError(problem);
  if (input.next === input.current) throw new AppError("password.same");
  const password_hash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("account")
      .set({ password_hash, must_change_password: false, updated_at: new Date() })
      .where("id", "=", account.id)
      .execute();
    await recordAudit(
      trx,
      { accountId: account.id, name: account.name, orgId: null, sittingId: null, ip: input.ip },
      {
        action: "account.password_changed",
        entityType: "account",
        entityId: account.id,
        before: { must_change_password: account.must_change_password },
        after: { must_change_password: false },
      },
    );
  });
}
