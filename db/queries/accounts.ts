import type { Kysely, Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** Log in with e-mail or mobile number: e-mails compare case-insensitively. */
export function normaliseLogin(login: string): { email?: string; mobile?: string } {
  const s = login.trim().replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (s.includes("@")) return { email: s.toLowerCase() };
  return { mobile: s.replace(/[\s-]/g, "").replace(/^\+?86/, "") };
}

export async function findAccountByLogin(db: Q, login: string) {
  const { email, mobile } = normaliseLogin(login);
  let q = db.selectFrom("account").selectAll();
  if (email) q = q.where("email", "=", email);
  else if (mobile) q = q.where("mobile", "=", mobile);
  else return undefined;
  return q.executeTakeFirst();
}

export async function findAccountById(db: Q, id: string) {
  return db.selectFrom("account").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findMembership(db: Q, accountId: string, sittingId: number) {
  return db
    .selectFrom("membership")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
}

/** ORG-3: an account no longer bound to any organisation in the current sitting is a candidate again. */
export async function demoteIfUnbound(trx: Transaction<DB>, accountId: string, sittingId: number) {
  const left = await trx
    .selectFrom("membership")
    .select("id")
    .where("account_id", "=", accountId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
  if (!left) {
    await trx
      .updateTable("account")
      .set({ role: "candidate", updated_at: new Date() })
      .where("id", "=", accountId)
      .execute();
    await trx.deleteFrom("session").where("account_id", "=", accountId).execute();
  }
}

/** ORG-4: a membership of this organisation in this sitting. */
export async function findMemberOf(db: Q, orgId: number, sittingId: number, membershipId: number) {
  return db
    .selectFrom("membership")
    .selectAll()
    .where("id", "=", membershipId)
    .where("org_id", "=", orgId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
}
