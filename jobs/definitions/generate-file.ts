import { z } from "zod";
import { defineJob } from "../define";

export const GenerateFilePayloadSchema = z.object({
  kind: z.enum(["room_statistics"]),
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
