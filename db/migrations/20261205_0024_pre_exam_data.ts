import { sql, type Kysely } from "kysely";

// DOC-7: a room's seats per row (null: the default from its seat count, app/domain/room-sheets.ts).
// DOC-8: a site's CBT mock-exam reports and CBT exception files, each an uploaded .zip with its status.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("room")
    .addColumn("seat_columns", "integer", (c) => c.check(sql`seat_columns between 1 and 99`))
    .execute();
  await db.schema
    .createTable("cbt_upload")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('mock_report', 'exception')`))
    .addColumn("file_id", "text", (c) => c.notNull().references("stored_file.id"))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    // mock_report: generating → done (or failed); exception: not_started → processing → done.
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('generating', 'done', 'failed', 'not_started', 'processing')`),
    )
    .addColumn("report", "jsonb")
    // The site's description of the file, and the handler's note (an exception file's superiors).
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("handling_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("uploaded_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("uploaded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("status_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("cbt_upload_site").on("cbt_upload").columns(["sitting_id", "org_id", "kind"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("cbt_upload").execute();
  await db.schema.alterTable("room").dropColumn("seat_columns").execute();
}
