import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { DEFAULT_LOCALE, formatDateTime, translator, type Locale } from "~/i18n";

interface RootData {
  locale: Locale;
  timeZone: string;
}

export function useLocale(): { locale: Locale; timeZone: string } {
  const d = useRouteLoaderData("root") as RootData | undefined;
  return { locale: d?.locale ?? DEFAULT_LOCALE, timeZone: d?.timeZone ?? "Asia/Shanghai" };
}

export function useT() {
  const { locale } = useLocale();
  return useMemo(() => translator(locale), [locale]);
}

export function useFormatDateTime() {
  const { locale, timeZone } = useLocale();
  return (d: Date | string | null | undefined) => formatDateTime(d, locale, timeZone);
}
