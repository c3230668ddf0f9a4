import { getDbHandle } from "~db/client";
import { findCurrentSitting } from "~db/queries/sittings";
import { runnerMode } from "~jobs/runner";

export async function loader() {
  const h = getDbHandle();
  const sitting = await findCurrentSitting(h.db);
  return Response.json({ db: h.kind, jobs: runnerMode(), sitting: sitting?.code ?? null });
}
