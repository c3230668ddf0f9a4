import { sql, type Kysely } from "kysely";

// Issue 12 hardening: login throttling with growing delays (decision 0021) and an absolute session lifetime.
export async function up(db: Kysely<any>): Promise<void> {
  // The quiet period that forgets failures counts from the last one; `locked_until` is now "no password check before".
  await db.schema.alterTable("login_throttle").addColumn("last_failed_at", "timestamptz").execute();
  // SESSION_MAX_HOURS counts from here, however often the sliding expiry is renewed.
  await db.schema
    .alterTable("session")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("session").dropColumn("created_at").execute();
  await db.schema.alterTable("login_throttle").dropColumn("last_failed_at").execute();
}
