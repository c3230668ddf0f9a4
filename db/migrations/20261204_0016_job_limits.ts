import type { Kysely } from "kysely";

// Issue 13: every job counts its starts, so one that hung or crashed twice is not started a third time.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("job")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("job").dropColumn("attempts").execute();
}
