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

/** A list (subject codes, missing headers) is written as the viewer's language lists things: "14、15" / "14, 15". */
export type MessageParams = Record<string, string | number | readonly string[]>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const lists: Record<Locale, Intl.ListFormat> = {
  "zh-CN": new Intl.ListFormat("zh-CN", { type: "conjunction", style: "narrow" }),
  en: new Intl.ListFormat("en", { type: "conjunction", style: "narrow" }),
};

/** every user-facing string comes from the dictionaries; `{name}` placeholders are filled from params. */
export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key, raw) => {
    const text = dict[key] ?? zhCN[key] ?? key;
    if (!raw) return text;
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(raw))
      params[k] = Array.isArray(v) ? lists[locale].format(v) : (v as string | number);
    return text
      .replace(PLURAL, (_, p: string, one: string, other: string) =>
        p in params
          ? (plurals[locale].select(Number(params[p])) === "one" ? one : other).replace(/#/g, String(params[p]))
          : other,
      )
      .replace(/\{(\w+)\}/g, (_, p: string) => (p in params ? String(params[p]) : `{${p}}`));
  };
}

/** Params named `somethingKey` are message keys themselves: they are translated into `something`. */
export function renderMessage(t: Translate, key: MessageKey, params: MessageParams = {}): string {
  const filled: MessageParams = { ...params };
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith("Key") && typeof v === "string") filled[k.slice(0, -3)] = t(v as MessageKey);
  }
  return t(key, filled);
}

/**
 * X-5 (issue 15 item 10): a message saved for later (a job's progress, an import's report) is kept as
 * its key and parameters, so each viewer reads it in their own language, not in the language of
 * whoever started the job. Several messages read as one sentence each; a plain string is a result
 * saved before keys were (shown as it is).
 */
export interface SavedMessage {
  key: MessageKey;
  params?: MessageParams;
}
export type SavedText = SavedMessage | SavedMessage[] | string;

export function savedText(t: Translate, m: SavedText | null | undefined): string {
  if (m == null) return "";
  if (typeof m === "string") return m;
  const list = Array.isArray(m) ? m : [m];
  return list.map((x) => (isMessageKey(x.key) ? renderMessage(t, x.key, x.params ?? {}) : String(x.key))).join(" ");
}

/** Stored in a text column (the job's progress message): JSON of a saved message, or legacy plain text. */
export function readSavedText(stored: string | null | undefined): SavedText | null {
  if (!stored) return null;
  if (!stored.startsWith("{") && !stored.startsWith("[")) return stored;
  try {
    return JSON.parse(stored) as SavedText;
  } catch {
    return stored;
  }
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
