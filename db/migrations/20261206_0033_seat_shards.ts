import { sql, type Kysely } from "kysely";

// Issue 21 item 1 (CAN-4, X-7; decision 0051): the site total and each subject's seats are counted in
// 16 shards, so that concurrent registrations at one site do not all queue on one row until their
// commits are flushed. The shards of a counter add up to its capacity; each shard's own CHECK keeps
// what it hands out within its part, so no interleaving can sell more than the capacity.
//
// `site_setting` and `site_subject` become views of their tables (now `…_row`) with `total_taken`
// and `taken` summed from the shards, so every reader stays as it was. A later migration that adds a
// column to either table recreates its view (createSiteViews below).
export const SHARDS = 16;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table seat_shard (
    sitting_id integer not null,
    org_id integer not null,
    counter text not null,
    shard smallint not null,
    capacity integer not null,
    taken integer not null default 0,
    primary key (sitting_id, org_id, counter, shard),
    constraint seat_shard_within check (taken >= 0 and taken <= capacity)
  )`.execute(db);

  // Shards for every existing counter: the taken seats spread evenly, then the free ones.
  await sql`create function seat_layout(p_capacity int, p_taken int)
    returns table (shard smallint, capacity int, taken int) language sql immutable as $$
      select s::smallint,
        (p_taken / ${sql.lit(SHARDS)} + (case when s < p_taken % ${sql.lit(SHARDS)} then 1 else 0 end))
          + ((greatest(p_capacity, p_taken) - p_taken) / ${sql.lit(SHARDS)}
             + (case when s < (greatest(p_capacity, p_taken) - p_taken) % ${sql.lit(SHARDS)} then 1 else 0 end)),
        p_taken / ${sql.lit(SHARDS)} + (case when s < p_taken % ${sql.lit(SHARDS)} then 1 else 0 end)
      from generate_series(0, ${sql.lit(SHARDS - 1)}) s $$`.execute(db);
  await sql`insert into seat_shard (sitting_id, org_id, counter, shard, capacity, taken)
    select t.sitting_id, t.org_id, '*', l.shard, l.capacity, l.taken
    from site_setting t, seat_layout(coalesce(t.total_capacity, 0), t.total_taken) l`.execute(db);
  await sql`insert into seat_shard (sitting_id, org_id, counter, shard, capacity, taken)
    select t.sitting_id, t.org_id, t.subject_code, l.shard, l.capacity, l.taken
    from site_subject t, seat_layout(coalesce(t.capacity, 0), t.taken) l`.execute(db);

  // A capacity written to the row (SET-4, SET-10) is spread over the shards under their locks, taken
  // in shard order (decision 0051); below what is taken it is refused (SQLSTATE 23514, as the CHECK
  // it replaces). Shards follow their row's life.
  await sql`create function seat_capacity_set(p_sitting int, p_org int, p_counter text, p_capacity int)
    returns void language plpgsql as $$
    declare
      v_taken int;
      v_free int;
    begin
      perform 1 from seat_shard where sitting_id = p_sitting and org_id = p_org and counter = p_counter
        order by shard for update;
      select coalesce(sum(taken), 0) into v_taken from seat_shard
        where sitting_id = p_sitting and org_id = p_org and counter = p_counter;
      if p_capacity < v_taken then
        raise exception 'capacity % below the % seats taken', p_capacity, v_taken
          using errcode = 'check_violation', constraint = 'seat_capacity_below_taken';
      end if;
      v_free := p_capacity - v_taken;
      update seat_shard s set capacity = s.taken + v_free / ${sql.lit(SHARDS)}
          + (case when s.shard < v_free % ${sql.lit(SHARDS)} then 1 else 0 end)
        where s.sitting_id = p_sitting and s.org_id = p_org and s.counter = p_counter;
    end $$`.execute(db);

  await sql`alter table site_setting drop constraint site_total_capacity`.execute(db);
  await sql`alter table site_setting add constraint site_total_capacity
    check (total_capacity is null or total_capacity between 100 and 99999)`.execute(db);
  await sql`alter table site_setting drop column total_taken`.execute(db);
  await sql`alter table site_subject drop constraint site_subject_capacity`.execute(db);
  await sql`alter table site_subject add constraint site_subject_capacity
    check (capacity is null or capacity between 0 and 99999)`.execute(db);
  await sql`alter table site_subject drop column taken`.execute(db);
  await sql`alter table site_setting rename to site_setting_row`.execute(db);
  await sql`alter table site_subject rename to site_subject_row`.execute(db);

  // One function per table (each reads its own row's columns): shards made with the row, spread
  // again when its capacity is written, gone with the row.
  for (const [table, counter, capacity] of [
    ["site_setting_row", sql`'*'`, "total_capacity"],
    ["site_subject_row", null, "capacity"],
  ] as const) {
    const of = (rec: "new" | "old") => counter ?? sql.raw(`${rec}.subject_code`);
    const cap = (rec: "new") => sql.raw(`coalesce(${rec}.${capacity}, 0)`);
    await sql`create function ${sql.raw(`${table}_shards`)}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into seat_shard (sitting_id, org_id, counter, shard, capacity, taken)
          select new.sitting_id, new.org_id, ${of("new")}, l.shard, l.capacity, 0 from seat_layout(${cap("new")}, 0) l;
        elsif tg_op = 'DELETE' then
          delete from seat_shard where sitting_id = old.sitting_id and org_id = old.org_id and counter = ${of("old")};
        else
          perform seat_capacity_set(new.sitting_id, new.org_id, ${of("new")}, ${cap("new")});
        end if;
        return null;
      end $$`.execute(db);
  }
  await sql`create trigger seat_shards after insert or delete or update of total_capacity on site_setting_row
    for each row execute function site_setting_row_shards()`.execute(db);
  await sql`create trigger seat_shards after insert or delete or update of capacity on site_subject_row
    for each row execute function site_subject_row_shards()`.execute(db);

  await sql`create function seat_taken(p_sitting int, p_org int, p_counter text) returns int
    language sql stable as $$
      select coalesce(sum(taken), 0)::int from seat_shard
      where sitting_id = p_sitting and org_id = p_org and counter = p_counter $$`.execute(db);
  await createSiteViews(db);

  // Every change of a site's seats in one call, in one order: the total first, then subjects by code
  // (decision 0014's order, without the site's row as a mutex). A positive delta takes, a negative
  // one gives back. Each counter tries the shard `p_pick` names; if that shard cannot do it alone,
  // all the counter's shards are locked in shard order and the change spread over them. Answers
  // the counters that had too few seats (nothing taken from those); the caller rolls back.
  await sql`create function seat_change(p_sitting int, p_org int, p_counters text[], p_deltas int[], p_pick int)
    returns text[] language plpgsql as $$
    declare
      v_short text[] := '{}';
      v_counter text;
      v_delta int;
      v_need int;
      v_part int;
      v_done boolean;
      r record;
    begin
      for v_counter, v_delta in
        select c, sum(d)::int from unnest(p_counters, p_deltas) as x(c, d)
        group by c order by (c <> '*'), c
      loop
        continue when v_delta = 0;
        -- The picked shard alone, in a subtransaction: an update that waited for the shard and then
        -- found too little still holds its lock, and a lock held out of shard order while the slow
        -- path below locks the others in order would deadlock; rolled back, the lock goes with it.
        v_done := false;
        begin
          update seat_shard set taken = taken + v_delta
            where sitting_id = p_sitting and org_id = p_org and counter = v_counter
              and shard = abs(p_pick) % ${sql.lit(SHARDS)} and taken + v_delta between 0 and capacity;
          if not found then
            raise exception using errcode = 'KW001';
          end if;
          v_done := true;
        exception when sqlstate 'KW001' then
          null;
        end;
        continue when v_done;
        perform 1 from seat_shard where sitting_id = p_sitting and org_id = p_org and counter = v_counter
          order by shard for update;
        v_need := abs(v_delta);
        if v_delta > 0 then
          if (select coalesce(sum(capacity - taken), 0) from seat_shard
              where sitting_id = p_sitting and org_id = p_org and counter = v_counter) < v_need then
            v_short := v_short || v_counter;
            continue;
          end if;
          for r in select shard, capacity - taken as room from seat_shard
              where sitting_id = p_sitting and org_id = p_org and counter = v_counter and taken < capacity
              order by shard loop
            v_part := least(r.room, v_need);
            update seat_shard set taken = taken + v_part
              where sitting_id = p_sitting and org_id = p_org and counter = v_counter and shard = r.shard;
            v_need := v_need - v_part;
            exit when v_need = 0;
          end loop;
        else
          -- Giving back never fails: what is not there to give back (a counter already short) is let go.
          for r in select shard, taken from seat_shard
              where sitting_id = p_sitting and org_id = p_org and counter = v_counter and taken > 0
              order by shard loop
            v_part := least(r.taken, v_need);
            update seat_shard set taken = taken - v_part
              where sitting_id = p_sitting and org_id = p_org and counter = v_counter and shard = r.shard;
            v_need := v_need - v_part;
            exit when v_need = 0;
          end loop;
        end if;
      end loop;
      return v_short;
    end $$`.execute(db);
}

/** The two views over the site tables, their counters summed from the shards. */
export async function createSiteViews(db: Kysely<any>) {
  await sql`create or replace view site_setting as
    select r.*, seat_taken(r.sitting_id, r.org_id, '*') as total_taken from site_setting_row r`.execute(db);
  await sql`create or replace view site_subject as
    select r.*, seat_taken(r.sitting_id, r.org_id, r.subject_code) as taken from site_subject_row r`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function seat_change(int, int, text[], int[], int)`.execute(db);
  await sql`drop view site_subject`.execute(db);
  await sql`drop view site_setting`.execute(db);
  await sql`drop trigger seat_shards on site_subject_row`.execute(db);
  await sql`drop trigger seat_shards on site_setting_row`.execute(db);
  await sql`drop function site_subject_row_shards()`.execute(db);
  await sql`drop function site_setting_row_shards()`.execute(db);
  await sql`alter table site_subject_row rename to site_subject`.execute(db);
  await sql`alter table site_setting_row rename to site_setting`.execute(db);
  await sql`alter table site_setting add column total_taken integer not null default 0`.execute(db);
  await sql`alter table site_subject add column taken integer not null default 0`.execute(db);
  await sql`update site_setting t set total_taken = seat_taken(t.sitting_id, t.org_id, '*')`.execute(db);
  await sql`update site_subject t set taken = seat_taken(t.sitting_id, t.org_id, t.subject_code)`.execute(db);
  await sql`alter table site_setting drop constraint site_total_capacity`.execute(db);
  await sql`alter table site_setting add constraint site_total_capacity
    check (total_capacity is null or (total_capacity between 100 and 99999 and total_capacity >= total_taken))`.execute(
    db,
  );
  await sql`alter table site_subject drop constraint site_subject_capacity`.execute(db);
  await sql`alter table site_subject add constraint site_subject_capacity
    check (capacity is null or (capacity between 0 and 99999 and capacity >= taken))`.execute(db);
  await sql`drop function seat_taken(int, int, text)`.execute(db);
  await sql`drop function seat_capacity_set(int, int, text, int)`.execute(db);
  await sql`drop function seat_layout(int, int)`.execute(db);
  await sql`drop table seat_shard`.execute(db);
}
