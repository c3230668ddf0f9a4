import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const StudentRecordImportPayloadSchema = ImportPayloadBase.extend({ kind: z.enum(["xlsx", "csv"]) });
export type StudentRecordImportPayload = z.infer<typeof StudentRecordImportPayloadSchema>;

/** What the import page shows (X-2, SR-3's report shape): declared here, returned by the handler, read by the page typed. */
export interface StudentRecordImportResult extends RowImportReport {
  inserted?: number;
  updated?: number;
  replaced?: number;
}

export const studentRecordImportJob = defineJob({
  id: "student-record-import",
  payload: StudentRecordImportPayloadSchema,
  handler: endingWithUpload(() => import("./student-record-import.handler")),
});
