import { z } from "zod";
import { defineJob } from "../define";

export const CandidateExportPayloadSchema = z.object({
  /** ORG-2: the organisation whose sites the export covers (the requester's own); the handler recomputes the sites. */
  scopeOrgId: z.number().int(),
  sittingId: z.number().int(),
  /** MGT-1's candidate filter as URL parameters (filterToParams), read back with parseCandidateFilter. */
  filter: z.string().max(4000),
  locale: z.enum(["zh-CN", "en"]),
});
export type CandidateExportPayload = z.infer<typeof CandidateExportPayloadSchema>;

/** MGT-3: the search results' entries as .xlsx (site code, name, last 4 of the ID, class, subject). */
export const candidateExportJob = defineJob({
  id: "candidate-export",
  payload: CandidateExportPayloadSchema,
  handler: () => import("./candidate-export.handler"),
});
