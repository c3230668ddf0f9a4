import type { JobDefinition } from "./define";
import { auditExportJob } from "./definitions/audit-export";

// Payload schemas differ per job, so the registry holds them as JobDefinition<any>.
export const jobDefinitions: Record<string, JobDefinition<any>> = {
  [auditExportJob.id]: auditExportJob,
};
