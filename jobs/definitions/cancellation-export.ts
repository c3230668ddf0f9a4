import { z } from "zod";
import { defineJob } from "../define";

export const CancellationExportPayloadSchema = z.object({
  /** ORG-2: the organisation whose sites the export covers (the requester's own); the handler recomputes the sites. */
  scopeOrgId: z.number().int(),
  sittingId: z.number().int(),
  /** MGT-5's cancellations filter as URL parameters (cancellationFilterToParams). */
  filter: z.string().max(4000),
  locale: z.enum(["zh-CN", "en"]),
});
export type CancellationExportPayload = z.infer<typeof CancellationExportPayloadSchema>;

/** MGT-5: the cancellations search as .xlsx, ID numbers as their last 4 characters. */
export const cancellationExportJob = defineJob({
  id: "cancellation-export",
  payload: CancellationExportPayloadSchema,
  handler: () => import("./cancellation-export.handler"),
});
