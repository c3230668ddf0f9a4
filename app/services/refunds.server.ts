import { sql } from "kysely";
import { getDb } from "~db/client";
import { AppError } from "~/domain/errors";
import { refundRequestRefusal, stateAfterAnswer, type RefundState } from "~/domain/refunds";
import { getPaymentProvider } from "~/payments/index.server";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

// Issue 20 item 3: the refunds owed by a site, paid back through the payment provider.

export interface RefundFilter {
  state?: RefundState | null;
  offset?: number;
  limit?: number;
}

/** A site's refunds, newest first; the candidate's name only for those who may see personal data. */
export async function listRefunds(sittingId: number, siteId: number, withNames: boolean, f: RefundFilter = {}) {
  const db = getDb();
  let q = db.selectFrom("refund as f").where("f.sitting_id", "=", sittingId).where("f.org_id", "=", siteId);
  if (f.state) q = q.where("f.state", "=", f.state);
  const [rows, totals] = await Promise.all([
    q
      .leftJoin("payment as p", "p.id", "f.payment_id")
      .leftJoin("registration as g", "g.id", "f.registration_id")
      .leftJoin("cancellation as c", (j) =>
        j.onRef("c.registration_id", "=", "f.registration_id").onRef("c.sitting_id", "=", "f.sitting_id"),
      )
      .select([
        "f.id",
        "f.payment_id",
        "f.registration_id",
        "f.reason",
        "f.amount_fen",
        "f.state",
        "f.provider_message",
        "f.requested_by_name",
        "f.requested_at",
        "f.finished_at",
        "f.created_at",
        "p.payment_batch_id",
        (eb) => eb.fn.coalesce("g.name", "c.name").as("name"),
      ])
      .orderBy("f.created_at", "desc")
      .orderBy("f.id", "desc")
      .offset(f.offset ?? 0)
      .limit(f.limit ?? 50)
      .execute(),
    db
      .selectFrom("refund")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("amount_fen").as("fen")])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .groupBy("state")
      .execute(),
  ]);
  const byState = Object.fromEntries(totals.map((t) => [t.state, { count: Number(t.n), fen: Number(t.fen) }]));
  return {
    rows: rows.map(({ name, ...r }) => ({ ...r, name: withNames ? name : null })),
    byState: byState as Partial<Record<RefundState, { count: number; fen: number }>>,
  };
}

/**
 * Issue 20 item 3: ask the provider to pay a refund back. The refund is claimed (due or failed →
 * requested) in its own transaction before the provider is called, so two clicks never refund twice;
 * the provider is asked with the refund's own number, so a retry after a lost answer refunds once.
 */
export async function requestRefund(ctx: AdminContext, refundId: number, now = new Date()) {
  const db = getDb();
  const claimed = await db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom("refund")
      .selectAll()
      .where("id", "=", refundId)
      .where("sitting_id", "=", ctx.sitting.id)
      // ORG-2: a site's own refunds only; another's id is as if it did not exist.
      .where("org_id", "=", ctx.org.id)
      .forUpdate()
      .executeTakeFirst();
    if (!r) throw new AppError("finance.refund_not_found", {}, 404);
    const refusal = refundRequestRefusal(r.state);
    if (refusal) return { refund: r, refusal };
    await trx
      .updateTable("refund")
      .set({
        state: "requested",
        requested_by: ctx.accountId,
        requested_by_name: ctx.name,
        requested_at: now,
        provider_message: "",
      })
      .where("id", "=", r.id)
      .execute();
    await recordAudit(trx, ctx.actor, {
      action: "refund.request",
      entityType: "refund",
      entityId: r.id,
      orgId: r.org_id,
      before: { state: r.state },
      after: { state: "requested", amount_fen: r.amount_fen, payment: r.payment_id },
    });
    return { refund: r, refusal: null };
  });
  if (claimed.refusal) return { state: claimed.refund.state, refusal: claimed.refusal };
  return askProvider(ctx, claimed.refund);
}

async function askProvider(
  ctx: AdminContext | null,
  r: { id: number; payment_id: string; amount_fen: number; reason: string; org_id: number; sitting_id: number },
) {
  const db = getDb();
  const payment = await db
    .selectFrom("payment")
    .select("provider")
    .where("id", "=", r.payment_id)
    .executeTakeFirstOrThrow();
  let answer;
  try {
    answer = await getPaymentProvider(payment.provider).refund({
      orderId: r.payment_id,
      refundId: refundNumber(r.id),
      amountFen: r.amount_fen,
      reason: r.reason,
    });
  } catch (e) {
    // Unreachable provider: the refund stays requested and the sweep asks again.
    console.warn(`[refunds] provider unreachable for refund ${r.id}: ${e instanceof Error ? e.message : e}`);
    return { state: "requested" as const, refusal: null };
  }
  const state = stateAfterAnswer(answer);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("refund")
      .set({
        state,
        provider_refund_id: "providerRefundId" in answer ? (answer.providerRefundId ?? null) : null,
        provider_message: answer.status === "failed" ? answer.message.slice(0, 500) : "",
        finished_at: state === "requested" ? null : sql<Date>`now()`,
      })
      .where("id", "=", r.id)
      .where("state", "=", "requested")
      .execute();
    if (state !== "requested")
      await recordAudit(
        trx,
        ctx?.actor ?? { accountId: null, name: "system", orgId: r.org_id, sittingId: r.sitting_id, ip: null },
        {
          action: state === "refunded" ? "refund.refunded" : "refund.failed",
          entityType: "refund",
          entityId: r.id,
          orgId: r.org_id,
          after: { state, ...(answer.status === "failed" ? { message: answer.message.slice(0, 200) } : {}) },
        },
      );
  });
  return { state, refusal: null };
}

/** The number the provider knows our refund by. */
export const refundNumber = (id: number) => `RF${String(id).padStart(10, "0")}`;

/** Refunds left "requested" (a lost answer, a provider still processing) are asked again. */
export async function sweepRequestedRefunds(olderThanMs = 60_000, limit = 100) {
  const db = getDb();
  const rows = await db
    .selectFrom("refund")
    .select(["id", "payment_id", "amount_fen", "reason", "org_id", "sitting_id"])
    .where("state", "=", "requested")
    .where("requested_at", "<", new Date(Date.now() - olderThanMs))
    .limit(limit)
    .execute();
  // Asked again with the same refund number: one the provider already made answers "refunded".
  for (const r of rows) await askProvider(null, r);
  return rows.length;
}

/** The candidate's own refunds (the status page): amount, reason, state. */
export async function refundsOfAccount(accountId: string, sittingId: number) {
  return getDb()
    .selectFrom("refund")
    .select(["id", "reason", "amount_fen", "state", "created_at", "finished_at"])
    .where("account_id", "=", accountId)
    .where("sitting_id", "=", sittingId)
    .orderBy("id")
    .execute();
}
