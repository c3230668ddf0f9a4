import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const ScoreImportPayloadSchema = ImportPayloadBase.extend({
  kind: z.enum(["xlsx", "csv"]),
  checkViolations: z.boolean(),
  checkMissingNumber: z.boolean(),
  checkIdentity: z.boolean(),
});
export type ScoreImportPayload = z.infer<typeof ScoreImportPayloadSchema>;

/** SCO-1: what the score import page shows (the shared report shape and its own figures). */
export interface ScoreImportResult extends RowImportReport {
  imported?: number;
  skipped?: number;
  identityUpdated?: number;
  violationsUpdated?: number;
}

export const scoreImportJob = defineJob({
  id: "score-import",
  payload: ScoreImportPayloadSchema,
  handler: endingWithUpload(() => import("./score-import.handler")),
});
