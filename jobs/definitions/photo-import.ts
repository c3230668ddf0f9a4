import { z } from "zod";
import type { PhotoImportReason } from "~/domain/photo-import";
import type { SavedText } from "~/i18n";
import { defineJob } from "../define";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const PhotoImportPayloadSchema = ImportPayloadBase.extend({ idPhotoCheck: z.boolean() });
export type PhotoImportPayload = z.infer<typeof PhotoImportPayloadSchema>;

/** What the import page shows: declared here, returned by the handler, read by the page typed. */
export interface PhotoImportResult {
  ok: boolean;
  fatal?: SavedText;
  files?: number;
  imported?: number;
  replaced?: number;
  failed?: number;
  /** Reasons in a fixed order (the page names them in the viewer's language). */
  byReason?: Array<{ reason: PhotoImportReason; count: number }>;
  /** Rows of the error list (one per file and reason); the first ERRORS_ON_PAGE are here. */
  total?: number;
  errors?: Array<{ file: string; idNumber: string; message: SavedText }>;
  reportFileId?: string;
}

/** PHO-1 … PHO-4, PHO-6 (§二十三): a photo zip imported as a job with progress. */
export const photoImportJob = defineJob({
  id: "photo-import",
  payload: PhotoImportPayloadSchema,
  handler: endingWithUpload(() => import("./photo-import.handler"), { always: true }),
});
