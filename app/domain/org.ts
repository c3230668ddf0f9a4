import type { OrgLevel } from "~db/schema";

export const ORG_LEVELS: readonly OrgLevel[] = ["centre", "province", "city", "site"] as const;

/** ORG-1: the level a subordinate of `level` has, or null for a site. */
export function childLevel(level: OrgLevel): OrgLevel | null {
  const i = ORG_LEVELS.indexOf(level);
  return i >= 0 && i < ORG_LEVELS.length - 1 ? ORG_LEVELS[i + 1] : null;
}

export interface OrgNode {
  id: number;
  parent_id: number | null;
}

/**
 * ORG-2: an administrator of `actorOrgId` may read and write an organisation only if the actor's
 * organisation is that organisation or one of its ancestors. `targetPath` is the target's chain of
 * ids from the root down to the target itself.
 */
export function isInScope(actorOrgId: number, targetPath: readonly number[]): boolean {
  return targetPath.includes(actorOrgId);
}

/** ORG-2: strict superiors only, for the things a superior does to a subordinate (add, enable, delete, set windows). */
export function isStrictSuperior(actorOrgId: number, targetPath: readonly number[]): boolean {
  return targetPath.length > 0 && targetPath[targetPath.length - 1] !== actorOrgId && targetPath.includes(actorOrgId);
}

/**
 * ORG-10: codes grow by two digits per level below the province: province 2, city 4 (province + 2),
 * site 6 (city + 2). The centre's code is free-form. Returns an error key or null.
 */
export function checkOrgCode(
  level: OrgLevel,
  code: string,
  parentCode: string | null,
  parentLevel: OrgLevel | null,
): "org.code.format" | "org.code.prefix" | null {
  const expected: Record<OrgLevel, number> = { centre: 0, province: 2, city: 4, site: 6 };
  if (level === "centre") return /^[0-9A-Za-z]{1,10}$/.test(code) ? null : "org.code.format";
  if (!new RegExp(`^\\d{${expected[level]}}$`).test(code)) return "org.code.format";
  // A site directly under a province (no city) only needs the province prefix.
  if (parentCode && parentLevel && parentLevel !== "centre" && !code.startsWith(parentCode)) return "org.code.prefix";
  return null;
}

/** An organisation subtree in display order: each organisation followed by its children, by code. */
export function sortTree<T extends { id: number; parent_id: number | null; code: string }>(rows: T[]): T[] {
  const byParent = new Map<number | null, T[]>();
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const p = r.parent_id !== null && ids.has(r.parent_id) ? r.parent_id : null;
    byParent.set(p, [...(byParent.get(p) ?? []), r]);
  }
  const out: T[] = [];
  const walk = (p: number | null) => {
    for (const r of (byParent.get(p) ?? []).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push(r);
      walk(r.id);
    }
  };
  walk(null);
  return out;
}

/** Each organisation's depth below the subtree's root (0; an organisation whose parent is outside the rows is a root). */
export function treeDepths(rows: readonly { id: number; parent_id: number | null }[]): Map<number, number> {
  const parent = new Map(rows.map((r) => [r.id, r.parent_id]));
  const depth = new Map<number, number>();
  const of = (id: number): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const p = parent.get(id);
    const d = p !== null && p !== undefined && parent.has(p) ? of(p) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  for (const r of rows) of(r.id);
  return depth;
}
