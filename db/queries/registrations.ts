import { sql, type Kysely, type Transaction } from "kysely";
import { compileOnce } from "../compile-once";
import type { DB, Registration } from "../schema";
import { siteFeeOfEntry } from "./entries";
import type { Channel } from "~/domain/registration";

type Q = Kysely<DB> | Transaction<DB>;

export async function findRegistrationByAccount(db: Q, sittingId: number, accountId: string) {
  return db
    .selectFrom("registration")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export async function findRegistrationByIdNumber(db: Q, sittingId: number, idNumber: string) {
  return db
    .selectFrom("registration")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("id_number", "=", idNumber)
    .executeTakeFirst();
}

/** Locks the candidate's registration for the rest of the transaction: one change at a time per candidate. */
export async function lockRegistrationByAccount(
  trx: Transaction<DB>,
  sittingId: number,
  accountId: string,
): Promise<Registration | undefined> {
  return trx
    .selectFrom("registration")
    .selectAll()
    .where("sitting_id", "=", sittingId)
    .where("account_id", "=", accountId)
    .forUpdate()
    .executeTakeFirst();
}

export async function lockRegistration(trx: Transaction<DB>, id: number): Promise<Registration | undefined> {
  return trx.selectFrom("registration").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** CAN-7: the entry (aliased `entry`) sits in a payment still open at the gateway, so it cannot change. */
export const entryInPendingPayment = (now: Date) => sql<boolean>`exists(select 1 from payment
  where payment.registration_id = entry.registration_id and payment.status = 'pending'
    and payment.expires_at > ${now} and entry.id = any(payment.entry_ids))`;

// read on every entries change and status page; its text is built once (compileOnce).
const entriesQuery = compileOnce((db, registrationId: number, now: Date) =>
  db
    .selectFrom("entry")
    .innerJoin("subject", "subject.code", "entry.subject_code")
    // SCH-2/ADM-1: where the entry sits, once allocated.
    .leftJoin("exam_batch", "exam_batch.id", "entry.batch_id")
    .leftJoin("room", "room.id", "exam_batch.room_id")
    .select([
      "entry.id",
      "entry.subject_code",
      "entry.admission_no",
      "entry.seat",
      "exam_batch.exam_date",
      "exam_batch.start_min",
      "exam_batch.end_min",
      "room.number as room_number",
      "room.location as room_location",
      "subject.name as subject_name",
      "entry.paid",
      "entry.fee_fen",
      "entry.payment_id",
      "entry.paid_at",
      "entry.hold_until",
      "entry.payment_batch_id",
      "entry.created_at",
      // Issue 15 item 8: what an unpaid entry would cost now (a paid one keeps its own fee_fen).
      siteFeeOfEntry.as("site_fee_fen"),
    ])
    .select(entryInPendingPayment(now).as("in_pending_payment"))
    .where("entry.registration_id", "=", registrationId)
    .orderBy("entry.subject_code"),
);

/**
 * A registration's entries, each with whether it sits in a payment still open at the gateway and
 * whether a group payment batch holds it (GRP-6: `payment_batch_id` is cleared when its payment batch is deleted).
 */
export async function listEntries(db: Q, registrationId: number, now: Date) {
  const { rows } = await db.executeQuery(entriesQuery(db, registrationId, now));
  return rows.map((r) => ({
    ...r,
    in_pending_payment: Boolean(r.in_pending_payment),
    in_payment_batch: r.payment_batch_id !== null,
  }));
}

export interface GroupUnpaidFilter {
  channel?: Channel;
  subject?: string;
  className?: string;
  /** Only these registrations (a payment batch re-reads what it locked). */
  registrationIds?: readonly number[];
}

/**
 * GRP-6: a site's unpaid entries that no payment batch holds, with what `groupPayableGap` needs to decide
 * whether a group payment may take them (the registration's review, photo and pending payments).
 */
export async function listGroupUnpaid(db: Q, sittingId: number, siteId: number, filter: GroupUnpaidFilter, now: Date) {
  let q = db
    .selectFrom("entry as e")
    .innerJoin("registration as r", "r.id", "e.registration_id")
    .leftJoin("photo as p", "p.id", "r.photo_id")
    .select([
      "e.id as entry_id",
      "e.registration_id",
      "e.subject_code",
      "e.paid",
      "e.payment_batch_id",
      "r.channel",
      "r.class_name",
      "r.review_status",
      "r.person_fee_paid",
      "p.created_at as photo_at",
    ])
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom("payment")
            .select(sql`1`.as("one"))
            .whereRef("payment.registration_id", "=", "r.id")
            .where("payment.status", "=", "pending")
            .where("payment.expires_at", ">", now),
        )
        .as("reg_pending"),
      eb
        .exists(
          eb
            .selectFrom("payment")
            .select(sql`1`.as("one"))
            .whereRef("payment.registration_id", "=", "r.id")
            .where("payment.status", "=", "pending")
            .where("payment.expires_at", ">", now)
            .where(sql<boolean>`e.id = any(payment.entry_ids)`),
        )
        .as("in_pending_payment"),
    ])
    .where("e.sitting_id", "=", sittingId)
    .where("e.org_id", "=", siteId)
    .where("r.sitting_id", "=", sittingId)
    .where("e.paid", "=", false)
    .where("e.payment_batch_id", "is", null);
  if (filter.channel) q = q.where("r.channel", "=", filter.channel);
  if (filter.subject) q = q.where("e.subject_code", "=", filter.subject);
  if (filter.className) q = q.where("r.class_name", "=", filter.className);
  if (filter.registrationIds) q = q.where(sql<boolean>`r.id = any(${[...filter.registrationIds]}::int[])`);
  const rows = await q.orderBy("e.registration_id").orderBy("e.subject_code").execute();
  return rows.map((r) => ({
    ...r,
    reg_pending: Boolean(r.reg_pending),
    in_pending_payment: Boolean(r.in_pending_payment),
    in_payment_batch: r.payment_batch_id !== null,
  }));
}

/** GRP-6: the class names of a site's registrations, for the payment batch filter. */
export async function listSiteClassNames(db: Q, sittingId: number, siteId: number) {
  const rows = await db
    .selectFrom("registration")
    .select("class_name")
    .distinct()
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("class_name", "<>", "")
    .orderBy("class_name")
    .limit(500)
    .execute();
  return rows.map((r) => r.class_name);
}

export async function findPhoto(db: Q, id: number | null) {
  if (id === null) return undefined;
  return db.selectFrom("photo").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The latest payment still open at the gateway, if any. */
export async function findPendingPayment(db: Q, registrationId: number, now: Date) {
  return db
    .selectFrom("payment")
    .selectAll()
    .where("registration_id", "=", registrationId)
    .where("status", "=", "pending")
    .where("expires_at", ">", now)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

export async function listPayments(db: Q, registrationId: number) {
  return db
    .selectFrom("payment")
    .selectAll()
    .where("registration_id", "=", registrationId)
    .orderBy("created_at", "desc")
    .execute();
}

export interface OpenSiteRow {
  id: number;
  code: string;
  name: string;
  city_name: string;
  province_id: number;
  province_name: string;
  address: string;
  online_starts_at: Date;
  online_ends_at: Date;
  review_required: boolean;
  max_entries: number;
  total_capacity: number | null;
  total_taken: number;
  registry_enabled: boolean;
  only_province_registry: boolean;
  only_site_registry: boolean;
}

/**
 * SET-6 + SET-1: sites of the sitting whose candidate online registration is open now: the site is
 * enabled (ORG-4) and open (开考), online registration is on, now lies in its window, fees are set.
 */
export async function listOpenSites(db: Q, sittingId: number, now: Date): Promise<OpenSiteRow[]> {
  return db
    .selectFrom("site_setting as ss")
    .innerJoin("org as site", "site.id", "ss.org_id")
    .innerJoin("org_sitting as os", (j) =>
      j.onRef("os.org_id", "=", "site.id").onRef("os.sitting_id", "=", "ss.sitting_id"),
    )
    .innerJoin("org as city", "city.id", "site.parent_id")
    .innerJoin("org as province", "province.id", "city.parent_id")
    .select([
      "site.id",
      "site.code",
      "site.name",
      "city.name as city_name",
      "province.id as province_id",
      "province.name as province_name",
      "os.address",
      "ss.review_required",
      "ss.max_entries",
      "ss.total_capacity",
      "ss.total_taken",
      "ss.registry_enabled",
      "ss.only_province_registry",
      "ss.only_site_registry",
    ])
    .select((eb) => [
      eb.ref("ss.online_starts_at").$notNull().as("online_starts_at"),
      eb.ref("ss.online_ends_at").$notNull().as("online_ends_at"),
    ])
    .where("ss.sitting_id", "=", sittingId)
    .where("site.level", "=", "site")
    .where("os.enabled", "=", true)
    .where("ss.open", "=", true)
    .where("ss.online_enabled", "=", true)
    .where("ss.online_starts_at", "<=", now)
    .where("ss.online_ends_at", ">", now)
    .where("ss.per_person_fee_fen", "is not", null)
    .where("ss.total_capacity", "is not", null)
    .orderBy("site.code")
    .execute();
}

/** CAN-2: the site's subjects open to candidates, with fee, capacity and seats taken. */
export async function listOfferedForCandidates(db: Q, sittingId: number, siteId: number) {
  return db
    .selectFrom("site_subject as s")
    .innerJoin("subject", "subject.code", "s.subject_code")
    .leftJoin("site_fee as f", (j) =>
      j
        .onRef("f.sitting_id", "=", "s.sitting_id")
        .onRef("f.org_id", "=", "s.org_id")
        .onRef("f.subject_code", "=", "s.subject_code"),
    )
    .select([
      "s.subject_code",
      "subject.name",
      "subject.minutes",
      "s.exam_start",
      "s.exam_end",
      "s.capacity",
      "s.taken",
      "f.fee_fen",
    ])
    .where("s.sitting_id", "=", sittingId)
    .where("s.org_id", "=", siteId)
    .orderBy("s.subject_code")
    .execute();
}
