import { refreshReconciliation } from "~/services/reconciliation.server";
import type { JobContext } from "../define";
import type { ReconciliationPayload, ReconciliationResult } from "./reconciliation";

export default async function reconciliationHandler(
  p: ReconciliationPayload,
  ctx: JobContext,
): Promise<ReconciliationResult> {
  if (ctx.sittingId === null) throw new Error("reconciliation without a sitting");
  return refreshReconciliation(
    { accountId: ctx.accountId, name: p.actorName, orgId: ctx.orgId, sittingId: ctx.sittingId, ip: p.ip },
    (percent) => ctx.progress(percent, { key: "finance.progress_fetching" }),
  );
}
