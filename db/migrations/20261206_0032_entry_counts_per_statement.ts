import { sql, type Kysely } from "kysely";

// Issue 21 item 5 (GRP-2 at speed): registration.entry_count / paid_count / paid_fen (MGT-1) were kept
// by a trigger on every inserted or deleted entry: 10,000 single-row updates of registration for a
// group import of 5,000 candidates. Inserts and deletes now update each registration once per
// statement, from the statement's transition table; an update of paid, fee_fen or registration_id
// (a payment, a move) keeps the row trigger, which fires only for those columns.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists entry_counts on entry`.execute(db);
  // One function for both: each trigger names its transition table `changed`; the sign is the event's.
  await sql`create function registration_entry_counts_changed() returns trigger language plpgsql as $$
    declare
      sign int := case when tg_op = 'INSERT' then 1 else -1 end;
    begin
      update registration r set entry_count = r.entry_count + sign * x.n, paid_count = r.paid_count + sign * x.p,
        paid_fen = r.paid_fen + sign * x.f
      from (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p,
              coalesce(sum(fee_fen) filter (where paid), 0)::int as f
            from changed group by registration_id) x
      where r.id = x.registration_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger entry_counts_added after insert on entry referencing new table as changed
    for each statement execute function registration_entry_counts_changed()`.execute(db);
  await sql`create trigger entry_counts_removed after delete on entry referencing old table as changed
    for each statement execute function registration_entry_counts_changed()`.execute(db);
  // The row function of 0007 handles UPDATE (old out, new in); only its trigger's events change.
  await sql`create trigger entry_counts after update of paid, fee_fen, registration_id on entry
    for each row execute function registration_entry_counts()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists entry_counts_added on entry`.execute(db);
  await sql`drop trigger if exists entry_counts_removed on entry`.execute(db);
  await sql`drop trigger if exists entry_counts on entry`.execute(db);
  await sql`drop function if exists registration_entry_counts_changed()`.execute(db);
  await sql`create trigger entry_counts after insert or delete or update of paid, fee_fen, registration_id on entry
    for each row execute function registration_entry_counts()`.execute(db);
}
