import { getDb } from "~db/client";
import { listRecentJobs } from "~db/queries/jobs";
import { maskIdNumber } from "~/domain/id-number";
import { filterToParams, type CandidateFilter } from "~/schemas/candidate-filter";
import { cancellationFilterToParams, type CancellationFilter } from "~/schemas/cancellation-filter";
import type { AdminContext } from "~/utils/auth.server";
import { requireCapabilityOf } from "~/utils/permissions.server";
import { cancellationExportJob } from "~jobs/definitions/cancellation-export";
import { candidateExportJob } from "~jobs/definitions/candidate-export";
import { enqueueJob } from "~jobs/runner";
import { recordAudit } from "./audit.server";

/**
 * MGT-3 / MGT-5 exports. Both are read-only and have no time window (manual §二十五 7: 无操作时间限制;
 * WIN-3, ORG-7: exporting stays available outside windows and in past sittings). They carry personal
 * data, so finance staff (ORG-11) may not start them. The job gets the requester's organisation,
 * not a list of sites: the handler recomputes the sites itself (ORG-2), so a payload can never widen it.
 */

/** MGT-3: starts the export of the candidate search `filter` in the admin's scope; returns the job id. */
export async function startCandidateExport(ctx: AdminContext, filter: CandidateFilter): Promise<string> {
  return startExport(ctx, candidateExportJob, "candidate.export", filterToParams(filter).toString());
}

/** MGT-5: starts the export of the cancellations search `filter` in the admin's scope; returns the job id. */
export async function startCancellationExport(ctx: AdminContext, filter: CancellationFilter): Promise<string> {
  return startExport(ctx, cancellationExportJob, "cancellation.export", cancellationFilterToParams(filter).toString());
}

/** Enqueues the export `job` of the search `params` (URL parameters) for the admin's organisation and sitting. */
async function startExport(
  ctx: AdminContext,
  job: typeof candidateExportJob | typeof cancellationExportJob,
  action: "candidate.export" | "cancellation.export",
  params: string,
): Promise<string> {
  requireCapabilityOf(ctx, "personal_data");
  const jobId = await enqueueJob(
    job,
    {
      scopeOrgId: ctx.org.id,
      sittingId: ctx.sitting.id,
      filter: params,
      locale: ctx.locale,
    },
    { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
  );
  // who took personal data out of the system, and with which search.
  // The log keeps the search, but not a whole ID number typed into it.
  const logged = new URLSearchParams(params);
  const id = logged.get("idNumber");
  if (id) logged.set("idNumber", maskIdNumber(id));
  await recordAudit(getDb(), ctx.actor, {
    action,
    entityType: "job",
    entityId: jobId,
    after: { filter: logged.toString() },
  });
  return jobId;
}

/** the requester's recent exports of one kind in the viewed sitting, so leaving and coming back finds them. */
export async function listRecentExports(
  ctx: AdminContext,
  type: "candidate-export" | "cancellation-export",
  limit = 5,
) {
  return (await listRecentJobs(getDb(), { type, accountId: ctx.accountId, sittingId: ctx.sitting.id }, limit)).map(
    (j) => ({ id: j.id, status: j.status, created_at: j.created_at }),
  );
}
