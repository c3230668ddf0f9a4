import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { zhCN } from "./zh-CN";
import { en } from "./en";
import { formatDateTime, translator } from "./index";

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

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

  it("X-5: each dictionary file holds the keys of its own prefix, so no key can be defined twice", () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    for (const locale of ["zh-CN", "en"]) {
      const files = fs.readdirSync(path.join(dir, locale)).filter((f) => f.endsWith(".ts"));
      expect(files.length).toBeGreaterThan(10);
      const misplaced: string[] = [];
      for (const f of files) {
        const prefix = f.slice(0, -".ts".length);
        for (const m of fs.readFileSync(path.join(dir, locale, f), "utf8").matchAll(/^\s+"([\w.-]+)":/gm)) {
          if (m[1].split(".")[0] !== prefix) misplaced.push(`${locale}/${f}: ${m[1]}`);
        }
      }
      expect(misplaced).toEqual([]);
      // Only the two index files sit beside the folders: no stray dictionary spreads keys in from elsewhere.
      expect(
        fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
          .sort(),
      ).toEqual(["en.ts", "index.ts", "zh-CN.ts"]);
    }
  });

  it("glossary: a group payment's batch is a payment batch (缴费批次); 批次 alone is kept for a room at one time", () => {
    // The room-batch ("07#1") pages and the audit's names for them may say 批次 / batch; nothing else may.
    const roomBatch = (k: string) =>
      /^(rooms|roomstats|allocation|admission|scan|sheets|checkin)\./.test(k) ||
      ["audit.entity.exam_batch", "readiness.reg.no_batches"].includes(k) ||
      k.startsWith("audit.action.rooms.");
    const bare = (text: string) => /(?<!缴费)批次/.test(text);
    expect(
      Object.entries(zhCN)
        .filter(([k, v]) => bare(v) && !roomBatch(k))
        .map(([k]) => k),
    ).toEqual([]);
    expect(
      Object.entries(en)
        .filter(([k, v]) => /(?<!payment )\bbatch(es)?\b/i.test(v) && !/payment batch/i.test(v) && !roomBatch(k))
        .map(([k]) => k),
    ).toEqual([]);
    // And the room-batch pages never call a room's batch a payment batch.
    expect(
      Object.entries(zhCN)
        .filter(([k, v]) => roomBatch(k) && /缴费批次/.test(v))
        .map(([k]) => k),
    ).toEqual([]);
  });

  it("X-5 (issue 15 item 5): a hint that names a menu item 《…》 names one that exists, or takes it as a parameter", async () => {
    const { NAVIGATION } = await import("~/navigation");
    const labels = new Set<string>([
      zhCN["nav.home"],
      ...NAVIGATION.flatMap((g) => [zhCN[g.label], ...g.items.map((i) => zhCN[i.label])]),
    ]);
    const wrong = Object.entries(zhCN).flatMap(([k, v]) =>
      [...v.matchAll(/《([^》]+)》/g)]
        .filter((m) => !m[1].includes("{") && !labels.has(m[1]))
        .map((m) => `${k}: ${m[1]}`),
    );
    expect(wrong).toEqual([]);
  });

  it("X-5 (issue 15 item 10): English counts agree with their number; no count stands before a bare plural", () => {
    const t = translator("en");
    expect(t("common.total", { count: 1 })).toBe("1 in total");
    const bare = Object.entries(en).filter(([, v]) =>
      /\{\w+\} (candidates|registrations|entries|rows|results|errors|sites|files|subjects|records|photos|accounts)\b/.test(
        v,
      ),
    );
    expect(bare.map(([k]) => k)).toEqual([]);
    const key = Object.keys(en).find((k) => en[k as keyof typeof en].includes("{count, plural, one {# candidate}"));
    expect(key, "some message counts candidates").toBeTruthy();
    const one = t(key as keyof typeof en, { count: 1 });
    expect(one).toContain("1 candidate");
    expect(one).not.toContain("1 candidates");
    expect(t(key as keyof typeof en, { count: 3 })).toContain("3 candidates");
  });

  it("X-1 (issue 15 item 4): every audit action has a label in both languages", async () => {
    const { AUDIT_ACTIONS } = await import("~/domain/audit");
    const missing = AUDIT_ACTIONS.filter((a) => !(`audit.action.${a}` in zhCN) || !(`audit.action.${a}` in en));
    expect(missing).toEqual([]);
  });

  it("X-1 (issue 15 item 4): every kind of audited thing has a label in both languages", async () => {
    const { AUDIT_ENTITY_TYPES } = await import("~/domain/audit");
    const missing = AUDIT_ENTITY_TYPES.filter((a) => !(`audit.entity.${a}` in zhCN) || !(`audit.entity.${a}` in en));
    expect(missing).toEqual([]);
  });

  it("X-5 (issue 15 item 5): the administrator's view of a candidate never says 您 to the administrator", async () => {
    const { ADMIN_WORDING } = await import("~/components/status-lines");
    const spoken = (Object.keys(zhCN) as (keyof typeof zhCN)[]).filter(
      (k) => k.startsWith("status.") && !k.endsWith("_admin") && zhCN[k].includes("您") && k !== "status.cancelled",
    );
    for (const k of spoken) {
      const admin = ADMIN_WORDING[k];
      expect(admin, k).toBeTruthy();
      expect(zhCN[admin!]).not.toContain("您");
    }
  });
});
