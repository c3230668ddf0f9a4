import { sql, type Kysely } from "kysely";

// Issue 21 item 5 (GRP-2 at speed, decision 0057): a group import inserts its new registrations with
// their entry_count already set, then their entries. The counts trigger of 0032 would then update
// every one of those just-inserted registrations again: a new row version with its ten index entries
// (their pages are full, so no HOT update) and, because the rows are this transaction's own, its
// foreign keys checked again — 0.19 s of 0.3 s for 7,000 entries. Inserts made while the transaction
// says so (`kaowu.entry_counts_preset`, set only by `insertEntriesOfNewRegistrations`) are left to the
// caller; deletes and updates are always counted.
/** 0032's function, with `preamble` run first. */
const countsFunction = (preamble: string) => sql`create or replace function registration_entry_counts_changed()
  returns trigger language plpgsql as $$
    declare
      sign int := case when tg_op = 'INSERT' then 1 else -1 end;
    begin
      ${sql.raw(preamble)}
      update registration r set entry_count = r.entry_count + sign * x.n, paid_count = r.paid_count + sign * x.p,
        paid_fen = r.paid_fen + sign * x.f
      from (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p,
              coalesce(sum(fee_fen) filter (where paid), 0)::int as f
            from changed group by registration_id) x
      where r.id = x.registration_id;
      return null;
    end $$`;

export async function up(db: Kysely<any>): Promise<void> {
  await countsFunction(`if tg_op = 'INSERT' and current_setting('kaowu.entry_counts_preset', true) = 'on' then
        return null;
      end if;`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await countsFunction("").execute(db);
}
