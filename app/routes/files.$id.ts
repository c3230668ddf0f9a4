import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { openStoredFile } from "~/utils/file-store.server";
import { guardLoader } from "~/utils/http.server";
import { requireStoredFileAccess } from "~/utils/permissions.server";

/** Generated files and uploads: downloadable by exactly those who could have created them (ORG-2, ORG-4, ORG-11). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const file = await requireStoredFileAccess(request, params.id ?? "");
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
