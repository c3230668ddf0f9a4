import { sql, type Kysely } from "kysely";

// ORG-2/ORG-3: an administrator never binds an existing account directly; it invites it, and only
// the account owner's acceptance binds it (issue 12, item 4).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("invitation")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("account_id", "text", (c) => c.notNull().references("account.id").onDelete("cascade"))
    // What the inviter typed: the login, and the membership's name, phone and role.
    .addColumn("login", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin','finance')`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending','accepted','declined','withdrawn')`),
    )
    .addColumn("invited_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("invited_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("answered_at", "timestamptz")
    .execute();
  // One open invitation per organisation, account and sitting: inviting again renews it.
  await sql`create unique index invitation_one_pending on invitation (org_id, sitting_id, account_id) where status = 'pending'`.execute(
    db,
  );
  await db.schema.createIndex("invitation_account").on("invitation").columns(["account_id", "status"]).execute();
  await db.schema.createIndex("invitation_org").on("invitation").columns(["org_id", "sitting_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("invitation").execute();
}
