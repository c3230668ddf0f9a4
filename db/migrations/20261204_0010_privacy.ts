import { sql, type Kysely } from "kysely";

// Issue 12, items 3 and 6 (SR-6, X-1, X-4): knowing an ID number reveals nothing, and the audit log
// keeps no whole ID number and no contact data.
export async function up(db: Kysely<any>): Promise<void> {
  // SR-6: the ID number (and name) a candidate typed to find their sites, kept on the server so that
  // it never travels in a URL; one per account and sitting, gone once the registration exists.
  await db.schema
    .createTable("candidate_draft")
    .addColumn("account_id", "text", (c) => c.notNull().references("account.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("id_type", "text", (c) => c.notNull())
    .addColumn("id_number", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("candidate_draft_pk", ["account_id", "sitting_id"])
    .execute();

  // SR-6: ID-number look-ups per account in a fixed window (app/domain/id-lookup-throttle.ts).
  await db.schema
    .createTable("id_lookup_throttle")
    .addColumn("account_id", "text", (c) => c.primaryKey().references("account.id").onDelete("cascade"))
    .addColumn("window_start", "timestamptz", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();

  // an administrator's search by ID number (or account e-mail/mobile) is posted and kept here
  // under a random token, so that it stays out of the page's URL (browser history, server logs).
  await db.schema
    .createTable("private_search")
    .addColumn("token", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("account.id").onDelete("cascade"))
    .addColumn("fields", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await maskAuditLog(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The masked audit entries cannot be unmasked (that is the point).
  for (const t of ["private_search", "id_lookup_throttle", "candidate_draft"])
    await db.schema.dropTable(t).ifExists().execute();
}

// ---- mask the entries written before the audit writer masked them. ----
// A frozen copy of the rule in app/domain/audit.ts (migrations never import app code).
const CONTACT_FIELDS = new Set(["phone", "mobile", "email", "address", "postcode", "login"]);
const ID_FIELD = /^(id_?numbers?|bound_id_number)$/i;
const WHOLE_ID = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const OLD_ID = /(?<![0-9A-Za-z])\d{11}(\d{4})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;
const EMAIL = /[^\s@"',;:<>()[\]{}]+@[^\s@"',;:<>()[\]{}]+\.[A-Za-z]{2,}/g;

function maskId(id: string): string {
  const chars = [...id];
  const keep = Math.min(4, chars.length);
  return "*".repeat(chars.length - keep) + chars.slice(chars.length - keep).join("");
}
function scrubText(s: string, contact: boolean): string {
  let out = s
    .replace(WHOLE_ID, (_m, _a: string, _b: string, last: string) => "*".repeat(14) + last.toUpperCase())
    .replace(OLD_ID, (_m, last: string) => "*".repeat(11) + last);
  if (contact) out = out.replace(MOBILE, "***").replace(EMAIL, "***");
  return out;
}
function scrubValue(key: string | null, v: unknown, contact: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (key !== null && contact && CONTACT_FIELDS.has(key.toLowerCase())) return v === "" ? "" : "***";
  if (key !== null && ID_FIELD.test(key)) {
    // Passports and permits carry no fixed pattern: a field named as ID numbers is masked whatever it holds.
    if (typeof v === "string") return maskId(v);
    if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? maskId(x) : scrubValue(null, x, contact)));
  }
  if (typeof v === "string") return scrubText(v, contact);
  if (Array.isArray(v)) return v.map((x) => scrubValue(null, x, contact));
  if (typeof v === "object")
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, scrubValue(k, x, contact)]),
    );
  return v;
}

export async function maskAuditLog(db: Kysely<any>) {
  let lastId = 0;
  for (;;) {
    const rows: Array<{ id: string | number; entity_type: string; entity_id: string; changes: unknown }> = await db
      .selectFrom("audit_log")
      .select(["id", "entity_type", "entity_id", "changes"])
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(1000)
      .execute();
    if (rows.length === 0) return;
    lastId = Number(rows[rows.length - 1].id);
    for (const r of rows) {
      const contact = r.entity_type !== "org";
      const raw = typeof r.changes === "string" ? JSON.parse(r.changes) : r.changes;
      // changes is { field: [before, after] }: each side is masked by its field's name.
      const masked = Object.fromEntries(
        Object.entries((raw ?? {}) as Record<string, unknown>).map(([k, pair]) => [
          k,
          Array.isArray(pair) ? pair.map((v) => scrubValue(k, v, contact)) : scrubValue(k, pair, contact),
        ]),
      );
      const changes = JSON.stringify(masked);
      let entityId = r.entity_id;
      // Student records were named by their ID number: now by their row id when the row still exists.
      if (r.entity_type === "student_record" && /^[0-9A-Z]{15,18}$/.test(entityId)) {
        const rec = await db
          .selectFrom("student_record")
          .select("id")
          .where("id_number", "=", entityId)
          .executeTakeFirst();
        entityId = rec ? String(rec.id) : maskId(entityId);
      }
      entityId = scrubText(entityId, contact);
      if (changes !== JSON.stringify(raw) || entityId !== r.entity_id) {
        await db.updateTable("audit_log").set({ changes, entity_id: entityId }).where("id", "=", r.id).execute();
      }
    }
  }
}
