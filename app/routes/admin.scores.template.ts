import type { LoaderFunctionArgs } from "@remix-run/node";
import { SCORE_HEADERS } from "~/domain/scores";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** SCO-1: the score file's columns (DOMAIN.md field codes) as a .csv with a BOM, so Excel opens it as UTF-8. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    await requireCapability(request, "personal_data");
    const body = `\uFEFF${SCORE_HEADERS.join(",")}\r\n`;
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="scores-template.csv"; filename*=UTF-8''${encodeURIComponent("成绩文件列名示例.csv")}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
