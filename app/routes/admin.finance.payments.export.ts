import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { resolveStatsScope } from "~/services/registration-statistics.server";
import { exportFinance } from "~/services/reconciliation.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** FIN-2: payments, group payment batches and the differences as .xlsx; `?site=` narrows as on the page (ORG-2). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "payments");
    const scope = await resolveStatsScope(ctx, new URL(request.url).searchParams.get("site"));
    const { body, fileName } = await exportFinance(ctx, scope);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="payments.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
