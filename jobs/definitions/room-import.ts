import { z } from "zod";
import { defineJob } from "../define";
import type { RowImportReport } from "~/imports/row-import.server";
import { endingWithUpload, ImportPayloadBase } from "./upload-job";

export const RoomImportPayloadSchema = ImportPayloadBase.extend({ kind: z.enum(["xlsx", "csv"]) });
export type RoomImportPayload = z.infer<typeof RoomImportPayloadSchema>;

/** ROOM-1: what the rooms import page shows (the shared report shape and its own figures). */
export interface RoomImportResult extends RowImportReport {
  inserted?: number;
  updated?: number;
}

export const roomImportJob = defineJob({
  id: "room-import",
  payload: RoomImportPayloadSchema,
  handler: endingWithUpload(() => import("./room-import.handler")),
});
