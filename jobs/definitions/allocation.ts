import { z } from "zod";
import { CLASS_SEATINGS } from "~/domain/allocation";
import type { AllocationSummary } from "~/services/allocate-site.server";
import { defineJob } from "../define";

export const AllocationPayloadSchema = z.object({
  siteId: z.number().int(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
  /** SCH-2's class option chosen with this run (kept as the site's); absent: the site's saved one. */
  classSeating: z.enum(CLASS_SEATINGS).optional(),
});
export type AllocationPayload = z.infer<typeof AllocationPayloadSchema>;
export type AllocationResult = AllocationSummary;

/** SCH-2/SCH-3 (§三十一): the site's automatic allocation as a job with progress. */
export const allocationJob = defineJob({
  id: "allocation",
  payload: AllocationPayloadSchema,
  handler: () => import("./allocation.handler"),
});
