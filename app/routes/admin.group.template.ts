import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { buildGroupRegistrationTemplate } from "~/services/group-registration-template.server";
import { loadGroupSite } from "~/services/load-group-site.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability, requireSite } from "~/utils/permissions.server";

/** GRP-1: the site's group-registration template (no window: downloading changes nothing). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const site = await loadGroupSite(getDb(), ctx.sitting.id, ctx.org.id);
    const body = await buildGroupRegistrationTemplate({
      offered: site.offered,
      maxEntries: site.rules.maxEntries,
      classOptions: site.rules.classOptions,
    });
    const name = `集体报名导入模板-${ctx.org.code}.xlsx`;
    return new Response(new Uint8Array(body), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="group-registration-template-${ctx.org.code}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
