import { sql, type Kysely } from "kysely";
import type { DB } from "../schema";

export interface AuditFilter {
  /** ORG-2/X-1: the organisations whose entries the reader may see. */
  orgIds: number[];
  sittingId: number;
  /** The reader's own account: its log-ins (which carry no organisation) are visible to it. */
  accountId?: string;
  action?: string;
  actor?: string;
  orgCode?: string;
  from?: Date;
  to?: Date;
}

/**
 * the one filter of the audit page and its export, from the reader's scope and the page's
 * search fields, so that the export holds exactly the rows the page counts (the reader's own
 * log-ins and language changes included).
 */
export function auditFilter(
  reader: { orgIds: number[]; sittingId: number; accountId: string | null },
  search: { action?: string; actor?: string; orgCode?: string; from?: string | Date; to?: string | Date },
): AuditFilter {
  return {
    orgIds: reader.orgIds,
    sittingId: reader.sittingId,
    accountId: reader.accountId ?? undefined,
    action: search.action,
    actor: search.actor,
    orgCode: search.orgCode,
    from: search.from ? new Date(search.from) : undefined,
    to: search.to ? new Date(search.to) : undefined,
  };
}

function filtered(db: Kysely<DB>, f: AuditFilter) {
  let q = db
    .selectFrom("audit_log")
    // Issue 15 item 4: an entry without an organisation (a log-in) shows the actor's organisation in that sitting.
    .leftJoin("org", (join) =>
      join.on(
        sql<boolean>`org.id = coalesce(audit_log.org_id, (select m.org_id from membership m where m.account_id = audit_log.account_id and m.sitting_id = coalesce(audit_log.sitting_id, ${f.sittingId}) limit 1))`,
      ),
    )
    .where((eb) =>
      eb.or([
        // An empty scope matches nothing (and `in ()` is not SQL).
        f.orgIds.length
          ? eb.and([eb("audit_log.org_id", "in", f.orgIds), eb("audit_log.sitting_id", "=", f.sittingId)])
          : eb.val(false),
        ...(f.accountId
          ? [eb.and([eb("audit_log.account_id", "=", f.accountId), eb("audit_log.org_id", "is", null)])]
          : []),
      ]),
    );
  // starts_with/strpos rather than LIKE: the filters are plain text, not patterns.
  if (f.action) q = q.where(sql<boolean>`starts_with(audit_log.action, ${f.action})`);
  if (f.actor) q = q.where(sql<boolean>`strpos(audit_log.actor_name, ${f.actor}) > 0`);
  if (f.orgCode) q = q.where("org.code", "=", f.orgCode);
  if (f.from) q = q.where("audit_log.at", ">=", f.from);
  if (f.to) q = q.where("audit_log.at", "<", f.to);
  return q;
}

export async function searchAudit(db: Kysely<DB>, f: AuditFilter, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    filtered(db, f)
      .select([
        "audit_log.id",
        "audit_log.at",
        "audit_log.actor_name",
        "audit_log.action",
        "audit_log.entity_type",
        "audit_log.entity_id",
        "audit_log.changes",
        "audit_log.ip",
        "org.code as org_code",
        "org.name as org_name",
      ])
      .orderBy("audit_log.id", "desc")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function* streamAudit(db: Kysely<DB>, f: AuditFilter, pageSize = 1000) {
  let lastId: number | null = null;
  for (;;) {
    let q = filtered(db, f).select([
      "audit_log.id",
      "audit_log.at",
      "audit_log.actor_name",
      "audit_log.action",
      "audit_log.entity_type",
      "audit_log.entity_id",
      "audit_log.changes",
      "audit_log.ip",
      "org.code as org_code",
      "org.name as org_name",
    ]);
    if (lastId !== null) q = q.where("audit_log.id", "<", lastId);
    const rows = await q.orderBy("audit_log.id", "desc").limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    lastId = Number(rows[rows.length - 1].id);
  }
}

/**
 * X-1 (issue 15 item 4): what each entry is about, named as its users know it (a candidate's name,
 * an organisation's code and name, a batch's number), never an internal id. Things since deleted,
 * or kinds without a name of their own, get none (the page then shows the kind only).
 */
export async function auditEntityNames(
  db: Kysely<DB>,
  rows: ReadonlyArray<{ entity_type: string; entity_id: string }>,
): Promise<Record<string, string>> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.entity_type === type).map((r) => r.entity_id))];
  const nums = (type: string) => ids(type).map(Number).filter(Number.isSafeInteger);
  const out: Record<string, string> = {};
  const put = (type: string, id: string | number, name: string) => {
    out[`${type}:${id}`] = name;
  };
  const [regs, records, orgs, accounts, members, subjects, sittings] = await Promise.all([
    nums("registration").length
      ? db.selectFrom("registration").select(["id", "name"]).where("id", "in", nums("registration")).execute()
      : [],
    nums("student_record").length
      ? db.selectFrom("student_record").select(["id", "name"]).where("id", "in", nums("student_record")).execute()
      : [],
    nums("org").length
      ? db.selectFrom("org").select(["id", "code", "name"]).where("id", "in", nums("org")).execute()
      : [],
    ids("account").length
      ? db.selectFrom("account").select(["id", "name"]).where("id", "in", ids("account")).execute()
      : [],
    nums("membership").length
      ? db.selectFrom("membership").select(["id", "name"]).where("id", "in", nums("membership")).execute()
      : [],
    ids("subject").length
      ? db.selectFrom("subject").select(["code", "name"]).where("code", "in", ids("subject")).execute()
      : [],
    nums("sitting").length
      ? db.selectFrom("sitting").select(["id", "name"]).where("id", "in", nums("sitting")).execute()
      : [],
  ]);
  for (const r of regs) put("registration", r.id, r.name);
  for (const r of records) put("student_record", r.id, r.name);
  for (const o of orgs) put("org", o.id, `${o.name} (${o.code})`);
  for (const a of accounts) put("account", a.id, a.name);
  for (const m of members) put("membership", m.id, m.name);
  for (const s of subjects) put("subject", s.code, `${s.code} ${s.name}`);
  for (const s of sittings) put("sitting", s.id, s.name);
  for (const id of nums("payment_batch")) put("payment_batch", id, `#${id}`);
  return out;
}

export async function countAudit(db: Kysely<DB>, f: AuditFilter) {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
