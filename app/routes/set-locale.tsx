import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { isLocale } from "~/i18n";
import { parseForm } from "~/utils/http.server";
import { LocaleSchema } from "~/schemas/auth";
import { safeRedirect } from "~/utils/safe-redirect";
import { localeCookie } from "~/utils/i18n.server";
import { readSession } from "~/utils/session.server";
import { recordAudit } from "~/services/audit.server";
import { clientIp } from "~/utils/auth.server";

/** switch language; remembered on the account when logged in, in a cookie otherwise. */
export async function action({ request }: ActionFunctionArgs) {
  const { locale, redirectTo } = parseForm(await request.formData(), LocaleSchema);
  const back = safeRedirect(redirectTo, "/");
  if (!isLocale(locale)) return redirect(back);
  const s = await readSession(request);
  if (s && s.user.locale !== locale) {
    await getDb().updateTable("account").set({ locale }).where("id", "=", s.user.id).execute();
    await recordAudit(
      getDb(),
      { accountId: s.user.id, name: s.user.name, orgId: null, sittingId: null, ip: clientIp(request) },
      {
        action: "account.set_locale",
        entityType: "account",
        entityId: s.user.id,
        before: { locale: s.user.locale },
        after: { locale },
      },
    );
  }
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}
