import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requireAdmin } from "~/utils/auth.server";
import { findStoredFile, openStoredFile } from "~/utils/file-store.server";
import { guardLoader } from "~/utils/http.server";
import { requireOrgInScope } from "~/utils/permissions.server";

/** Generated files are downloaded within the admin's scope (ORG-2). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireAdmin(request);
    const file = await findStoredFile(params.id ?? "");
    if (!file || file.org_id === null) throw new Response("Not found", { status: 404 });
    await requireOrgInScope(ctx, file.org_id);
    const ascii = file.name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
    return new Response(createReadableStreamFromReadable(openStoredFile(file.path)), {
      headers: {
        "Content-Type": file.content_type,
        "Content-Length": String(file.size),
        "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
