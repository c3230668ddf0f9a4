import { sql, type Kysely, type Transaction } from "kysely";
import { getOrgPath } from "~db/queries/orgs";
import { anyInt, anyText } from "~db/queries/bulk-insert";
import type { DB, Registration } from "~db/schema";
import type { StudentRecordRef } from "~/domain/eligibility";
import { type ExistingAccount, type ExistingRegistration } from "~/domain/group-registration";
import { isProvenAccount } from "~/domain/verification";

/** GRP-2 … GRP-4, SET-9, SR-7: what the database already holds for a group import's rows, in a few queries whatever the count. */

type Q = Kysely<DB> | Transaction<DB>;

/** PostgreSQL takes at most 65,535 parameters per statement: rows go in chunks well below that. */
const CHUNK = 1000;

export const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

export type LoadedRegistration = ExistingRegistration & { row: Registration };

export async function loadRegistrations(
  db: Q,
  sittingId: number,
  idNumbers: readonly string[],
  now: Date,
  lock: boolean,
): Promise<Map<string, LoadedRegistration>> {
  const rows: Registration[] = [];
  for (const chunk of chunks(idNumbers, 5000)) {
    const q = db
      .selectFrom("registration")
      .selectAll()
      .where("sitting_id", "=", sittingId)
      .where("id_number", "=", anyText(chunk))
      .orderBy("id");
    rows.push(...(await (lock ? q.forUpdate() : q).execute()));
  }
  const out = new Map<string, LoadedRegistration>();
  if (rows.length === 0) return out;
  const orgIds = [...new Set(rows.map((r) => r.org_id))];
  const orgs = new Map(
    (await db.selectFrom("org").select(["id", "code", "name"]).where("id", "in", orgIds).execute()).map((o) => [
      o.id,
      `(${o.code}) ${o.name}`,
    ]),
  );
  const entries = new Map<number, ExistingRegistration["entries"][number][]>();
  for (const chunk of chunks(
    rows.map((r) => r.id),
    5000,
  )) {
    const es = await db
      .selectFrom("entry")
      .select(["entry.id", "entry.registration_id", "entry.subject_code", "entry.paid", "entry.payment_batch_id"])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("payment")
              .select(sql`1`.as("one"))
              .whereRef("payment.registration_id", "=", "entry.registration_id")
              .where("payment.status", "=", "pending")
              .where("payment.expires_at", ">", now)
              .where(sql<boolean>`entry.id = any(payment.entry_ids)`),
          )
          .as("in_pending_payment"),
      )
      .where("entry.registration_id", "=", anyInt(chunk))
      .orderBy("entry.subject_code")
      .execute();
    for (const e of es) {
      const list = entries.get(e.registration_id) ?? [];
      list.push({
        id: e.id,
        subject_code: e.subject_code,
        paid: e.paid,
        in_payment_batch: e.payment_batch_id !== null,
        in_pending_payment: Boolean(e.in_pending_payment),
      });
      entries.set(e.registration_id, list);
    }
  }
  for (const r of rows) {
    out.set(r.id_number, {
      id: r.id,
      org_id: r.org_id,
      org_label: orgs.get(r.org_id) ?? String(r.org_id),
      channel: r.channel,
      locked: r.locked,
      account_id: r.account_id,
      entries: entries.get(r.id) ?? [],
      row: r,
    });
  }
  return out;
}

export async function loadAccounts(
  db: Q,
  sittingId: number,
  emails: readonly string[],
): Promise<Map<string, ExistingAccount>> {
  const out = new Map<string, ExistingAccount>();
  for (const chunk of chunks(emails, 5000)) {
    const accounts = await db
      .selectFrom("account")
      .select(["id", "email", "role", "email_verified_at", "mobile_verified_at", "site_vouched_at"])
      .where("email", "=", anyText(chunk))
      .execute();
    if (accounts.length === 0) continue;
    const bound = new Map(
      (
        await db
          .selectFrom("registration")
          .select(["account_id", "id_number"])
          .where("sitting_id", "=", sittingId)
          .where("account_id", "=", anyText(accounts.map((a) => a.id)))
          .execute()
      ).map((r) => [r.account_id!, r.id_number]),
    );
    for (const a of accounts)
      out.set(a.email!, {
        id: a.id,
        role: a.role,
        proven: isProvenAccount(a),
        bound_id_number: bound.get(a.id) ?? null,
      });
  }
  return out;
}

/** SR-7: the student records of these IDs, each with its province, in a few queries whatever the count. */
export async function loadRecords(db: Q, idNumbers: readonly string[]): Promise<Map<string, StudentRecordRef>> {
  const rows: Array<{ id_number: string; org_id: number; eligible_site_ids: number[] | null }> = [];
  for (const chunk of chunks(idNumbers, 5000)) {
    rows.push(
      ...(await db
        .selectFrom("student_record")
        .select(["id_number", "org_id", "eligible_site_ids"])
        .where("id_number", "=", anyText(chunk))
        .execute()),
    );
  }
  const provinceOf = new Map<number, number>();
  for (const orgId of new Set(rows.map((r) => r.org_id))) {
    provinceOf.set(orgId, (await getOrgPath(db, orgId)).find((o) => o.level === "province")?.id ?? 0);
  }
  return new Map(
    rows.map((r) => [
      r.id_number,
      {
        siteId: r.org_id,
        provinceId: provinceOf.get(r.org_id) ?? 0,
        eligibleSiteIds: r.eligible_site_ids ?? [r.org_id],
      },
    ]),
  );
}
