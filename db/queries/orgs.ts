import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Org, OrgSitting } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

export async function findOrgById(db: Q, id: number): Promise<Org | undefined> {
  return db.selectFrom("org").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findOrgByCode(db: Q, code: string): Promise<Org | undefined> {
  return db.selectFrom("org").selectAll().where("code", "=", code).executeTakeFirst();
}

/** The chain of organisations from the root down to `orgId` (inclusive); empty if unknown. */
export async function getOrgPath(db: Q, orgId: number): Promise<Org[]> {
  const rows = await sql<Org & { depth: number }>`
    with recursive up as (
      select o.*, 0 as depth from org o where o.id = ${orgId}
      union all
      select p.*, up.depth + 1 from org p join up on p.id = up.parent_id
    )
    select * from up order by depth desc`.execute(db);
  return rows.rows.map(({ depth: _d, ...o }) => o as Org);
}

export type OrgWithState = Org & OrgSitting & { child_count: number };

/** ORG-2: the organisation and all its descendants that exist in the sitting, with their state, in tree order. */
export async function listOrgSubtree(db: Q, rootId: number, sittingId: number): Promise<OrgWithState[]> {
  const rows = await sql<OrgWithState>`
    with recursive down as (
      select o.id from org o where o.id = ${rootId}
      union all
      select c.id from org c join down on c.parent_id = down.id
    )
    select o.*, s.*, (
      select count(*) from org c join org_sitting cs on cs.org_id = c.id and cs.sitting_id = ${sittingId}
      where c.parent_id = o.id
    )::int as child_count
    from down join org o on o.id = down.id
    join org_sitting s on s.org_id = o.id and s.sitting_id = ${sittingId}
    order by o.code`.execute(db);
  return rows.rows;
}

export async function listSubtreeIds(db: Q, rootId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with recursive down as (
      select id from org where id = ${rootId}
      union all
      select c.id from org c join down on c.parent_id = down.id
    ) select id from down`.execute(db);
  return rows.rows.map((r) => r.id);
}

export async function findOrgSitting(db: Q, orgId: number, sittingId: number) {
  return db
    .selectFrom("org_sitting")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
}

export async function listChildren(db: Q, parentId: number, sittingId: number) {
  return db
    .selectFrom("org")
    .innerJoin("org_sitting", (j) =>
      j.onRef("org_sitting.org_id", "=", "org.id").on("org_sitting.sitting_id", "=", sittingId),
    )
    .selectAll("org")
    .select(["org_sitting.enabled"])
    .where("org.parent_id", "=", parentId)
    .orderBy("org.code")
    .execute();
}

export async function listMembers(db: Q, orgId: number, sittingId: number) {
  return db
    .selectFrom("membership")
    .innerJoin("account", "account.id", "membership.account_id")
    .select([
      "membership.id",
      "membership.account_id",
      "membership.role",
      "membership.name",
      "membership.phone",
      "account.email",
      "account.mobile",
      "account.must_change_password",
    ])
    .where("membership.org_id", "=", orgId)
    .where("membership.sitting_id", "=", sittingId)
    .orderBy("membership.id")
    .execute();
}

/** ORG-2: the sites in `rootId`'s subtree (a site's is itself): the scope of candidate searches and exports. */
export async function listSubtreeSiteIds(db: Q, rootId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    with recursive down as (
      select id, level from org where id = ${rootId}
      union all
      select c.id, c.level from org c join down on c.parent_id = down.id
    ) select id from down where level = 'site' order by id`.execute(db);
  return rows.rows.map((r) => r.id);
}
