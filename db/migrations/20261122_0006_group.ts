import { sql, type Kysely } from "kysely";

// Group registration (GRP-1 … GRP-6) and ORG-9's credentials sheets.
export async function up(db: Kysely<any>): Promise<void> {
  // GRP-6: a site's group payment batch. One open batch per site at a time; an entry sits in at most
  // one batch that is not deleted (entry.batch_id, cleared when its batch is deleted).
  await db.schema
    .createTable("payment_batch")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'paid', 'deleted')`),
    )
    .addColumn("candidate_count", "integer", (c) => c.notNull())
    .addColumn("entry_count", "integer", (c) => c.notNull())
    .addColumn("per_person_count", "integer", (c) => c.notNull())
    .addColumn("per_person_fen", "integer", (c) => c.notNull())
    .addColumn("subject_fen", "integer", (c) => c.notNull())
    .addColumn("amount_fen", "integer", (c) => c.notNull())
    .addColumn("subject_codes", sql`text[]`, (c) => c.notNull())
    .addColumn("delete_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  await sql`create unique index payment_batch_one_open on payment_batch (sitting_id, org_id) where status = 'open'`.execute(
    db,
  );
  await db.schema
    .alterTable("entry")
    .addColumn("batch_id", "integer", (c) => c.references("payment_batch.id"))
    .execute();
  await db.schema
    .createIndex("entry_batch")
    .on("entry")
    .column("batch_id")
    .where(sql.ref("batch_id"), "is not", null)
    .execute();
  await db.schema
    .alterTable("payment")
    .addColumn("batch_id", "integer", (c) => c.references("payment_batch.id"))
    .execute();

  // ORG-9: the one-time passwords of accounts an import created, in a sheet the site downloads once.
  await db.schema
    .createTable("credential_sheet")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("file_id", "text", (c) => c.references("stored_file.id").onDelete("set null"))
    .addColumn("accounts", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("downloaded_at", "timestamptz")
    .addColumn("downloaded_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("credential_sheet").ifExists().execute();
  await db.schema.alterTable("payment").dropColumn("batch_id").execute();
  await db.schema.alterTable("entry").dropColumn("batch_id").execute();
  await db.schema.dropTable("payment_batch").ifExists().execute();
}
