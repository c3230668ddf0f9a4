import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";

export interface SeatDrift {
  /** What is out of step: a counter with its key, or an unpaid online entry nothing will ever free. */
  kind:
    | "site_total"
    | "subject"
    | "preferred_date"
    | "unpaid_without_hold"
    | "entry_count"
    | "paid_count"
    | "shard_capacity";
  key: string;
  counter: number;
  rows: number;
}

/**
 * CAN-4/CAN-8 (decisions 0014, 0024, 0051): every seat counter equals the rows it counts, a counter's
 * shards hand out exactly its capacity (and each
 * registration's entry and paid counts its entries, MGT-1), and every unpaid
 * online entry either expires (hold_until) or belongs to a group payment batch. An empty answer
 * means no seat is lost and none will be kept for ever. Read-only; the tests run it after every
 * payment and hold scenario, an operator can run it any time.
 */
export async function findSeatDrift(db: Kysely<DB> | Transaction<DB>, limit = 20): Promise<SeatDrift[]> {
  const r = await sql<SeatDrift>`
    select * from (
      select 'site_total' as kind, s.sitting_id || '/' || s.org_id as key, s.total_taken as counter, coalesce(x.n, 0)::int as rows
      from site_setting s
      left join (select sitting_id, org_id, count(*)::int as n from entry group by sitting_id, org_id) x
        on x.sitting_id = s.sitting_id and x.org_id = s.org_id
      where s.total_taken <> coalesce(x.n, 0)
      union all
      select 'subject', s.sitting_id || '/' || s.org_id || '/' || s.subject_code, s.taken, coalesce(x.n, 0)::int
      from site_subject s
      left join (select sitting_id, org_id, subject_code, count(*)::int as n from entry group by sitting_id, org_id, subject_code) x
        on x.sitting_id = s.sitting_id and x.org_id = s.org_id and x.subject_code = s.subject_code
      where s.taken <> coalesce(x.n, 0)
      union all
      select 'preferred_date', q.sitting_id || '/' || q.org_id || '/' || q.exam_date::text, q.taken, coalesce(x.n, 0)::int
      from preferred_date_quota q
      left join (select sitting_id, org_id, preferred_date::date as d, count(*)::int as n from registration
                 where preferred_date is not null group by sitting_id, org_id, preferred_date::date) x
        on x.sitting_id = q.sitting_id and x.org_id = q.org_id and x.d = q.exam_date::date
      where q.taken <> coalesce(x.n, 0)
      union all
      -- Decision 0051: a counter's shards hand out exactly its capacity (none when not set), 16 of them.
      select 'shard_capacity', c.sitting_id || '/' || c.org_id || '/' || c.counter, c.capacity, coalesce(x.cap, -1)
      from (select sitting_id, org_id, '*' as counter, coalesce(total_capacity, 0) as capacity from site_setting_row
            union all
            select sitting_id, org_id, subject_code, coalesce(capacity, 0) from site_subject_row) c
      left join (select sitting_id, org_id, counter, sum(capacity)::int as cap, count(*) as n from seat_shard
                 group by sitting_id, org_id, counter) x
        on x.sitting_id = c.sitting_id and x.org_id = c.org_id and x.counter = c.counter
      where x.cap is distinct from c.capacity or x.n <> 16
      union all
      -- MGT-1: the registration's own counts, kept by the entry triggers (decision 0049).
      select 'entry_count', 'registration ' || r.id, r.entry_count, coalesce(x.n, 0)::int
      from registration r left join (select registration_id, count(*)::int as n from entry group by registration_id) x
        on x.registration_id = r.id
      where r.entry_count <> coalesce(x.n, 0)
      union all
      select 'paid_count', 'registration ' || r.id, r.paid_count, coalesce(x.n, 0)::int
      from registration r left join (select registration_id, count(*)::int as n from entry where paid group by registration_id) x
        on x.registration_id = r.id
      where r.paid_count <> coalesce(x.n, 0)
      union all
      -- An entry whose registration awaits review has no hold on purpose (decision 0014).
      select 'unpaid_without_hold', 'entry ' || e.id, 0, 1
      from entry e join registration r on r.id = e.registration_id
      where r.channel = 'online' and not e.paid and e.hold_until is null and e.payment_batch_id is null
        and r.review_status is distinct from 'pending'
    ) d
    order by kind, key
    limit ${limit}`.execute(db);
  return r.rows;
}
