import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type MessageKey, type Translate } from "~/i18n";
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

/** Params named `somethingKey` are message keys themselves: they are translated into `something`. */
export function renderMessage(t: Translate, key: MessageKey, params: Record<string, string | number> = {}): string {
  const filled: Record<string, string | number> = { ...params };
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith("Key") && typeof v === "string") filled[k.slice(0, -3)] = t(v as MessageKey);
  }
  return t(key, filled);
}

export function errorText(t: Translate, e: unknown): string | null {
  if (isAppError(e)) return renderMessage(t, e.key, e.params);
  return null;
}

export async function getT(request: Request, accountLocale?: string | null) {
  const locale = await getRequestLocale(request, accountLocale);
  return { locale, t: translator(locale) };
}
