import { describe, expect, it } from "vitest";
import { checkOrgCode, childLevel, isInScope, isStrictSuperior, sortTree, treeDepths } from "./org";

// ids: 1 centre → 2 province 99 → 3 city 9901 → 4 site 990101 / 5 site 990102; 6 city 9902 → 7 site 990201
const path = {
  centre: [1],
  p99: [1, 2],
  c9901: [1, 2, 3],
  s990101: [1, 2, 3, 4],
  s990102: [1, 2, 3, 5],
  s990201: [1, 2, 6, 7],
};

describe("organisations", () => {
  it("ORG-1: four levels, centre → province → city → site", () => {
    expect(childLevel("centre")).toBe("province");
    expect(childLevel("province")).toBe("city");
    expect(childLevel("city")).toBe("site");
    expect(childLevel("site")).toBeNull();
  });

  it.each([
    ["a site, itself", 4, path.s990101, true],
    ["a site, its sibling", 4, path.s990102, false],
    ["a site, its city (an ancestor)", 4, path.c9901, false],
    ["a city, its site", 3, path.s990102, true],
    ["a city, another city's site", 3, path.s990201, false],
    ["a province, a site two levels down", 2, path.s990201, true],
    ["the centre, anything", 1, path.s990201, true],
  ] as const)("ORG-2: scope of %s", (_l, actor, target, expected) => {
    expect(isInScope(actor, target)).toBe(expected);
  });

  it("ORG-2/ORG-4: only strict superiors add, enable, disable and delete an organisation", () => {
    expect(isStrictSuperior(3, path.s990101)).toBe(true);
    expect(isStrictSuperior(4, path.s990101)).toBe(false);
    expect(isStrictSuperior(5, path.s990101)).toBe(false);
    expect(isStrictSuperior(1, path.centre)).toBe(false);
  });

  it.each([
    ["province", "99", "000000", "centre", null],
    ["province", "9", "000000", "centre", "org.code.format"],
    ["city", "9907", "99", "province", null],
    ["city", "5007", "99", "province", "org.code.prefix"],
    ["site", "990701", "9907", "city", null],
    ["site", "99070A", "9907", "city", "org.code.format"],
    ["site", "990801", "9907", "city", "org.code.prefix"],
  ] as const)("ORG-10: a %s code %s under %s", (level, code, parentCode, parentLevel, expected) => {
    expect(checkOrgCode(level, code, parentCode, parentLevel)).toBe(expected);
  });
});

describe("organisation trees (ORG-2 pages)", () => {
  const rows = [
    { id: 5, parent_id: 2, code: "990102" },
    { id: 2, parent_id: 1, code: "9901" },
    { id: 4, parent_id: 2, code: "990101" },
    { id: 3, parent_id: 1, code: "9902" },
    { id: 1, parent_id: 0, code: "99" },
    { id: 6, parent_id: 3, code: "990201" },
  ];
  it("ORG-2: each organisation is followed by its children, by code; the root's parent lies outside", () => {
    expect(sortTree(rows).map((r) => r.code)).toEqual(["99", "9901", "990101", "990102", "9902", "990201"]);
  });
  it("ORG-2: depths count from the subtree's root", () => {
    expect(Object.fromEntries(treeDepths(rows))).toEqual({ 1: 0, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2 });
    expect(treeDepths([])).toEqual(new Map());
  });
});
