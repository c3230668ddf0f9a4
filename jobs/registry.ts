import type { JobDefinition } from "./define";
import { auditExportJob } from "./definitions/audit-export";
import { studentRecordImportJob } from "./definitions/student-record-import";
import { groupRegistrationImportJob } from "./definitions/group-registration-import";
import { photoImportJob } from "./definitions/photo-import";
import { photoCheckJob } from "./definitions/photo-check";
import { candidateExportJob } from "./definitions/candidate-export";
import { cancellationExportJob } from "./definitions/cancellation-export";
import { roomImportJob } from "./definitions/room-import";
import { allocationJob } from "./definitions/allocation";
import { generateFileJob } from "./definitions/generate-file";
import { candidateCardsJob } from "./definitions/candidate-cards";
import { cbtMockReportJob } from "./definitions/cbt-mock-report";
import { violationImportJob } from "./definitions/violation-import";
import { scoreImportJob } from "./definitions/score-import";
import { mailingImportJob } from "./definitions/mailing-import";
import { reconciliationJob } from "./definitions/reconciliation";

// Payload schemas differ per job, so the registry holds them as JobDefinition<any>.
export const jobDefinitions: Record<string, JobDefinition<any>> = {
  [auditExportJob.id]: auditExportJob,
  [studentRecordImportJob.id]: studentRecordImportJob,
  [groupRegistrationImportJob.id]: groupRegistrationImportJob,
  [photoImportJob.id]: photoImportJob,
  [photoCheckJob.id]: photoCheckJob,
  [candidateExportJob.id]: candidateExportJob,
  [cancellationExportJob.id]: cancellationExportJob,
  [roomImportJob.id]: roomImportJob,
  [allocationJob.id]: allocationJob,
  [generateFileJob.id]: generateFileJob,
  [candidateCardsJob.id]: candidateCardsJob,
  [cbtMockReportJob.id]: cbtMockReportJob,
  [violationImportJob.id]: violationImportJob,
  [scoreImportJob.id]: scoreImportJob,
  [mailingImportJob.id]: mailingImportJob,
  [reconciliationJob.id]: reconciliationJob,
};
