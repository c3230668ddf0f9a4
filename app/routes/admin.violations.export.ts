import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { exportViolations } from "~/services/violation-sheets.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";

/** VIO-1: the site's violations as .xlsx (ID numbers masked, X-4); `?site=` as on the page (ORG-2). Never window-gated. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site } = await resolveSetupSite(ctx, request);
    const { body, fileName } = await exportViolations(ctx.locale, ctx.sitting.id, site);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="violations.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
