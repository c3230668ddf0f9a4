import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDbHandle } from "~db/client";
import { findCurrentSitting } from "~db/queries/sittings";
import { jobsHealth, runnerMode } from "~jobs/runner";
import { databaseReachable } from "~/utils/db-health.server";

/**
 * Issue 13 item 1: 200 when the portal can serve pages and run jobs, 503 with the reason otherwise:
 * the database away, Redis away, or (with REDIS_URL) no worker alive to run jobs. `?part=web` asks
 * about the pages only (the database), for a probe that restarts web processes: a missing worker is
 * not cured by restarting the web.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const h = getDbHandle();
  const webOnly = new URL(request.url).searchParams.get("part") === "web";
  // A probe on its own connection (at most every 2 s); while the database is known to be away, the tracker's answer.
  const dbOk = await databaseReachable();
  const sitting = dbOk
    ? await findCurrentSitting(h.db).then(
        (s) => s?.code ?? null,
        () => null,
      )
    : null;
  const jobs = webOnly ? null : await jobsHealth().catch(() => null);
  const ok = dbOk && (webOnly || (jobs?.ok ?? false));
  const problems = [...(dbOk ? [] : ["database_unavailable"]), ...(jobs?.problem ? [jobs.problem] : [])];
  return Response.json(
    {
      ok,
      db: h.kind,
      jobs: runnerMode(),
      sitting,
      ...(problems.length ? { problems } : {}),
      ...(jobs && jobs.mode === "bull" ? { redis: jobs.redis, workers: jobs.workers ?? 0 } : {}),
      ...(jobs ? { oldestQueuedSeconds: jobs.oldestQueuedSeconds } : {}),
    },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store", ...(ok ? {} : { "Retry-After": "5" }) } },
  );
}
