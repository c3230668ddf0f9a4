import { sql, type Kysely } from "kysely";

// WIN-5 (issue 15 item 5): an organisation whose window has closed asks its superior for more time in
// one click; the superior approves (the window is extended, audited) or declines, with a note.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("window_extension_request")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("wanted_until", "timestamptz")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending','approved','declined')`),
    )
    .addColumn("requested_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("requested_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decided_by_name", "text")
    .addColumn("decided_at", "timestamptz")
    .addColumn("decision_note", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  // One open request per organisation, window and sitting: asking again updates it.
  await sql`create unique index window_extension_one_pending on window_extension_request (sitting_id, org_id, kind) where status = 'pending'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("window_extension_request").execute();
}
