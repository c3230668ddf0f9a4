import { getDb } from "~db/client";
import { listSiteClassNames } from "~db/queries/registrations";
import { getSiteSetting } from "~db/queries/setup";
import type { PaymentBatch } from "~db/schema";
import { type PaymentBatchFilter } from "~/domain/group-payment";
import type { AdminContext } from "~/utils/auth.server";
import { requireSite } from "~/utils/permissions.server";
import { findPayable, type PayableView } from "./payment-batch-shared.server";

export interface PaymentBatchListOptions {
  includePaid: boolean;
  includeDeleted: boolean;
}

/** GRP-6: the page: the site's setting, its payment batches (open ones always), and what is payable now. */
export async function loadGroupPaymentPage(
  ctx: AdminContext,
  opts: PaymentBatchListOptions,
  filter: PaymentBatchFilter,
  now = new Date(),
) {
  requireSite(ctx, "grouppay.site_only");
  const db = getDb();
  const setting = await getSiteSetting(db, ctx.sitting.id, ctx.org.id);
  const statuses: PaymentBatch["status"][] = [
    "open",
    ...(opts.includePaid ? ["paid" as const] : []),
    ...(opts.includeDeleted ? ["deleted" as const] : []),
  ];
  const paymentBatches = await db
    .selectFrom("payment_batch")
    .selectAll()
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id)
    .where("status", "in", statuses)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const pending =
    paymentBatches.length === 0
      ? []
      : await db
          .selectFrom("payment")
          .select(["id", "payment_batch_id", "redirect_url", "expires_at"])
          .where(
            "payment_batch_id",
            "in",
            paymentBatches.map((b) => b.id),
          )
          .where("status", "=", "pending")
          .where("expires_at", ">", now)
          .execute();
  // Paid in the last hour: a page that was following one of them (issue 15 item 8) says so.
  const recentlyPaid = await db
    .selectFrom("payment_batch")
    .select("id")
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id)
    .where("status", "=", "paid")
    .where("finished_at", ">", new Date(now.getTime() - 3_600_000))
    .execute();
  const found = setting.group_payment ? await findPayable(db, ctx, setting, filter, now) : null;
  const payable: PayableView | null = found ? { summary: found.summary, gaps: found.gaps } : null;
  const subjects = await db
    .selectFrom("site_subject as s")
    .innerJoin("subject", "subject.code", "s.subject_code")
    .select(["s.subject_code as code", "subject.name"])
    .where("s.sitting_id", "=", ctx.sitting.id)
    .where("s.org_id", "=", ctx.org.id)
    .orderBy("s.subject_code")
    .execute();
  return {
    enabled: setting.group_payment,
    perPersonFen: setting.per_person_fee_fen,
    paymentBatches: paymentBatches.map((b) => {
      const p = pending.find((x) => x.payment_batch_id === b.id);
      return { ...b, pending: p ? { id: p.id, url: p.redirect_url, expires: p.expires_at } : null };
    }),
    openExists: paymentBatches.some((b) => b.status === "open"),
    recentlyPaidIds: recentlyPaid.map((b) => b.id),
    payable,
    subjects,
    classNames: await listSiteClassNames(db, ctx.sitting.id, ctx.org.id),
  };
}
