import { sql, type Kysely } from "kysely";

// VIO-1 (issue 19 item 2): a candidate's absence or violation at one entry (one subject), at most one
// per entry. `source` says how it came (typed, imported, a batch's roll call, the score file); a roll
// call's absences keep their batch so that the roll call can be undone as one step.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("violation")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("entry_id", "integer", (c) => c.notNull().unique().references("entry.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('absent', 'misconduct', 'cheating', 'other')`))
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) =>
      c.notNull().check(sql`source in ('manual', 'import', 'roll_call', 'score_file')`),
    )
    .addColumn("roll_call_batch_id", "integer", (c) => c.references("exam_batch.id").onDelete("set null"))
    .addColumn("created_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("violation_site").on("violation").columns(["sitting_id", "org_id"]).execute();
  await db.schema.createIndex("violation_roll_call").on("violation").column("roll_call_batch_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("violation").execute();
}
