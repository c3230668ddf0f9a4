import { z } from "zod";
import { CARD_ORDERS } from "~/domain/admission-cards";
import { GENERATED_KIND_NAMES } from "~/services/generated-file-kinds";
import { defineJob } from "../define";

export const GenerateFilePayloadSchema = z.object({
  kind: z.enum(GENERATED_KIND_NAMES),
  /** DOC-1/DOC-2's order of the cards. */
  order: z.enum(CARD_ORDERS).optional(),
  siteId: z.number().int(),
  siteCode: z.string(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
});
export type GenerateFilePayload = z.infer<typeof GenerateFilePayloadSchema>;
export interface GenerateFileResult {
  fileId: string;
  size: number;
}

/** Issue 16 item 5: a generated file is made by a job with progress. */
export const generateFileJob = defineJob({
  id: "generate-file",
  payload: GenerateFilePayloadSchema,
  handler: () => import("./generate-file.handler"),
});
