import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { entriesFromForm, setEntriesOfRequest } from "~/services/set-entries.server";
import { SAVED_PAGE } from "~/utils/entries-form";
import { guardAction } from "~/utils/http.server";

/**
 * CAN-2/CAN-4/X-7 (issue 21 item 2): the entries form as the page's script sends it. The same change
 * as the page's own action; a refusal is answered as `{ error }` in JSON (status 200) (a few dozen bytes, no page
 * rendered, no loader run) and a saved change as the same redirect, so the rush limiter's follow-up
 * pass (decision 0048) comes with it.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const refused = await guardAction(request, async () => {
    await setEntriesOfRequest(request, entriesFromForm(form));
    return null;
  });
  if (refused === null) throw redirect(SAVED_PAGE);
  // 200, not the refusal's 409: the script's question was answered, and browsers log every 4xx of a
  // fetch in the console as a failure to load.
  return Response.json({ error: refused.data.error }, { headers: { "Cache-Control": "no-store" } });
}
