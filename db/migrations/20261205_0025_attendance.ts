import { sql, type Kysely } from "kysely";

// DOC-9 (second half): a candidate's attendance at one entry's batch, recorded once (who, when, how).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attendance")
    .addColumn("entry_id", "integer", (c) => c.primaryKey().references("entry.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("batch_id", "integer", (c) => c.notNull().references("exam_batch.id").onDelete("cascade"))
    .addColumn("via", "text", (c) => c.notNull().check(sql`via in ('scan', 'manual')`))
    .addColumn("checked_in_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("checked_in_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("checked_in_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("attendance_batch").on("attendance").column("batch_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attendance").execute();
}
