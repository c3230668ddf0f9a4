import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { findPhoto, findRegistrationByAccount } from "~db/queries/registrations";
import { requireCandidate } from "~/utils/auth.server";
import { findStoredFile, openStoredFile } from "~/utils/file-store.server";

/** The candidate's own photo, and no one else's: looked up through their own registration. */
export async function loader({ request }: LoaderFunctionArgs) {
  const c = await requireCandidate(request);
  const reg = await findRegistrationByAccount(getDb(), c.sitting.id, c.accountId);
  const photo = await findPhoto(getDb(), reg?.photo_id ?? null);
  const file = photo ? await findStoredFile(photo.file_id) : undefined;
  if (!file) return new Response("Not found", { status: 404 });
  return new Response(createReadableStreamFromReadable(openStoredFile(file.path)), {
    headers: {
      "Content-Type": "image/jpeg",
      "Content-Length": String(file.size),
      "Cache-Control": "private, max-age=3600",
    },
  });
}
