import type { LoaderFunctionArgs } from "@remix-run/node";
import { readSavedText, savedText } from "~/i18n";
import { guardLoader, tFor } from "~/utils/http.server";
import { requireJobAccess } from "~/utils/permissions.server";
import { jobWaitingReason } from "~jobs/runner";

/**
 * job status for the progress component, for those who could have started the job and whose
 * scope covers it (ORG-2, ORG-11), in an enabled organisation (ORG-4): the requester too only while
 * that still holds.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const job = await requireJobAccess(request, params.id ?? "");
    // Issue 13 item 1: a queued job says why it has not started (no worker, the queue away, its turn).
    const waiting = await jobWaitingReason(job);
    // the progress message in the language of whoever is watching, not of whoever started the job.
    const t = await tFor(request);
    return Response.json(
      {
        id: job.id,
        status: job.status,
        progress: job.progress,
        message: savedText(t, readSavedText(job.message)),
        error: job.error,
        result: job.result,
        waiting,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  });
}
