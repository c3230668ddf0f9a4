import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { normaliseAccountLogin } from "~/domain/account-lookup";
import type { AdminContext } from "~/utils/auth.server";
import { siteScope } from "./candidate-selection.server";

export type AccountLookupBy = "id" | "email" | "mobile";

/**
 * MGT-2 passport lookup (no window): the account of a candidate registered in the admin's scope, by
 * account id, e-mail or mobile. An account that has no registration in scope is "not found", so the
 * lookup cannot be used to probe who has an account.
 */
export async function findCandidateAccount(ctx: AdminContext, by: AccountLookupBy, raw: string) {
  const value = normaliseAccountLogin(by, raw);
  if (!value) throw new AppError("mgt.lookup_empty");
  const db = getDb();
  const sites = await siteScope(ctx);
  const row = await db
    .selectFrom("account as a")
    .innerJoin("registration as r", "r.account_id", "a.id")
    .innerJoin("org as o", "o.id", "r.org_id")
    .select([
      "a.id",
      "a.email",
      "a.mobile",
      "a.name as account_name",
      "a.created_at",
      "a.must_change_password",
      "r.id as registration_id",
      "r.name",
      "r.id_number",
      "o.code as site_code",
    ])
    .where(by === "id" ? "a.id" : by === "email" ? "a.email" : "a.mobile", "=", value)
    .where("r.sitting_id", "=", ctx.sitting.id)
    .where("r.org_id", "in", sites.length ? sites : [-1])
    .executeTakeFirst();
  if (!row) throw new AppError("mgt.lookup_not_found", {}, 404);
  return row;
}
