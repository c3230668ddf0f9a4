import { sql, type Kysely } from "kysely";

// Account ownership (CAN-1, GRP-4, ORG-9; decision 0019): proof of an e-mail or mobile by a one-time
// code, sites vouching for the accounts they create, one-time passwords that expire, and the demo outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("account")
    .addColumn("email_verified_at", "timestamptz")
    .addColumn("mobile_verified_at", "timestamptz")
    // Set when a site created the account (group import) or took it over, and handed out its one-time password.
    .addColumn("site_vouched_at", "timestamptz")
    .addColumn("otp_expires_at", "timestamptz")
    .execute();
  // Accounts made by a site before this migration were vouched for by it; their one-time passwords
  // get the 14 days from now. Accounts that signed up themselves stay unproven.
  await sql`update account set site_vouched_at = now(), otp_expires_at = now() + interval '14 days' where must_change_password`.execute(
    db,
  );
  await sql`update account set site_vouched_at = now() where role = 'admin'`.execute(db);

  // A code sent to an e-mail or mobile. The code itself is stored hashed; a pending sign-up keeps
  // the name and password hash it will create the account with.
  await db.schema
    .createTable("verification_code")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("consumed_at", "timestamptz")
    .addColumn("ip", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("verification_code_target")
    .on("verification_code")
    .columns(["target", "created_at"])
    .execute();
  await db.schema.createIndex("verification_code_ip").on("verification_code").columns(["ip", "created_at"]).execute();

  // MESSAGE_PROVIDER=outbox: what would have been sent, shown at /dev/outbox.
  await db.schema
    .createTable("outbox_message")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("outbox_message_recipient").on("outbox_message").columns(["recipient", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("outbox_message").execute();
  await db.schema.dropTable("verification_code").execute();
  await db.schema
    .alterTable("account")
    .dropColumn("email_verified_at")
    .dropColumn("mobile_verified_at")
    .dropColumn("site_vouched_at")
    .dropColumn("otp_expires_at")
    .execute();
}
