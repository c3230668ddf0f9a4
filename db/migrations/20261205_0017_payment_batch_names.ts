import { sql, type Kysely } from "kysely";

// Issue 14 (glossary): a group payment batch is a *payment batch*; the bare word batch (批次) belongs to a
// room at one time (allocation). Columns, index and the notes stored on failed payments follow.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("entry").renameColumn("batch_id", "payment_batch_id").execute();
  await db.schema.alterTable("payment").renameColumn("batch_id", "payment_batch_id").execute();
  await sql`alter index entry_batch rename to entry_payment_batch`.execute(db);
  await sql`update payment set note = 'payment_' || note where note in ('batch_deleted', 'batch_already_paid')`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update payment set note = substr(note, 9) where note in ('payment_batch_deleted', 'payment_batch_already_paid')`.execute(
    db,
  );
  await sql`alter index entry_payment_batch rename to entry_batch`.execute(db);
  await db.schema.alterTable("payment").renameColumn("payment_batch_id", "batch_id").execute();
  await db.schema.alterTable("entry").renameColumn("payment_batch_id", "batch_id").execute();
}
