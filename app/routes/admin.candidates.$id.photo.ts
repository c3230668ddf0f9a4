import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { findPhoto } from "~db/queries/registrations";
import { requireRegistrationInScope } from "~/services/load-candidate-for-admin.server";
import { guardLoader } from "~/utils/http.server";
import { findStoredFile, openStoredFile } from "~/utils/file-store.server";
import { requireAnyCapability } from "~/utils/permissions.server";

/**
 * A candidate's photo for the site's candidate page and review (ORG-2: only within the admin's scope),
 * and for the check-in page (DOC-9: an invigilator compares it with the face in front of them).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireAnyCapability(request, "personal_data", "check_in");
    const reg = await requireRegistrationInScope(ctx, Number(params.id));
    const photo = await findPhoto(getDb(), reg.photo_id);
    const file = photo ? await findStoredFile(photo.file_id) : undefined;
    if (!file) return new Response("Not found", { status: 404 });
    return new Response(createReadableStreamFromReadable(openStoredFile(file.path)), {
      headers: {
        "Content-Type": "image/jpeg",
        "Content-Length": String(file.size),
        "Cache-Control": "private, max-age=60",
      },
    });
  });
}
