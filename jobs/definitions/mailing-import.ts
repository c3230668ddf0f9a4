import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const MailingImportPayloadSchema = ImportPayloadBase.extend({ kind: z.enum(["xlsx", "csv"]) });
export type MailingImportPayload = z.infer<typeof MailingImportPayloadSchema>;

/** SCO-2: what the certificate mailing import page shows. */
export interface MailingImportResult extends RowImportReport {
  imported?: number;
}

export const mailingImportJob = defineJob({
  id: "mailing-import",
  payload: MailingImportPayloadSchema,
  handler: endingWithUpload(() => import("./mailing-import.handler")),
});
