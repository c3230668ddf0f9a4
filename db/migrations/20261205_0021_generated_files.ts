import { sql, type Kysely } from "kysely";

// ADM-2 and every document to come (issue 16 item 5): the latest generated file of each kind per
// site and sitting, with the version of the data it was made from (so the page can say it is stale).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("generated_file")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_id", "text", (c) => c.notNull().references("stored_file.id").onDelete("cascade"))
    .addColumn("inputs_version", "text", (c) => c.notNull())
    .addColumn("generated_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("generated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("generated_file_one_per_kind", ["sitting_id", "org_id", "kind"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("generated_file").execute();
}
