import { sql, type Kysely } from "kysely";

// FIN-2 and issue 20 item 3: refunds as a ledger of their own (due → requested → refunded | failed),
// the payment gateway's records as last fetched for reconciliation, and the simulated gateway's refunds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("refund")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("payment_id", "text", (c) => c.notNull().references("payment.id"))
    // The registration may since be cancelled (deleted): kept as a number, with the candidate's account.
    .addColumn("registration_id", "integer")
    .addColumn("account_id", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("reason", "text", (c) =>
      c.notNull().check(sql`reason in ('late_payment', 'per_person_fee', 'cancelled')`),
    )
    .addColumn("amount_fen", "integer", (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("due")
        .check(sql`state in ('due', 'requested', 'refunded', 'failed')`),
    )
    .addColumn("provider_refund_id", "text")
    .addColumn("provider_message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("requested_by", "text", (c) => c.references("account.id").onDelete("set null"))
    .addColumn("requested_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("requested_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // One refund per payment and reason: recording it twice changes nothing.
    .addUniqueConstraint("refund_one_per_reason", ["payment_id", "reason"])
    .execute();
  await db.schema.createIndex("refund_site").on("refund").columns(["sitting_id", "org_id", "state"]).execute();
  await db.schema.createIndex("refund_account").on("refund").column("account_id").execute();

  // What the flags said before this table existed becomes refunds due.
  await sql`insert into refund (sitting_id, org_id, payment_id, registration_id, account_id, reason, amount_fen, created_at)
    select sitting_id, org_id, id, registration_id, account_id, 'late_payment', amount_fen, coalesce(finished_at, created_at)
    from payment where status = 'refund_due'`.execute(db);
  await sql`insert into refund (sitting_id, org_id, payment_id, registration_id, account_id, reason, amount_fen, created_at)
    select sitting_id, org_id, id, registration_id, account_id, 'per_person_fee', per_person_fen, coalesce(finished_at, created_at)
    from payment where status = 'paid' and note = 'per_person_refund_due' and per_person_fen > 0`.execute(db);
  await sql`insert into refund (sitting_id, org_id, payment_id, registration_id, account_id, reason, amount_fen, created_at)
    select sitting_id, org_id, id, registration_id, account_id, 'cancelled', amount_fen, coalesce(finished_at, created_at)
    from payment where status = 'paid' and note like 'cancelled:%' and registration_id is null`.execute(db);

  // FIN-2: the gateway's record of each order, as its reconciliation query last answered.
  await db.schema
    .createTable("gateway_record")
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("order_id", "text", (c) => c.notNull())
    .addColumn("txn_id", "text", (c) => c.notNull())
    .addColumn("amount_fen", "integer", (c) => c.notNull())
    .addColumn("refunded_fen", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("paid_at", "timestamptz", (c) => c.notNull())
    .addColumn("fetched_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("gateway_record_pk", ["provider", "order_id"])
    .execute();
  // FIN-2: each fetch of the ledger (what it covered, when), and the differences it found.
  await db.schema
    .createTable("gateway_fetch")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("covers_from", "timestamptz", (c) => c.notNull())
    .addColumn("covers_to", "timestamptz", (c) => c.notNull())
    .addColumn("records", "integer", (c) => c.notNull())
    .addColumn("differences", "integer", (c) => c.notNull())
    .addColumn("fetched_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("fetched_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("payment_difference")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("fetch_id", "integer", (c) => c.notNull().references("gateway_fetch.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull())
    // null: an order the gateway knows and we do not (only the centre sees it: no site can be told).
    .addColumn("org_id", "integer")
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('gateway_only', 'ours_only', 'amount_mismatch')`))
    .addColumn("order_id", "text", (c) => c.notNull())
    .addColumn("our_status", "text")
    .addColumn("our_fen", "integer")
    .addColumn("gateway_fen", "integer")
    .addColumn("txn_id", "text")
    .execute();
  await db.schema
    .createIndex("payment_difference_site")
    .on("payment_difference")
    .columns(["sitting_id", "org_id"])
    .execute();

  await db.schema
    .createTable("sim_gateway_refund")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("merchant_refund_id", "text", (c) => c.notNull().unique())
    .addColumn("merchant_order_id", "text", (c) => c.notNull())
    .addColumn("amount_fen", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("sim_gateway_refund_order")
    .on("sim_gateway_refund")
    .column("merchant_order_id")
    .execute();
  await db.schema.createIndex("sim_gateway_txn_settled").on("sim_gateway_txn").column("settled_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["sim_gateway_refund", "payment_difference", "gateway_fetch", "gateway_record", "refund"])
    await db.schema.dropTable(t).ifExists().execute();
  await db.schema.dropIndex("sim_gateway_txn_settled").ifExists().execute();
}
