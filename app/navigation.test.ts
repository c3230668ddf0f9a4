import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CAPABILITIES, capabilitiesOf, type Capability } from "~/domain/permissions";
import { groupStartsOpen, NAVIGATION, navigationFor, navLabel, type OrgLevel } from "./navigation";

const canOf = (role: "admin" | "finance") =>
  Object.fromEntries(CAPABILITIES.map((c) => [c, capabilitiesOf(role).includes(c)])) as Record<Capability, boolean>;
const paths = (level: OrgLevel, role: "admin" | "finance") =>
  navigationFor({ level, can: canOf(role) }).flatMap((g) => g.items.map((i) => i.to));

describe("the administrator's menu (issue 15 item 2)", () => {
  it("ORG-11: finance staff see payments, statistics and the configuration, nothing with personal data", () => {
    const finance = paths("site", "finance");
    expect(finance).toEqual(
      expect.arrayContaining([
        "/admin/group/payment",
        "/admin/stats",
        "/admin/windows",
        "/admin/finance/accounts",
        "/admin/finance/payments",
        "/admin/finance/refunds",
        "/admin/statistics",
      ]),
    );
    for (const p of ["/admin/candidates", "/admin/review", "/admin/records", "/admin/group/import", "/admin/audit"])
      expect(finance).not.toContain(p);
  });

  it("ORG-1: a superior sees no site-only work; the centre sets subjects only", () => {
    const province = paths("province", "admin");
    for (const p of ["/admin/review", "/admin/group/import", "/admin/group/payment", "/admin/records/import"])
      expect(province).not.toContain(p);
    expect(province).toEqual(expect.arrayContaining(["/admin/candidates", "/admin/stats", "/admin/setup/fees"]));
    expect(paths("centre", "admin").filter((p) => p.startsWith("/admin/setup"))).toEqual(["/admin/setup/subjects"]);
  });

  it("every menu item is a page that exists (a hint naming it cannot point nowhere)", () => {
    const routes = path.join(path.dirname(new URL(import.meta.url).pathname), "routes");
    for (const g of NAVIGATION)
      for (const i of g.items) {
        const base = i.to.slice(1).replace(/\//g, ".");
        // A page of a route with a parameter (`/admin/cbt/reports` is admin.cbt.$kind.tsx) counts when that file exists.
        const param = `${base.slice(0, base.lastIndexOf("."))}.$`;
        const found =
          [`${base}.tsx`, `${base}._index.tsx`].some((f) => fs.existsSync(path.join(routes, f))) ||
          fs.readdirSync(routes).some((f) => f.startsWith(param) && f.endsWith(".tsx"));
        expect(found, i.to).toBe(true);
      }
    expect(navLabel("/admin/candidates")).toBe("mgt.title");
    expect(() => navLabel("/admin/nowhere")).toThrow();
  });

  it("WIN-2: the running phase's groups start open, the others folded unless they hold the page shown", () => {
    const groups = navigationFor({ level: "site", can: canOf("admin") });
    const open = (pathname: string, phase: "registration" | "pre_registration" | "allocation" | null) =>
      groups.filter((g) => groupStartsOpen(g, pathname, phase)).map((g) => g.id);
    expect(open("/admin", "registration")).toEqual(["registry", "registration"]);
    expect(open("/admin/setup/fees", "registration")).toEqual(["pre_registration", "registry", "registration"]);
    expect(open("/admin", "pre_registration")).toEqual(["pre_registration"]);
    expect(open("/admin", null)).toEqual([
      "basic",
      "pre_registration",
      "registry",
      "registration",
      "allocation",
      "cbt",
      "reports",
      "exam_day",
      "violations",
      "scores",
      "finance",
      "statistics",
    ]);
    expect(open("/admin", "allocation")).toEqual(["allocation", "cbt", "reports", "exam_day", "violations", "scores"]);
    expect(open("/admin/rooms", "registration")).toEqual(["registry", "registration", "allocation"]);
  });
});
