import { z } from "zod";
import { defineJob } from "../define";
import { endingWithUpload } from "./upload-job";

export const GroupRegistrationImportPayloadSchema = z.object({
  /** The .xlsx unpacked from the uploaded .zip (GRP-1), in the file store. */
  fileId: z.string().uuid(),
  siteId: z.number().int(),
  overwrite: z.boolean(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type GroupRegistrationImportPayload = z.infer<typeof GroupRegistrationImportPayloadSchema>;

/** What the import page shows (X-2, SR-3's report shape). */
export interface GroupImportResult {
  ok: boolean;
  fatal?: string;
  total?: number;
  reportFileId?: string;
  errors?: Array<{ row: number; column: string; value: string; message: string }>;
  rows?: number;
  created?: number;
  updated?: number;
  entriesAdded?: number;
  entriesRemoved?: number;
  accountsCreated?: number;
  accountsBound?: number;
  /** GRP-4: unproven accounts taken over for the site, by row. */
  accountsTakenOver?: number;
  takenOver?: Array<{ row: number; email: string }>;
  credentialSheetId?: number | null;
}

export const groupRegistrationImportJob = defineJob({
  id: "group-registration-import",
  payload: GroupRegistrationImportPayloadSchema,
  handler: endingWithUpload(() => import("./group-registration-import.handler")),
});
