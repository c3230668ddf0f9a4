import { z } from "zod";
import { defineJob } from "../define";

export const CandidateCardsPayloadSchema = z.object({
  siteId: z.number().int(),
  locale: z.enum(["zh-CN", "en"]),
});
export type CandidateCardsPayload = z.infer<typeof CandidateCardsPayloadSchema>;
export interface CandidateCardsResult {
  candidates: number;
  made: number;
  kept: number;
}

/** DOC-3 (§三十六): pre-generating every candidate's own card, as a job with progress. */
export const candidateCardsJob = defineJob({
  id: "candidate-cards",
  payload: CandidateCardsPayloadSchema,
  handler: () => import("./candidate-cards.handler"),
});
