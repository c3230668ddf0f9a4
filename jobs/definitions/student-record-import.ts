import { z } from "zod";
import { defineJob } from "../define";
import { endingWithUpload } from "./upload-job";

export const StudentRecordImportPayloadSchema = z.object({
  fileId: z.string().uuid(),
  kind: z.enum(["xlsx", "csv"]),
  siteId: z.number().int(),
  overwrite: z.boolean(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type StudentRecordImportPayload = z.infer<typeof StudentRecordImportPayloadSchema>;

export const studentRecordImportJob = defineJob({
  id: "student-record-import",
  payload: StudentRecordImportPayloadSchema,
  handler: endingWithUpload(() => import("./student-record-import.handler")),
});
