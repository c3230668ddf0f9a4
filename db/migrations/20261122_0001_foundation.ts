import { sql, type Kysely } from "kysely";

// Migrations are typed Kysely<any> and never import app code: they must stay valid as the app changes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sitting")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addColumn("is_current", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // At most one current sitting.
  await sql`create unique index sitting_one_current on sitting (is_current) where is_current`.execute(db);

  await db.schema
    .createTable("org")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('centre','province','city','site')`))
    .addColumn("parent_id", "integer", (c) => c.references("org.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("org_parent").on("org").column("parent_id").execute();

  await db.schema
    .createTable("org_sitting")
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("enabled", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("review_state", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`review_state in ('pending','reviewed')`),
    )
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postcode", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("org_sitting_pk", ["org_id", "sitting_id"])
    .execute();

  await db.schema
    .createTable("account")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.unique())
    .addColumn("mobile", "text", (c) => c.unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("role", "text", (c) =>
      c
        .notNull()
        .defaultTo("candidate")
        .check(sql`role in ('admin','candidate')`),
    )
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("zh-CN"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("account_login", sql`email is not null or mobile is not null`)
    .execute();

  await db.schema
    .createTable("membership")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("account.id").onDelete("cascade"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin','finance')`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // ORG-1/ORG-3: one account is bound to exactly one organisation in a sitting.
    .addUniqueConstraint("membership_account_sitting", ["account_id", "sitting_id"])
    .execute();
  await db.schema.createIndex("membership_org").on("membership").columns(["org_id", "sitting_id"]).execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("account.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("sitting_id", "integer", (c) => c.references("sitting.id"))
    .execute();
  await db.schema.createIndex("session_account").on("session").column("account_id").execute();

  await db.schema
    .createTable("login_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("first_failed_at", "timestamptz", (c) => c.notNull())
    .addColumn("locked_until", "timestamptz")
    .execute();

  await db.schema
    .createTable("window")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "text")
    .addUniqueConstraint("window_org_kind", ["sitting_id", "org_id", "kind"])
    .addCheckConstraint("window_order", sql`ends_at is null or ends_at > starts_at`)
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("account_id", "text")
    .addColumn("actor_name", "text", (c) => c.notNull())
    .addColumn("org_id", "integer")
    .addColumn("sitting_id", "integer")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("changes", "jsonb", (c) => c.notNull())
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("audit_log_org_at").on("audit_log").columns(["org_id", "at"]).execute();

  await db.schema
    .createTable("job")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued"))
    .addColumn("progress", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("result", "jsonb")
    .addColumn("error", "text")
    .addColumn("account_id", "text")
    .addColumn("org_id", "integer")
    .addColumn("sitting_id", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("stored_file")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("org_id", "integer")
    .addColumn("sitting_id", "integer")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("subject")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("requires", "text")
    .addColumn("retired", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "subject",
    "stored_file",
    "job",
    "audit_log",
    "window",
    "login_throttle",
    "session",
    "membership",
    "account",
    "org_sitting",
    "org",
    "sitting",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
