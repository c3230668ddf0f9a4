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
  await db.schema.createIndex("cancellation_site").on("cancellation").columns(["sitting_id", "org_id", "cancelled_at"]).execute();

  // MGT-1: the search pages page by these orders within a site; the unique (sitting_id, id_number) covers ID lookups.
  await db.schema.createIndex("registration_site_created").on("registration").columns(["sitting_id", "org_id", "created_at", "id"]).execute();
  await db.schema.createIndex("registration_site_name").on("registration").columns(["sitting_id", "org_id", "name"]).execute();
  await db.schema.createIndex("registration_sitting_created").on("registration").columns(["sitting_id", "created_at", "id"]).execute();
  await db.schema.createIndex("entry_registration_paid").on("entry").columns(["registration_id", "paid"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("entry_registration_paid").ifExists().execute();
  await db.schema.dropIndex("registration_sitting_created").ifExists().execute();
  await db.schema.dropIndex("registration_site_name").ifExists().execute();
  await db.schema.dropIndex("registration_site_created").ifExists().execute();
  await db.schema.dropTable("cancellation").ifExists().execute();
}
