import { sql, type Kysely } from "kysely";

// Candidate management (MGT-1 … MGT-5): cancellations and the indexes the search pages sort and filter by.
export async function up(db: Kysely<any>): Promise<void> {
  // MGT-2/MGT-5: a cancelled registration, kept read-only. The registration itself is deleted so the
  // candidate may register again (one registration per ID number per sitting).
  await db.schema
    .createTable("cancellation")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("registration_id", "integer", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("id_type", "text", (c) => c.notNull())
    .addColumn("id_number", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("class_name", "text", (c) => c.notNull().defaultTo(""))
    // The whole registration row and its entries as they were, for the read-only view.
    .addColumn("registration", "jsonb", (c) => c.notNull())
    .addColumn("entries", "jsonb", (c) => c.notNull())
    .addColumn("subject_codes", sql`text[]`, (c) => c.notNull())
    .addColumn("paid_fen", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("cancelled_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("cancelled_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("cancelled_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("cancellation_site")
    .on("cancellation")
    .columns(["sitting_id", "org_id", "cancelled_at"])
    .execute();

  // MGT-1/MGT-6: each registration's entry counts, kept by a trigger on `entry` so that every path
  // that adds, pays or removes entries (online, group import, payments, holds, management) keeps them
  // right without knowing. Searches by payment state and the payment statistics read them instead
  // of grouping every entry by registration (bench: the province's payment statistics 200+ ms → <50 ms).
  await db.schema
    .alterTable("registration")
    .addColumn("entry_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("paid_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("paid_fen", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update registration r set entry_count = x.n, paid_count = x.p, paid_fen = x.f
    from (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p, coalesce(sum(fee_fen) filter (where paid), 0)::int as f
          from entry group by registration_id) x
    where x.registration_id = r.id`.execute(db);
  await sql`create function registration_entry_counts() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update registration set entry_count = entry_count - 1,
          paid_count = paid_count - (case when old.paid then 1 else 0 end),
          paid_fen = paid_fen - (case when old.paid then coalesce(old.fee_fen, 0) else 0 end)
        where id = old.registration_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update registration set entry_count = entry_count + 1,
          paid_count = paid_count + (case when new.paid then 1 else 0 end),
          paid_fen = paid_fen + (case when new.paid then coalesce(new.fee_fen, 0) else 0 end)
        where id = new.registration_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger entry_counts after insert or delete or update of paid, fee_fen, registration_id on entry
    for each row execute function registration_entry_counts()`.execute(db);

  // MGT-1: the search pages page by these orders within a site; the unique (sitting_id, id_number) covers ID lookups.
  await db.schema
    .createIndex("registration_site_created")
    .on("registration")
    .columns(["sitting_id", "org_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("registration_site_name")
    .on("registration")
    .columns(["sitting_id", "org_id", "name"])
    .execute();
  await db.schema
    .createIndex("registration_sitting_created")
    .on("registration")
    .columns(["sitting_id", "created_at", "id"])
    .execute();
  // A superior's search spans many sites: sorted by name or class it walks these instead of sorting 70k rows (bench: 90 → 2 ms).
  await db.schema
    .createIndex("registration_sitting_name")
    .on("registration")
    .columns(["sitting_id", "name", "id"])
    .execute();
  await db.schema
    .createIndex("registration_sitting_class")
    .on("registration")
    .columns(["sitting_id", "class_name", "name", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("registration_sitting_class").ifExists().execute();
  await db.schema.dropIndex("registration_sitting_name").ifExists().execute();
  await db.schema.dropIndex("registration_sitting_created").ifExists().execute();
  await db.schema.dropIndex("registration_site_name").ifExists().execute();
  await db.schema.dropIndex("registration_site_created").ifExists().execute();
  await db.schema.dropTable("cancellation").ifExists().execute();
  await sql`drop trigger if exists entry_counts on entry`.execute(db);
  await sql`drop function if exists registration_entry_counts()`.execute(db);
  await db.schema
    .alterTable("registration")
    .dropColumn("entry_count")
    .dropColumn("paid_count")
    .dropColumn("paid_fen")
    .execute();
}
