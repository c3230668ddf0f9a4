import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import {
  differenceLabel,
  reconcile,
  type Difference,
  type GatewayRecord,
  type OurPayment,
} from "~/domain/reconciliation";
import { translator, type MessageKey } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";
import { buildStatsWorkbook, type StatsScope } from "./registration-statistics.server";
import { getPaymentProvider } from "~/payments/index.server";
import { recordAudit, type Actor } from "./audit.server";

type Q = Kysely<DB> | Transaction<DB>;

// FIN-2: the gateway's ledger fetched through the provider's reconciliation query, beside our payments,
// every difference stored for the page (one fetch covers the whole sitting; each viewer sees its scope).

export interface ReconcileFigures {
  records: number;
  differences: number;
  coversFrom: string;
  coversTo: string;
}

const CHUNK = 10_000;

export async function refreshReconciliation(
  actor: Actor & { sittingId: number },
  progress: (percent: number) => Promise<void> = async () => {},
  now = new Date(),
): Promise<ReconcileFigures> {
  const db = getDb();
  const sittingId = actor.sittingId;
  // The period: from the sitting's first order to now (what the gateway can have settled).
  const first = await db
    .selectFrom("payment")
    .select((eb) => eb.fn.min("created_at").as("t"))
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
  const from = first?.t ? new Date(first.t as Date) : now;
  const providers = (
    await db.selectFrom("payment").select("provider").distinct().where("sitting_id", "=", sittingId).execute()
  ).map((r) => r.provider);
  let records = 0;
  const differences: Difference[] = [];
  for (const name of providers) {
    const provider = getPaymentProvider(name);
    const gateway: GatewayRecord[] = [];
    for await (const page of provider.ledger(from, now)) {
      gateway.push(...page.map((g) => ({ orderId: g.orderId, txnId: g.providerTxnId, amountFen: g.amountFen })));
      await storeRecords(db, name, page, now);
      await progress(Math.min(60, 5 + gateway.length / 2000));
    }
    records += gateway.length;
    // Ours: the sitting's orders with this provider, and any other order the gateway named (another
    // sitting's order is not this sitting's difference).
    const ours = new Map<string, OurPayment & { sittingId: number }>();
    const rows = await db
      .selectFrom("payment")
      .select(["id", "org_id", "status", "amount_fen", "sitting_id", "finished_at"])
      .where("provider", "=", name)
      .where((w) =>
        w.or([
          w("sitting_id", "=", sittingId),
          w("id", "=", sql<string>`any(${gateway.map((g) => g.orderId)}::text[])`),
        ]),
      )
      .execute();
    for (const r of rows) {
      // Taken after the fetch began: the ledger could not have it yet.
      if (r.finished_at && r.finished_at >= now && r.sitting_id === sittingId) continue;
      ours.set(r.id, {
        orderId: r.id,
        orgId: r.org_id,
        status: r.status,
        amountFen: r.amount_fen,
        sittingId: r.sitting_id,
      });
    }
    await progress(70);
    for (const d of reconcile(ours.values(), gateway)) {
      const p = ours.get(d.orderId);
      if (!p || p.sittingId === sittingId) differences.push(d);
    }
  }
  await progress(80);
  await db.transaction().execute(async (trx) => {
    const f = await trx
      .insertInto("gateway_fetch")
      .values({
        sitting_id: sittingId,
        provider: providers.join(",") || getPaymentProvider().name,
        covers_from: from,
        covers_to: now,
        records,
        differences: differences.length,
        fetched_by_name: actor.name,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Only the latest fetch's differences are current.
    await trx
      .deleteFrom("payment_difference")
      .where("sitting_id", "=", sittingId)
      .where("fetch_id", "<>", f.id)
      .execute();
    for (let i = 0; i < differences.length; i += CHUNK) {
      const c = differences.slice(i, i + CHUNK);
      await sql`insert into payment_difference (fetch_id, sitting_id, org_id, kind, order_id, our_status, our_fen, gateway_fen, txn_id)
        select ${f.id}::int, ${sittingId}::int, t.o, t.k, t.id, t.s, t.our, t.gw, t.txn
        from unnest(${c.map((d) => d.orgId)}::int[], ${c.map((d) => d.kind)}::text[], ${c.map((d) => d.orderId)}::text[],
          ${c.map((d) => d.ourStatus)}::text[], ${c.map((d) => d.ourFen)}::int[], ${c.map((d) => d.gatewayFen)}::int[],
          ${c.map((d) => d.txnId)}::text[]) as t(o, k, id, s, our, gw, txn)`.execute(trx);
    }
    await recordAudit(trx, actor, {
      action: "payment.reconcile",
      entityType: "payment",
      entityId: f.id,
      after: { records, differences: differences.length },
    });
  });
  await progress(100);
  return { records, differences: differences.length, coversFrom: from.toISOString(), coversTo: now.toISOString() };
}

async function storeRecords(
  db: Q,
  provider: string,
  page: Array<{ orderId: string; providerTxnId: string; amountFen: number; refundedFen: number; paidAt: Date }>,
  now: Date,
) {
  for (let i = 0; i < page.length; i += CHUNK) {
    const c = page.slice(i, i + CHUNK);
    await sql`insert into gateway_record (provider, order_id, txn_id, amount_fen, refunded_fen, paid_at, fetched_at)
      select ${provider}, t.o, t.x, t.a, t.r, t.p, ${now}
      from unnest(${c.map((g) => g.orderId)}::text[], ${c.map((g) => g.providerTxnId)}::text[],
        ${c.map((g) => g.amountFen)}::int[], ${c.map((g) => g.refundedFen)}::int[],
        ${c.map((g) => g.paidAt.toISOString())}::timestamptz[]) as t(o, x, a, r, p)
      on conflict (provider, order_id) do update set txn_id = excluded.txn_id, amount_fen = excluded.amount_fen,
        refunded_fen = excluded.refunded_fen, paid_at = excluded.paid_at, fetched_at = excluded.fetched_at`.execute(db);
  }
}

/** The latest fetch of the sitting, and its differences within the viewer's sites (the centre also sees unknown orders). */
export async function listDifferences(
  db: Q,
  sittingId: number,
  siteIds: readonly number[],
  includeUnknown: boolean,
  limit = 500,
) {
  const fetch = await db
    .selectFrom("gateway_fetch")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!fetch) return { fetch: null, rows: [], total: 0 };
  const scoped = () => {
    let q = db.selectFrom("payment_difference as d").where("d.fetch_id", "=", fetch.id);
    q = q.where((w) => {
      const parts = [];
      if (siteIds.length) parts.push(w("d.org_id", "in", siteIds));
      if (includeUnknown) parts.push(w("d.org_id", "is", null));
      return parts.length ? w.or(parts) : w.val(false);
    });
    return q;
  };
  const [rows, total] = await Promise.all([
    scoped()
      .leftJoin("org as o", "o.id", "d.org_id")
      .select([
        "d.id",
        "d.kind",
        "d.order_id",
        "d.our_status",
        "d.our_fen",
        "d.gateway_fen",
        "d.txn_id",
        "o.code as site_code",
        "o.name as site_name",
      ])
      .orderBy("d.kind")
      .orderBy("d.order_id")
      .limit(limit)
      .execute(),
    scoped()
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { fetch, rows, total: Number(total.n) };
}

/** FIN-2: a site's group payment batches that were paid, with what each paid for. */
export async function paidPaymentBatches(db: Q, sittingId: number, siteId: number) {
  return db
    .selectFrom("payment_batch as b")
    .leftJoin("payment as p", (j) => j.onRef("p.payment_batch_id", "=", "b.id").on("p.status", "=", "paid"))
    .select([
      "b.id",
      "b.candidate_count",
      "b.entry_count",
      "b.per_person_count",
      "b.per_person_fen",
      "b.subject_fen",
      "b.amount_fen",
      "b.finished_at",
      "p.id as payment_id",
    ])
    .where("b.sitting_id", "=", sittingId)
    .where("b.org_id", "=", siteId)
    .where("b.status", "=", "paid")
    .orderBy("b.id")
    .execute();
}

/** FIN-2's .xlsx: the payment statistics of the scope, its group payment batches (one site) and the differences. */
export async function exportFinance(ctx: AdminContext, scope: StatsScope) {
  const db = getDb();
  const body = await buildStatsWorkbook(ctx, scope, "payments", async (wb, t) => {
    if (scope.root.level === "site") {
      const ws = wb.addWorksheet(t("finance.batches_title"));
      ws.addRow([
        t("finance.batch_no"),
        t("finance.batch_candidates"),
        t("finance.batch_entries"),
        t("stats.per_person_fen"),
        t("stats.subject_fen"),
        t("finance.amount"),
        t("finance.order_no"),
      ]).font = { bold: true };
      for (const b of await paidPaymentBatches(db, ctx.sitting.id, scope.root.id))
        ws.addRow([
          b.id,
          b.candidate_count,
          b.entry_count,
          b.per_person_fen / 100,
          b.subject_fen / 100,
          b.amount_fen / 100,
          b.payment_id ?? "",
        ]);
    }
    const diffs = await listDifferences(
      db,
      ctx.sitting.id,
      scope.sites.map((s) => s.id),
      ctx.org.level === "centre" && !scope.narrowed,
      100_000,
    );
    const ws = wb.addWorksheet(t("finance.reconciliation_title"));
    ws.addRow([
      t("finance.diff_kind"),
      t("finance.order_no"),
      t("stats.site"),
      t("finance.our_status"),
      t("finance.our_amount"),
      t("finance.gateway_amount"),
      t("finance.txn_no"),
    ]).font = { bold: true };
    for (const x of diffs.rows)
      ws.addRow([
        t(differenceLabel(x.kind)),
        x.order_id,
        x.site_code ? `(${x.site_code}) ${x.site_name}` : t("finance.no_site"),
        x.our_status ? t(`finance.payment_status.${x.our_status}` as MessageKey) : t("finance.not_ours"),
        x.our_fen === null ? null : x.our_fen / 100,
        x.gateway_fen === null ? null : x.gateway_fen / 100,
        x.txn_id ?? "",
      ]);
  });
  return { body, fileName: `${translator(ctx.locale)("finance.payments_title")}-${scope.root.code}.xlsx` };
}
