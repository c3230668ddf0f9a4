// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous payload schemas
import type { JobDefinition } from "./define";
import { auditExportJob } from "./definitions/audit-export";

export const jobDefinitions: Record<string, JobDefinition<any>> = {
  [auditExportJob.id]: auditExportJob,
};
