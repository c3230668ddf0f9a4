import { z } from "zod";
import { defineJob } from "../define";

export const PhotoCheckPayloadSchema = z.object({
  siteId: z.number().int(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type PhotoCheckPayload = z.infer<typeof PhotoCheckPayloadSchema>;

/** What the check page shows (PHO-5): declared here, returned by the handler, read by the page typed. */
export interface PhotoCheckResult {
  registrations: number;
  photos: number;
  relinked: number;
  skippedPaid: Array<{ registrationId: number; name: string; idNumber: string }>;
  unmatchedTotal: number;
  unmatched: Array<{ photoId: number; idNumber: string; uploadedAt: string }>;
  unmatchedIds: number[];
}

/** PHO-5 (§二十四): the photo check as a job with progress. */
export const photoCheckJob = defineJob({
  id: "photo-check",
  payload: PhotoCheckPayloadSchema,
  handler: () => import("./photo-check.handler"),
});
