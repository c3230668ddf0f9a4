import { sql } from "kysely";
import { getDb } from "~db/client";
import { listSitesUnder } from "~db/queries/statistics";
import { formatWallClock, parseWallClock } from "~/domain/windows";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { listSettlementAccounts } from "./settlement-accounts.server";

/**
 * Issue 20 item 5: what finance staff open first, over their scope (ORG-2): the site's settlement
 * accounts, today's payments, the reconciliation's differences still listed, and refunds due.
 * Amounts and counts only (ORG-11).
 */
export async function financeOverview(ctx: AdminContext, now = new Date()) {
  const db = getDb();
  const sittingId = ctx.sitting.id;
  const siteIds = (await listSitesUnder(db, ctx.org.id, sittingId)).map((s) => s.id);
  const tz = getEnv().timeZone;
  // Today as the deployment's wall clock tells it (payments at 23:30 Beijing time are that day's).
  const dayStart = parseWallClock(`${formatWallClock(now, tz).slice(0, 10)} 00:00`, tz) ?? now;
  if (siteIds.length === 0)
    return { accounts: [], today: { count: 0, fen: 0 }, differences: 0, refunds: { count: 0, fen: 0 }, site: false };
  const [today, refunds, differences, accounts] = await Promise.all([
    db
      .selectFrom("payment")
      .select([(eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("amount_fen").as("fen")])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "in", siteIds)
      .where("status", "in", ["paid", "refund_due"])
      .where("finished_at", ">=", dayStart)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("refund")
      .select([(eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("amount_fen").as("fen")])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "in", siteIds)
      .where("state", "in", ["due", "failed"])
      .executeTakeFirstOrThrow(),
    sql<{ n: string }>`select count(*) as n from payment_difference d
      where d.fetch_id = (select max(id) from gateway_fetch where sitting_id = ${sittingId})
      and d.org_id = any(${siteIds}::int[])`.execute(db),
    ctx.org.level === "site" ? listSettlementAccounts(db, sittingId, [ctx.org.id]) : Promise.resolve([]),
  ]);
  return {
    site: ctx.org.level === "site",
    accounts,
    today: { count: Number(today.n), fen: Number(today.fen ?? 0) },
    differences: Number(differences.rows[0]?.n ?? 0),
    refunds: { count: Number(refunds.n), fen: Number(refunds.fen ?? 0) },
  };
}
