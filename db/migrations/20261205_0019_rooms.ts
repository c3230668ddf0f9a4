import { sql, type Kysely } from "kysely";

// ROOM-1/ROOM-2 (issue 16): a site's rooms and their batches for one sitting, and where an entry is
// allocated (SCH-2). A batch's times are wall-clock minutes of its exam day (decision 0031), like
// the exam dates they must lie in.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("room")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("number", "text", (c) => c.notNull().check(sql`number ~ '^[0-9][0-9]$' and number <> '00'`))
    .addColumn("location", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("seats", "integer", (c) => c.notNull().check(sql`seats between 1 and 999`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("room_number_unique", ["sitting_id", "org_id", "number"])
    .execute();
  await db.schema
    .createTable("exam_batch")
    .addColumn("id", "serial", (c) => c.primaryKey())
    // Restrict: a room with batches is emptied first, and a batch with allocations cannot go (ROOM-2).
    .addColumn("room_id", "integer", (c) => c.notNull().references("room.id").onDelete("restrict"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("seq", "integer", (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn("exam_date", "date", (c) => c.notNull())
    .addColumn("start_min", "integer", (c) => c.notNull())
    .addColumn("end_min", "integer", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull().check(sql`capacity >= 1`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("exam_batch_seq_unique", ["room_id", "seq"])
    // ROOM-1: inside 08:00–20:00 of its day.
    .addCheckConstraint("exam_batch_in_day", sql`start_min >= 480 and end_min <= 1200 and start_min < end_min`)
    .execute();
  await db.schema.createIndex("exam_batch_site").on("exam_batch").columns(["sitting_id", "org_id"]).execute();
  await db.schema
    .alterTable("entry")
    .addColumn("batch_id", "integer", (c) => c.references("exam_batch.id").onDelete("restrict"))
    .addColumn("seat", "integer")
    .execute();
  await sql`alter table entry add constraint entry_seat_with_batch check ((batch_id is null) = (seat is null))`.execute(
    db,
  );
  await sql`create unique index entry_batch_seat on entry (batch_id, seat) where batch_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists entry_batch_seat`.execute(db);
  await db.schema.alterTable("entry").dropConstraint("entry_seat_with_batch").execute();
  await db.schema.alterTable("entry").dropColumn("seat").dropColumn("batch_id").execute();
  await db.schema.dropTable("exam_batch").execute();
  await db.schema.dropTable("room").execute();
}
