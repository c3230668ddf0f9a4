import { sql, type Kysely } from "kysely";

// SCO-1 (issue 19 item 3): an entry's score from the marking system's file, one per entry, replaced
// by each import of that entry.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("score")
    .addColumn("entry_id", "integer", (c) => c.primaryKey().references("entry.id").onDelete("cascade"))
    // The entry's sitting and site, copied for scoped reads; the entry's own keys guard them (no
    // foreign keys of their own: two fewer checks a row on a 100,000-row import).
    .addColumn("sitting_id", "integer", (c) => c.notNull())
    .addColumn("org_id", "integer", (c) => c.notNull())
    // The entry's subject and registration, kept here so that statistics read this table alone (SCO-3).
    .addColumn("subject_code", "text", (c) => c.notNull())
    .addColumn("registration_id", "integer", (c) => c.notNull())
    .addColumn("score", "smallint", (c) => c.check(sql`score between 0 and 100`))
    .addColumn("grade_code", "smallint", (c) => c.notNull().check(sql`grade_code between -9 and 3`))
    .addColumn("part1", "smallint")
    .addColumn("part2", "smallint")
    .addColumn("certificate_no", "text")
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("imported_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("score_site").on("score").columns(["sitting_id", "org_id"]).execute();
  // SCO-2: how a passed candidate's certificate was sent, one per entry, replaced by each import.
  await db.schema
    .createTable("certificate_mailing")
    .addColumn("entry_id", "integer", (c) => c.primaryKey().references("entry.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull())
    .addColumn("org_id", "integer", (c) => c.notNull())
    .addColumn("certificate_no", "text")
    .addColumn("recipient", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postcode", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("courier", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tracking_no", "text", (c) => c.notNull())
    .addColumn("mailed_on", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("imported_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("certificate_mailing_site")
    .on("certificate_mailing")
    .columns(["sitting_id", "org_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("certificate_mailing").execute();
  await db.schema.dropTable("score").execute();
}
