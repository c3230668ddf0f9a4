import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const ViolationImportPayloadSchema = ImportPayloadBase.extend({ kind: z.enum(["xlsx", "csv"]) });
export type ViolationImportPayload = z.infer<typeof ViolationImportPayloadSchema>;

/** VIO-1: what the violations import page shows (the shared report shape and its own figures). */
export interface ViolationImportResult extends RowImportReport {
  inserted?: number;
  updated?: number;
  unchanged?: number;
}

export const violationImportJob = defineJob({
  id: "violation-import",
  payload: ViolationImportPayloadSchema,
  handler: endingWithUpload(() => import("./violation-import.handler")),
});
