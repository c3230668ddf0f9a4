import type { ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/domain/errors";
import { parseWallClock } from "~/domain/windows";
import { EXTENSION_INTENT, ExtensionActionSchema } from "~/schemas/setup";
import { decideWindowExtension } from "~/services/decide-window-extension.server";
import { requestWindowExtension } from "~/services/request-window-extension.server";
import { getEnv } from "~/utils/env.server";
import { guardAction, readForm } from "~/utils/http.server";
import { requireAdminMutation } from "~/utils/permissions.server";

/**
 * WIN-5: the requests for more time, from a closed window's banner (request) and from the superior's
 * home page (approve, decline). Answered to the fetcher that sent it; the services check everything.
 */
export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // A change of the current sitting by an administrator (ORG-7, ORG-11); the services check the rest.
    const ctx = await requireAdminMutation(request);
    const input = await readForm(request, ExtensionActionSchema);
    const tz = getEnv().timeZone;
    const wallClock = (text: string) => {
      if (!text) return null;
      const at = parseWallClock(text, tz);
      if (!at) throw new AppError("window.bad_time", { value: text });
      return at;
    };
    switch (input.intent) {
      case EXTENSION_INTENT.request:
        await requestWindowExtension(ctx, {
          kind: input.kind,
          reason: input.reason,
          wantedUntil: wallClock(input.wanted_until),
        });
        return { ok: true as const, intent: input.intent };
      case EXTENSION_INTENT.approve:
        await decideWindowExtension(ctx, input.requestId, { approve: true, until: wallClock(input.until) });
        return { ok: true as const, intent: input.intent };
      case EXTENSION_INTENT.decline:
        await decideWindowExtension(ctx, input.requestId, { approve: false, note: input.note });
        return { ok: true as const, intent: input.intent };
    }
  });
}
