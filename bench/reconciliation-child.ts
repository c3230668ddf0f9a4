import { printResult, runAsScript } from "./child";

// The child of bench/reconciliation.ts: DATABASE_URL's scratch database seeded with the demo, then
// n paid payments of the current sitting spread over the demo's sites with the simulated gateway's
// ledger beside them (1 in 1,000 of each kind of difference planted); then, in this one process,
// the bare yardstick (one SQL full join naming the same differences) and the app's reconciliation
// (the job's work: the provider's ledger paged through, stored, matched, differences stored).
await runAsScript(import.meta.url, "reconciliation-child", async ([nArg]) => {
  const n = Number(nArg);
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { sql } = await import("kysely");
  await boot({ seed: true, runJobs: false });
  const db = getDb();
  const sitting = await db.selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow();
  const sites = (await db.selectFrom("org").select("id").where("level", "=", "site").execute()).map((s) => s.id);
  // i % 1000: 1 = paid at the gateway, pending here; 2 = paid here, unknown to the gateway; 3 = amounts differ.
  await sql`insert into payment (id, sitting_id, org_id, provider, amount_fen, per_person_fen, entry_ids, subject_codes, status, expires_at, created_at, finished_at)
    select 'B' || lpad(i::text, 12, '0'), ${sitting.id}, (${sites}::int[])[1 + i % ${sites.length}], 'simulated', 5000 + (i % 7) * 100, 0,
      '{}', '{}', case when i % 1000 = 1 then 'pending' else 'paid' end, now() + interval '1 hour',
      now() - interval '2 days', case when i % 1000 = 1 then null else now() - interval '1 day' end
    from generate_series(1, ${n}) i`.execute(db);
  await sql`insert into sim_gateway_txn (id, merchant_order_id, amount_fen, status, notify_url, return_url, created_at, settled_at)
    select 'SIMB' || lpad(i::text, 12, '0'), 'B' || lpad(i::text, 12, '0'),
      5000 + (i % 7) * 100 + case when i % 1000 = 3 then 1 else 0 end, 'paid', 'http://x/n', 'http://x/r',
      now() - interval '2 days', now() - interval '1 day'
    from generate_series(1, ${n}) i where i % 1000 <> 2`.execute(db);
  await sql`analyze payment`.execute(db);
  await sql`analyze sim_gateway_txn`.execute(db);

  let t = performance.now();
  const bare = await sql<{ n: string }>`select count(*) as n from payment p
    full join sim_gateway_txn g on g.merchant_order_id = p.id and g.status = 'paid'
    where (p.id is null or p.sitting_id = ${sitting.id})
      and ((g.id is not null and (p.id is null or p.status not in ('paid', 'refund_due')))
        or (g.id is null and p.status in ('paid', 'refund_due'))
        or (g.id is not null and p.status in ('paid', 'refund_due') and g.amount_fen <> p.amount_fen))`.execute(db);
  const bareMs = performance.now() - t;

  const { refreshReconciliation } = await import("../app/services/reconciliation.server");
  t = performance.now();
  const figures = await refreshReconciliation({
    accountId: null,
    name: "bench",
    orgId: null,
    sittingId: sitting.id,
    ip: null,
  });
  const appMs = performance.now() - t;
  await shutdown();
  printResult({ n, bareMs, bareDifferences: Number(bare.rows[0].n), appMs, ...figures });
});
