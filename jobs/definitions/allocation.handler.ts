import { allocateSite } from "~/services/allocate-site.server";
import type { JobContext } from "../define";
import type { AllocationPayload, AllocationResult } from "./allocation";

/** SCH-2: allocates the site the job was queued for, in the job's sitting. */
export default async function allocationHandler(p: AllocationPayload, ctx: JobContext): Promise<AllocationResult> {
  if (ctx.sittingId === null) throw new Error("allocation without a sitting");
  return allocateSite(
    { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
    p.siteId,
    (percent) => ctx.progress(percent, { key: "allocation.progress" }),
    p.classSeating,
  );
}
