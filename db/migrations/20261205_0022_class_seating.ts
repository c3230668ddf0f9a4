import { sql, type Kysely } from "kysely";

// SCH-2's site option: classmates seated together or spread (issue 16 item 2).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("site_setting")
    .addColumn("class_seating", "text", (c) =>
      c
        .notNull()
        .defaultTo("together")
        .check(sql`class_seating in ('together', 'spread')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("site_setting").dropColumn("class_seating").execute();
}
