import type { JobDefinition } from "./define";
import { auditExportJob } from "./definitions/audit-export";
import { studentRecordImportJob } from "./definitions/student-record-import";

// Payload schemas differ per job, so the registry holds them as JobDefinition<any>.
export const jobDefinitions: Record<string, JobDefinition<any>> = {
  [auditExportJob.id]: auditExportJob,
  [studentRecordImportJob.id]: studentRecordImportJob,
};
