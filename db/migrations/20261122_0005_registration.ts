import { sql, type Kysely } from "kysely";

// Online registration (CAN-1 … CAN-10), photos (PHO-6), payments (CAN-7) and the simulated gateway's own books.
export async function up(db: Kysely<any>): Promise<void> {
  // PHO-6: one photo per ID number per site and sitting; deleting a registration never deletes it.
  await db.schema
    .createTable("photo")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("id_number", "text", (c) => c.notNull())
    .addColumn("file_id", "text", (c) => c.notNull().references("stored_file.id"))
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("photo_one_per_id", ["sitting_id", "org_id", "id_number"])
    .execute();

  await db.schema
    .createTable("registration")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'group')`))
    .addColumn("id_type", "text", (c) => c.notNull())
    .addColumn("id_number", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("gender", "text", (c) => c.notNull())
    .addColumn("birth_date", "date", (c) => c.notNull())
    .addColumn("ethnicity", "text", (c) => c.notNull())
    .addColumn("education", "text", (c) => c.notNull())
    .addColumn("occupation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("department", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("major", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("class_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("student_no", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postcode", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("extra_info", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("registry_candidate", "boolean", (c) => c.notNull().defaultTo(false))
    // SET-5: the chosen preferred exam day, counted in preferred_date_quota.taken.
    .addColumn("preferred_date", "date")
    // PHO-5 re-links this when it is lost; the photo itself lives on in `photo`.
    .addColumn("photo_id", "integer", (c) => c.references("photo.id").onDelete("set null"))
    .addColumn("locked", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("review_status", "text", (c) =>
      c
        .notNull()
        .defaultTo("none")
        .check(sql`review_status in ('none', 'pending', 'passed', 'failed')`),
    )
    .addColumn("review_failure_type", "text")
    .addColumn("review_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("person_fee_paid", "boolean", (c) => c.notNull().defaultTo(false))
    // CAN-8: an unpaid online registration goes after this; null = not expiring (awaiting review, or paid).
    .addColumn("hold_until", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("registration_one_per_id", ["sitting_id", "id_number"])
    .addUniqueConstraint("registration_one_per_account", ["sitting_id", "account_id"])
    .execute();
  await db.schema.createIndex("registration_site").on("registration").columns(["sitting_id", "org_id"]).execute();
  await db.schema
    .createIndex("registration_hold")
    .on("registration")
    .column("hold_until")
    .where(sql.ref("hold_until"), "is not", null)
    .execute();

  await db.schema
    .createTable("payment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("registration_id", "integer", (c) => c.references("registration.id").onDelete("set null"))
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("amount_fen", "integer", (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn("per_person_fen", "integer", (c) => c.notNull())
    .addColumn("entry_ids", sql`integer[]`, (c) => c.notNull())
    // What was paid for, by subject, so a late confirmation can restore released entries.
    .addColumn("subject_codes", sql`text[]`, (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'paid', 'failed', 'expired', 'refund_due')`),
    )
    .addColumn("provider_txn_id", "text", (c) => c.unique())
    .addColumn("redirect_url", "text")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("finished_at", "timestamptz")
    .execute();
  await db.schema.createIndex("payment_registration").on("payment").columns(["registration_id", "status"]).execute();
  await db.schema.createIndex("payment_site").on("payment").columns(["sitting_id", "org_id", "status"]).execute();

  await db.schema
    .createTable("entry")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registration.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("subject_code", "text", (c) => c.notNull().references("subject.code"))
    .addColumn("paid", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("fee_fen", "integer")
    .addColumn("payment_id", "text", (c) => c.references("payment.id"))
    .addColumn("paid_at", "timestamptz")
    // CAN-8: when an unpaid entry releases its seat; null = not expiring.
    .addColumn("hold_until", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("entry_one_per_subject", ["registration_id", "subject_code"])
    .addCheckConstraint("entry_paid_has_payment", sql`not paid or (fee_fen is not null and paid_at is not null)`)
    .execute();
  await db.schema
    .createIndex("entry_site_subject")
    .on("entry")
    .columns(["sitting_id", "org_id", "subject_code"])
    .execute();
  await db.schema
    .createIndex("entry_hold")
    .on("entry")
    .column("hold_until")
    .where(sql.ref("hold_until"), "is not", null)
    .execute();

  // CAN-7: every notification as received, so a replay or a tampered one is on record and changes nothing.
  await db.schema
    .createTable("payment_notification")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("payment_id", "text")
    .addColumn("provider_txn_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("amount_fen", "integer")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("payment_notification_payment").on("payment_notification").column("payment_id").execute();

  // The simulated gateway's own ledger: what a real provider would keep on its side (for the reconciliation query).
  await db.schema
    .createTable("sim_gateway_txn")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("merchant_order_id", "text", (c) => c.notNull().unique())
    .addColumn("amount_fen", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'paid', 'failed')`),
    )
    .addColumn("notify_url", "text", (c) => c.notNull())
    .addColumn("return_url", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("settled_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["sim_gateway_txn", "payment_notification", "entry", "payment", "registration", "photo"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
