import type { LoaderFunctionArgs } from "@remix-run/node";
import { MAILING_HEADERS } from "~/domain/certificate-mailing";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** SCO-2: the certificate mailing file's columns as a .csv with a BOM. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    await requireCapability(request, "personal_data");
    return new Response(`\uFEFF${MAILING_HEADERS.join(",")}\r\n`, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="mailing-template.csv"; filename*=UTF-8''${encodeURIComponent("证书直邮文件列名示例.csv")}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
