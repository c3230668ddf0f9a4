import { z } from "zod";
import { defineJob } from "../define";

export const AuditExportPayloadSchema = z.object({
  /** ORG-2: the organisation whose subtree the export covers (the requester's own). */
  scopeOrgId: z.number().int(),
  sittingId: z.number().int(),
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  orgCode: z.string().max(10).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  locale: z.enum(["zh-CN", "en"]),
});
export type AuditExportPayload = z.infer<typeof AuditExportPayloadSchema>;

export const auditExportJob = defineJob({
  id: "audit-export",
  payload: AuditExportPayloadSchema,
  handler: () => import("./audit-export.handler"),
});
