import { isMessageKey, savedText, translator, type Locale, type SavedMessage } from "~/i18n";

/**
 * A job's saved result as a viewer reads it: every saved message (key and params) rendered in
 * `locale`, and a value cut for the page followed by the page's "(N characters)" note.
 */
export function shown<T>(saved: T, locale: Locale = "zh-CN"): T {
  const t = translator(locale);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      if (v.length > 0 && v.every(isSaved)) return savedText(t, v);
      return v.map(walk);
    }
    if (isSaved(v)) return savedText(t, v);
    if (v && typeof v === "object" && !(v instanceof Date)) {
      const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      if (typeof o.value === "string" && typeof o.cutFrom === "number")
        o.value = o.value + t("import.value_cut", { length: o.cutFrom });
      return o;
    }
    return v;
  };
  return walk(saved) as T;
}

function isSaved(v: unknown): v is SavedMessage {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return isMessageKey((v as { key?: unknown }).key) && keys.every((k) => k === "key" || k === "params");
}
