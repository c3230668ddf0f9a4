import { z } from "zod";
import type { ReconcileFigures } from "~/services/reconciliation.server";
import { defineJob } from "../define";

export const ReconciliationPayloadSchema = z.object({
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type ReconciliationPayload = z.infer<typeof ReconciliationPayloadSchema>;
export type ReconciliationResult = ReconcileFigures;

/** FIN-2: fetch the gateway's ledger and list every difference, as a job with progress. */
export const reconciliationJob = defineJob({
  id: "reconciliation",
  payload: ReconciliationPayloadSchema,
  handler: () => import("./reconciliation.handler"),
});
