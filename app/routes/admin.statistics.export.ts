import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { exportGeneralStatistics } from "~/services/general-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/**
 * STAT-1 (manual §五十三 7): the general statistics as .xlsx, from the page's own query (`?site=`
 * narrows as on the page, ORG-2; bad input is refused with its message before any query). Counts and
 * sums only; never window-gated.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const { body, fileName } = await exportGeneralStatistics(ctx, new URL(request.url).searchParams);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="general-statistics.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
