import { zhCN } from "./zh-CN";
import { en } from "./en";

export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export type MessageKey = keyof typeof zhCN;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

/** Whether a string is one of our message keys (a zod issue's message may be one, or zod's own English text). */
export function isMessageKey(s: unknown): s is MessageKey {
  return typeof s === "string" && Object.prototype.hasOwnProperty.call(zhCN, s);
}

export function isLocale(s: unknown): s is Locale {
  return typeof s === "string" && (LOCALES as readonly string[]).includes(s);
}

/**
 * X-5 (issue 15 item 10): a count with its noun in the form its number needs, written as ICU does:
 * `{count, plural, one {# candidate} other {# candidates}}` ("1 candidate", "3 candidates").
 * Chinese has one form and does not use it.
 */
const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;
const plurals: Record<Locale, Intl.PluralRules> = {
  "zh-CN": new Intl.PluralRules("zh-CN"),
  en: new Intl.PluralRules("en"),
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** every user-facing string comes from the dictionaries; `{name}` placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key, params) => {
    const text = dict[key] ?? zhCN[key] ?? key;
    if (!params) return text;
    return text
      .replace(PLURAL, (_, p: string, one: string, other: string) =>
        p in params
          ? (plurals[locale].select(Number(params[p])) === "one" ? one : other).replace(/#/g, String(params[p]))
          : other,
      )
      .replace(/\{(\w+)\}/g, (_, p: string) => (p in params ? String(params[p]) : `{${p}}`));
  };
}

/** WIN-7 + X-5: dates and times are shown in the deployment's zone and formatted for the locale. */
export function formatDateTime(at: Date | string | null | undefined, locale: Locale, timeZone: string): string {
  if (!at) return "";
  const d = typeof at === "string" ? new Date(at) : at;
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

export function formatDate(day: string, locale: Locale): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
