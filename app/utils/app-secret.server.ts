import { randomBytes } from "node:crypto";
import { getDb } from "~db/client";

const kept = new Map<string, Promise<string>>();

/**
 * A deployment secret kept with the data (the `app_secret` table, decision 0035): made once, on
 * first use, 32 random bytes; every app process reads the same row. Callers prefer the
 * environment's value when the deployment gives one (CARD_TOKEN_SECRET, ONE_TIME_PASSWORD_SECRET).
 */
export function keptSecret(name: string): Promise<string> {
  let secret = kept.get(name);
  if (!secret) {
    secret = (async () => {
      const db = getDb();
      await db
        .insertInto("app_secret")
        .values({ name, value: randomBytes(32).toString("base64url") })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("app_secret").select("value").where("name", "=", name).executeTakeFirstOrThrow();
      return row.value;
    })().catch((e: unknown) => {
      kept.delete(name); // a database hiccup is not remembered
      throw e;
    });
    kept.set(name, secret);
  }
  return secret;
}
