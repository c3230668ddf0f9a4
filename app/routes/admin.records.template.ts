import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildStudentRecordTemplate } from "~/services/student-record-template.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** SR-2: download the student-record template (no window: downloading changes nothing). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    await requireCapability(request, "personal_data");
    const body = await buildStudentRecordTemplate();
    const name = "学籍信息导入模板.xlsx";
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="student-records-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
