import type { LoaderFunctionArgs } from "@remix-run/node";
import { AppError } from "~/domain/errors";
import { takeCredentialSheet } from "~/services/credential-sheets.server";
import { userMessage } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";

/**
 * ORG-9/ORG-2: the one-time passwords of the accounts a group import created, for an administrator
 * of that site only, once; a second attempt says when and by whom it was downloaded.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    return await download(request, params.id);
  } catch (e) {
    // A download link has no page of its own: say why in a small page with the way back.
    const m = await userMessage(request, e);
    if (!m) throw e;
    const esc = (x: string) => x.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return new Response(
      `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><title>${m.status}</title>` +
        `<p role="alert" data-testid="credentials-refused">${esc(m.message)}</p><p><a href="/admin/group/import">← /admin/group/import</a></p>`,
      { status: m.status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
    );
  }
}

async function download(request: Request, rawId: string | undefined) {
  const ctx = await requireCapability(request, "personal_data");
  const id = Number(rawId);
  if (!Number.isInteger(id) || id <= 0) throw new AppError("group.credentials_not_found", {}, 404);
  const sheet = await takeCredentialSheet(ctx, id);
  const ascii = sheet.name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "");
  return new Response(new Uint8Array(sheet.body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Length": String(sheet.body.length),
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(sheet.name)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
