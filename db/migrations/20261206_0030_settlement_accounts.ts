import { sql, type Kysely } from "kysely";

// FIN-1 (issue 20 item 1, manual §四十五): a site's settlement accounts (分账账户) in one sitting, the
// bank accounts the registration fees are passed on to. One account number once per site and sitting;
// the formats the form enforces are kept here too, so that no other writer can store a malformed one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settlement_account")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("bank", "text", (c) => c.notNull())
    .addColumn("bank_code", "text", (c) => c.notNull().check(sql`bank_code ~ '^[0-9]{12}$'`))
    .addColumn("account_name", "text", (c) => c.notNull())
    .addColumn("account_no", "text", (c) => c.notNull().check(sql`account_no ~ '^[0-9]{8,32}$'`))
    .addColumn("account_type", "text", (c) =>
      c.notNull().check(sql`account_type in ('site_fee', 'basic', 'general', 'special')`),
    )
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("settlement_account_no_unique", ["sitting_id", "org_id", "account_no"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settlement_account").execute();
}
