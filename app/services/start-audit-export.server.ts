import { auditExportJob } from "~jobs/definitions/audit-export";
import { enqueueJob } from "~jobs/runner";
import type { AdminContext } from "~/utils/auth.server";
import { requireCapabilityOf } from "~/utils/permissions.server";

export interface AuditExportFilter {
  action?: string;
  actor?: string;
  orgCode?: string;
  from?: Date;
  to?: Date;
}

/** the audit log of the admin's scope and sitting, filtered as searched, exported by a job; returns its id. */
export async function startAuditExport(ctx: AdminContext, f: AuditExportFilter): Promise<string> {
  requireCapabilityOf(ctx, "audit");
  return enqueueJob(
    auditExportJob,
    {
      scopeOrgId: ctx.org.id,
      sittingId: ctx.sitting.id,
      action: f.action,
      actor: f.actor,
      orgCode: f.orgCode,
      from: f.from?.toISOString(),
      to: f.to?.toISOString(),
      locale: ctx.locale,
    },
    { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
  );
}
