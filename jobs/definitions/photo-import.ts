import { z } from "zod";
import { defineJob } from "../define";
import { endingWithUpload } from "./upload-job";

export const PhotoImportPayloadSchema = z.object({
  fileId: z.string().uuid(),
  siteId: z.number().int(),
  overwrite: z.boolean(),
  idPhotoCheck: z.boolean(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type PhotoImportPayload = z.infer<typeof PhotoImportPayloadSchema>;

/** PHO-1 … PHO-4, PHO-6 (§二十三): a photo zip imported as a job with progress. */
export const photoImportJob = defineJob({
  id: "photo-import",
  payload: PhotoImportPayloadSchema,
  handler: endingWithUpload(() => import("./photo-import.handler"), { always: true }),
});
