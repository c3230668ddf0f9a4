import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { buildRoomTemplate } from "~/services/room-template.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/** ROOM-1: download the rooms template (no window: downloading changes nothing). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    await requireCapability(request, "settings");
    const body = await buildRoomTemplate();
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="rooms-template.xlsx"; filename*=UTF-8''${encodeURIComponent("考场导入模板.xlsx")}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
