import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { buildViolationTemplate } from "~/services/violation-sheets.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** VIO-1: download the violations template (no window: downloading changes nothing). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    await requireCapability(request, "personal_data");
    const body = await buildViolationTemplate();
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="violations-template.xlsx"; filename*=UTF-8''${encodeURIComponent("违纪缺考导入模板.xlsx")}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
