import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { zhCN } from "./zh-CN";
import { en } from "./en";
import { formatDateTime, translator } from "./index";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n", () => {
  it("X-5: every Chinese string has an English translation with the same placeholders", () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(en[key], key).toBeTruthy();
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it("X-5: Simplified Chinese is the default and placeholders are filled", () => {
    expect(translator("zh-CN")("common.total", { count: 3 })).toBe("共 3 条");
    expect(translator("en")("common.total", { count: 3 })).toBe("3 in total");
  });

  it("X-5/WIN-7: dates and times are formatted for the locale in the configured zone", () => {
    const d = new Date("2026-09-01T00:00:00Z");
    expect(formatDateTime(d, "zh-CN", "Asia/Shanghai")).toBe("2026/09/01 08:00");
    expect(formatDateTime(d, "en", "Asia/Shanghai")).toBe("09/01/2026, 08:00");
  });

  it("X-5: no key is defined by two dictionaries (a spread would silently keep one of them)", () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    for (const locale of ["zh-CN", "en"]) {
      const files = fs.readdirSync(dir).filter((f) => f === `${locale}.ts` || f.endsWith(`.${locale}.ts`));
      expect(files.length).toBeGreaterThan(1);
      const owners = new Map<string, string[]>();
      for (const f of files) {
        for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/^\s+"([\w.-]+)":/gm)) owners.set(m[1], [...(owners.get(m[1]) ?? []), f]);
      }
      const twice = [...owners].filter(([, fs2]) => fs2.length > 1).map(([k, fs2]) => `${k}: ${fs2.join(", ")}`);
      expect(twice, locale).toEqual([]);
    }
  });
});
