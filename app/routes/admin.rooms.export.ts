import type { LoaderFunctionArgs } from "@remix-run/node";
import { XLSX_TYPE } from "~/services/registration-statistics.server";
import { exportRooms } from "~/services/export-rooms.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";

/** ROOM-2: the rooms and batches as .xlsx; `?site=` as on the page (ORG-2). Exporting is never window-gated (WIN-3). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site } = await resolveSetupSite(ctx, request);
    const { body, fileName } = await exportRooms(ctx, site);
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="rooms.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
