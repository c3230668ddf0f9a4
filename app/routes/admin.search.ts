import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/domain/errors";
import { guardAction } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { PRIVATE_SEARCH_PAGES, urlSafeParams } from "~/utils/private-search.server";

/**
 * the admin search forms post here; the ID number (or the account look-up's value) is kept on
 * the server under a token and the browser goes to the page with the other fields and the token.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    // ORG-11: every page it serves lists candidates or students.
    const ctx = await requireCapability(request, "personal_data");
    const to = String(form.get("searchTarget") ?? "");
    if (!PRIVATE_SEARCH_PAGES.has(to)) throw new AppError("scope.denied", {}, 400);
    const params = new URLSearchParams();
    // Empty fields stay (as a GET form sends them): "searched for everything" differs from "no search".
    for (const [k, v] of form.entries()) if (k !== "searchTarget" && typeof v === "string") params.append(k, v);
    const safe = await urlSafeParams(params, ctx.accountId);
    throw redirect(safe.toString() ? `${to}?${safe}` : to, 303);
  });
}

export async function loader() {
  return redirect("/admin");
}
