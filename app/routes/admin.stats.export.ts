import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseExportWhich } from "~/domain/statistics";
import { exportStatistics, XLSX_TYPE } from "~/services/registration-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/**
 * MGT-6: the statistics as .xlsx (manual §二十八 1, §二十九 1): `?view=entries|payments|candidates|capacity`
 * for one view, anything else for all four; `?site=` narrows as on the page (ORG-2). Never window-gated.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "statistics");
    const params = new URL(request.url).searchParams;
    const { body, fileName } = await exportStatistics(ctx, {
      which: parseExportWhich(params.get("view")),
      site: params.get("site"),
    });
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="statistics.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
