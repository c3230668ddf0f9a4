import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

/** GRP-1: `fileId` is the .xlsx unpacked from the uploaded .zip, in the file store. */
export const GroupRegistrationImportPayloadSchema = ImportPayloadBase;
export type GroupRegistrationImportPayload = z.infer<typeof GroupRegistrationImportPayloadSchema>;

/** What the import page shows (X-2, SR-3's report shape). */
export interface GroupImportResult extends RowImportReport {
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
