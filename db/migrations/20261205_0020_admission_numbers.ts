import { sql, type Kysely } from "kysely";

// ADM-1 (issue 16 item 4): an entry's admission number, unique in its sitting, and the serials a
// site has ever given (numbers are never reused).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("entry").addColumn("admission_no", "text").execute();
  await sql`create unique index entry_admission_no on entry (sitting_id, admission_no) where admission_no is not null`.execute(
    db,
  );
  await db.schema
    .alterTable("site_setting")
    .addColumn("admission_issued", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("admission_generated_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("site_setting")
    .dropColumn("admission_generated_at")
    .dropColumn("admission_issued")
    .execute();
  await sql`drop index if exists entry_admission_no`.execute(db);
  await db.schema.alterTable("entry").dropColumn("admission_no").execute();
}
