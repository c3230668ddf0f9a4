import { printResult, runAsScript } from "./child";

// The child of bench/statistics.ts: DATABASE_URL's scratch database migrated and seeded with the
// demo, then given 50 sites (45 in province 99, 5 in province 50) and `n` registrations with 1–3
// entries each, most paid, the paid entries of every other site seated, the seated entries of every
// fourth site scored, all in a few set-based statements (generate_series, no rows through Node).
// Then, `repeat` times each after 3 warm-ups, STAT-1's page data (app/services/
// general-statistics.server.ts loadGeneralStatistics: scope, names, filter lists and the one
// aggregate query) for:
//   (a) province 99 with two pivot columns;
//   (b) every preset, province 99;
//   (c) one site (the largest, 990101) with the same request as (a);
// and the aggregate query alone for (a) and (c).
//
//   tsx bench/statistics-child.ts <registrations> <repeat>

export const PROVINCE = "99";
export const SITE = "990101";
/** (a) and (c): one metric (distinct candidates), two pivot columns. */
export const TWO_PIVOTS = "col=city&col=site&col=subject&col=gender&pivot=subject&pivot=gender&metric=candidates";

await runAsScript(import.meta.url, "statistics-child", async ([nArg, repeatArg]) => {
  const n = Number(nArg);
  const repeat = Number(repeatArg);
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { sql } = await import("kysely");
  const { getOrgPath } = await import("../db/queries/orgs");
  const { getCurrentSitting } = await import("../db/queries/sittings");
  const { PIVOT_PRESETS, parsePivotQuery, specParams } = await import("../app/domain/pivot");
  const { loadGeneralStatistics, runPivot } = await import("../app/services/general-statistics.server");
  const { resolveStatsScope } = await import("../app/services/registration-statistics.server");
  type Ctx = Parameters<typeof loadGeneralStatistics>[0];

  await boot({ seed: true, runJobs: false });
  const db = getDb();
  const t0 = performance.now();
  const sitting = await getCurrentSitting(db);
  await seed(sql, db, sitting.id, n);
  const seedMs = performance.now() - t0;

  /** An administrator's context of the organisation `code` (what requireAdmin would build). */
  const contextOf = async (code: string): Promise<Ctx> => {
    const org = await db.selectFrom("org").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
    return {
      accountId: "bench",
      sessionId: "bench",
      name: "bench",
      locale: "zh-CN",
      role: "admin",
      org,
      orgPath: await getOrgPath(db, org.id),
      currentSitting: sitting,
      sitting,
      ip: null,
      actor: { accountId: null, name: "bench", orgId: org.id, sittingId: sitting.id, ip: null },
    };
  };
  const province = await contextOf(PROVINCE);
  const site = await contextOf(SITE);

  /** `repeat` timings (ms) of `fn` after 3 warm-ups; `check` sees the last answer. */
  const time = async <T>(fn: () => Promise<T>, check: (r: T) => void = () => {}) => {
    for (let i = 0; i < 3; i++) await fn();
    const out: number[] = [];
    let last: T | undefined;
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      last = await fn();
      out.push(performance.now() - t);
    }
    check(last as T);
    return out;
  };
  const pageOf = (ctx: Ctx, query: string) => loadGeneralStatistics(ctx, new URLSearchParams(query));
  const ok = (label: string) => (r: Awaited<ReturnType<typeof loadGeneralStatistics>>) => {
    if (r.errors.length || !r.result) throw new Error(`${label}: ${r.errors.join("; ") || "no result"}`);
  };
  const queryOnly = async (ctx: Ctx, query: string) => {
    const parsed = parsePivotQuery(new URLSearchParams(query));
    if (parsed.state !== "ok") throw new Error(`bad request ${query}`);
    const scope = await resolveStatsScope(ctx, null);
    const ids = scope.sites.map((s) => s.id);
    return () => runPivot(sitting.id, ids, parsed.spec);
  };

  const provinceScope = await resolveStatsScope(province, null);
  const siteScope = await resolveStatsScope(site, null);
  const count = async (ids: number[]) =>
    Number(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from registration where sitting_id = ${sitting.id} and org_id = any(${ids}::int[])`.execute(
          db,
        )
      ).rows[0].n,
    );
  const a = await time(() => pageOf(province, TWO_PIVOTS), ok("(a)"));
  const aQuery = await time(await queryOnly(province, TWO_PIVOTS));
  const aShape = (await pageOf(province, TWO_PIVOTS)).result!;
  const presets: Record<string, number[]> = {};
  for (const p of PIVOT_PRESETS)
    presets[p.id] = await time(() => pageOf(province, specParams(p.spec).toString()), ok(p.id));
  const c = await time(() => pageOf(site, TWO_PIVOTS), ok("(c)"));
  const cQuery = await time(await queryOnly(site, TWO_PIVOTS));

  const totals = (
    await sql<{ regs: number; entries: number; sites: number; seated: number; scored: number }>`
      select (select count(*) from registration where sitting_id = ${sitting.id}) as regs,
        (select count(*) from entry where sitting_id = ${sitting.id}) as entries,
        (select count(distinct org_id) from registration where sitting_id = ${sitting.id}) as sites,
        (select count(*) from entry where sitting_id = ${sitting.id} and batch_id is not null) as seated,
        (select count(*) from score where sitting_id = ${sitting.id}) as scored`.execute(db)
  ).rows[0];
  const provinceRegs = await count(provinceScope.sites.map((s) => s.id));
  const siteRegs = await count(siteScope.sites.map((s) => s.id));
  await shutdown();
  printResult({
    n,
    seedMs,
    ...totals,
    provinceSites: provinceScope.sites.length,
    provinceRegs,
    siteRegs,
    a,
    aQuery,
    aRows: aShape.rows.length,
    aColumns: aShape.colKeys.length,
    presets,
    c,
    cQuery,
  });
});

/**
 * The scratch data, set-based. Sites are ordered 990101 first, then by a hash of their code, and
 * registration i goes to site ⌊50·(i/n)²⌋: the first site gets about 14 %, the last about 1 %.
 */
async function seed(
  sql: typeof import("kysely").sql,
  db: import("kysely").Kysely<import("../db/schema").DB>,
  sittingId: number,
  n: number,
) {
  const exec = (q: ReturnType<typeof sql>) => q.execute(db);
  // A third city in province 99; 42 new sites in 99 and 4 in 50 (with the 4 demo sites: 45 + 5).
  await exec(sql`insert into org (code, name, level, parent_id)
    select '9903', '压测第三地市', 'city', id from org where code = '99'`);
  await exec(sql`insert into org (code, name, level, parent_id)
    select c.code || lpad(k::text, 2, '0'), '压测考点' || c.code || lpad(k::text, 2, '0'), 'site', c.id
    from (values ('9901', 3, 16), ('9902', 2, 15), ('9903', 1, 14), ('5001', 2, 5)) as v(city, lo, hi)
    join org c on c.code = v.city
    cross join lateral generate_series(v.lo, v.hi) k`);
  await exec(sql`insert into org_sitting (org_id, sitting_id, address, postcode, contact_name, review_state)
    select o.id, ${sittingId}, '压测路 ' || o.code || ' 号', '999000', '压测老师', 'reviewed' from org o
    where not exists (select 1 from org_sitting s where s.org_id = o.id and s.sitting_id = ${sittingId})`);
  await exec(sql`insert into site_setting (sitting_id, org_id, per_person_fee_fen, total_capacity)
    select ${sittingId}, o.id, 1000, null from org o where o.level = 'site'
    and not exists (select 1 from site_setting s where s.org_id = o.id and s.sitting_id = ${sittingId})`);
  await exec(sql`create temporary table bench_site as
    select id, (row_number() over (order by code <> '990101', md5(code)) - 1)::int as k
    from org where level = 'site'`);
  const sites = Number((await sql<{ n: number }>`select count(*) as n from bench_site`.execute(db)).rows[0].n);
  if (sites !== 50) throw new Error(`expected 50 sites, made ${sites}`);

  await exec(sql`select setseed(0.42)`);
  await exec(sql`insert into registration (sitting_id, org_id, channel, id_type, id_number, name, gender, birth_date,
      ethnicity, education, registry_candidate, preferred_date, person_fee_paid)
    select ${sittingId}, s.id, case when random() < 0.4 then 'group' else 'online' end, '1', 'B' || lpad(i::text, 17, '0'),
      '压测考生' || i, case when random() < 0.5 then '1' else '2' end, date '1998-01-01' + (i % 4000),
      '01', (array['10', '20', '30', '40', '60'])[1 + floor(random() * 5)::int], random() < 0.2,
      case when random() < 0.3 then date '2027-03-27' + floor(random() * 3)::int end, true
    from generate_series(0, ${n - 1}) i
    join bench_site s on s.k = floor(50 * power(i::float8 / ${n}, 2))::int`);

  // Entries without the per-registration counter trigger (one update after; same result, 10× faster).
  await exec(sql`alter table entry disable trigger entry_counts`);
  await exec(sql`insert into entry (registration_id, sitting_id, org_id, subject_code, paid, fee_fen, paid_at)
    select r.id, r.sitting_id, r.org_id, x.subj, x.p, case when x.p then 11000 end, case when x.p then now() end
    from registration r
    cross join lateral generate_series(0, (r.id % 7 = 0)::int + (r.id % 3 = 0)::int) k
    cross join lateral (select (array['14', '15', '16', '24', '65', '66'])[1 + ((r.id + k * 5) % 6)] as subj,
      ((r.id * 7 + k * 13) % 10) < 8 as p) x
    where r.sitting_id = ${sittingId}`);
  await exec(sql`alter table entry enable trigger entry_counts`);
  await exec(sql`update registration r set entry_count = x.n, paid_count = x.p, paid_fen = x.f
    from (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p,
      coalesce(sum(fee_fen) filter (where paid), 0)::int as f from entry where sitting_id = ${sittingId} group by registration_id) x
    where x.registration_id = r.id`);

  // Every other site has allocated: one room of 999 seats, 40 batches, every paid entry seated.
  await exec(sql`insert into room (sitting_id, org_id, number, location, seats)
    select ${sittingId}, id, '01', '压测楼', 999 from bench_site where k % 2 = 0`);
  await exec(sql`insert into exam_batch (room_id, sitting_id, org_id, seq, exam_date, start_min, end_min, capacity)
    select r.id, r.sitting_id, r.org_id, q, date '2027-03-27' + (q - 1) / 20, 480 + ((q - 1) % 4) * 140, 600 + ((q - 1) % 4) * 140, 999
    from room r cross join generate_series(1, 40) q where r.sitting_id = ${sittingId}`);
  await exec(sql`update entry e set batch_id = b.id, seat = x.rn % 999 + 1
    from (select id, org_id, row_number() over (partition by org_id order by id) - 1 as rn from entry
          where sitting_id = ${sittingId} and paid and org_id in (select id from bench_site where k % 2 = 0)) x
    join exam_batch b on b.org_id = x.org_id and b.sitting_id = ${sittingId} and b.seq = x.rn / 999 + 1
    where e.id = x.id`);
  // Every fourth site has its scores; one in fifty absent.
  await exec(sql`insert into score (entry_id, sitting_id, org_id, subject_code, registration_id, score, grade_code)
    select e.id, e.sitting_id, e.org_id, e.subject_code, e.registration_id,
      case when e.id % 50 = 7 then null else (e.id * 37) % 101 end,
      case when e.id % 50 = 7 then -1 else case when (e.id * 37) % 101 >= 90 then 3 when (e.id * 37) % 101 >= 80 then 2
        when (e.id * 37) % 101 >= 60 then 1 else 0 end end
    from entry e where e.sitting_id = ${sittingId} and e.batch_id is not null
    and e.org_id in (select id from bench_site where k % 4 = 0)`);
  await exec(sql`analyze`);
}
