import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { isLocale } from "~/i18n";
import { formString } from "~/utils/http.server";
import { localeCookie } from "~/utils/i18n.server";
import { readSession } from "~/utils/session.server";

/** switch language; remembered on the account when logged in, in a cookie otherwise. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = formString(form, "locale");
  const to = formString(form, "redirectTo");
  const back = to.startsWith("/") && !to.startsWith("//") ? to : "/";
  if (!isLocale(locale)) return redirect(back);
  const s = await readSession(request);
  if (s) await getDb().updateTable("account").set({ locale }).where("id", "=", s.user.id).execute();
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}
