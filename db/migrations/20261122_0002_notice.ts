import { sql, type Kysely } from "kysely";

// SET-7: one current notice per organisation (province or site) and sitting; saving replaces it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notice")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "text")
    .addPrimaryKeyConstraint("notice_pk", ["sitting_id", "org_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notice").execute();
}
