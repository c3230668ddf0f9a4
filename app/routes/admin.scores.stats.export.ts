import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { resolveStatsScope } from "~/services/registration-statistics.server";
import { exportScoreStatistics } from "~/services/score-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** SCO-3: the score statistics as .xlsx; `?site=` narrows as on the page (ORG-2). Counts only; never window-gated. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const scope = await resolveStatsScope(ctx, new URL(request.url).searchParams.get("site"));
    const { body, fileName } = await exportScoreStatistics(ctx.locale, ctx.sitting.id, scope);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="score-statistics.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
