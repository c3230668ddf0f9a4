import type { Kysely, Transaction } from "kysely";
import type { DB, Sitting } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

export async function findCurrentSitting(db: Q): Promise<Sitting | undefined> {
  return db.selectFrom("sitting").selectAll().where("is_current", "=", true).executeTakeFirst();
}

export async function getCurrentSitting(db: Q): Promise<Sitting> {
  const s = await findCurrentSitting(db);
  if (!s) throw new Error("No current sitting");
  return s;
}

export async function findSittingById(db: Q, id: number) {
  return db.selectFrom("sitting").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listSittings(db: Q) {
  return db.selectFrom("sitting").selectAll().orderBy("starts_on", "desc").execute();
}
