import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, renderMessage, translator, type Locale } from "~/i18n";
import { isAppError } from "~/domain/errors";

// Visitors who are not logged in keep their choice in a cookie; accounts keep it in the database.
export const localeCookie = createCookie("kaowu_locale", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export async function getRequestLocale(request: Request, accountLocale?: string | null): Promise<Locale> {
  if (isLocale(accountLocale)) return accountLocale;
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  return DEFAULT_LOCALE;
}

export { renderMessage };

export function errorText(t: ReturnType<typeof translator>, e: unknown): string | null {
  if (isAppError(e)) return renderMessage(t, e.key, e.params);
  return null;
}

export async function getT(request: Request, accountLocale?: string | null) {
  const locale = await getRequestLocale(request, accountLocale);
  return { locale, t: translator(locale) };
}
