import { randomUUID } from "node:crypto";
import { getDb } from "../../db/client";
import { residentId } from "./index";
import { takeSeatsForEntries } from "./seats";

export interface RegOpts {
  siteId: number;
  sittingId: number;
  channel?: "online" | "group";
  photo?: boolean;
  review?: "none" | "pending" | "passed" | "failed";
  locked?: boolean;
  name?: string;
  className?: string;
  subjects?: string[];
  /** Subjects whose entries are paid (by an online payment, or by a paid group payment batch with `groupPaid`). */
  paid?: string[];
  groupPaid?: boolean;
  /** The payment (made by the caller) that paid the `paid` entries: then none is made here and `groupPaid` is not read. */
  paymentId?: string;
  accountId?: string | null;
  preferredDate?: string | null;
  gender?: "1" | "2";
  registry?: boolean;
  hold?: Date | null;
}

let seq = 0;

/** A registration with entries (and payments for the paid ones), made directly in the database, its seats counted. */
export async function makeRegistration(o: RegOpts) {
  const db = getDb();
  const n = ++seq;
  // One birth date per registration keeps the ID numbers unique (residentId varies only 499 ways per date).
  const birth = new Date(Date.UTC(1990, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const idNumber = residentId(birth, n, o.gender === "2");
  let photoId: number | null = null;
  if (o.photo ?? true) {
    const fileId = randomUUID();
    await db
      .insertInto("stored_file")
      .values({
        id: fileId,
        kind: "photo",
        name: `${idNumber}.jpg`,
        path: `photos/${fileId}.jpg`,
        size: 1000,
        content_type: "image/jpeg",
        org_id: o.siteId,
        sitting_id: o.sittingId,
      })
      .execute();
    photoId = (
      await db
        .insertInto("photo")
        .values({
          sitting_id: o.sittingId,
          org_id: o.siteId,
          id_number: idNumber,
          file_id: fileId,
          width: 360,
          height: 480,
          bytes: 1000,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  const paid = o.paid ?? [];
  const reg = await db
    .insertInto("registration")
    .values({
      sitting_id: o.sittingId,
      org_id: o.siteId,
      account_id: o.accountId ?? null,
      channel: o.channel ?? "online",
      id_type: "1",
      id_number: idNumber,
      name: o.name ?? `考生${n}`,
      gender: o.gender ?? "1",
      birth_date: birth,
      ethnicity: "01",
      education: "20",
      class_name: o.className ?? "",
      photo_id: photoId,
      review_status: o.review ?? "none",
      locked: o.locked ?? false,
      person_fee_paid: paid.length > 0,
      preferred_date: o.preferredDate ?? null,
      registry_candidate: o.registry ?? false,
      hold_until: o.hold ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const subjects = o.subjects ?? ["14"];
  let paymentId: string | null = null;
  let paymentBatchId: number | null = null;
  const now = new Date();
  if (paid.length && o.paymentId) {
    paymentId = o.paymentId;
  } else if (paid.length) {
    if (o.groupPaid) {
      paymentBatchId = (
        await db
          .insertInto("payment_batch")
          .values({
            sitting_id: o.sittingId,
            org_id: o.siteId,
            status: "paid",
            candidate_count: 1,
            entry_count: paid.length,
            per_person_count: 1,
            per_person_fen: 1000,
            subject_fen: 11000 * paid.length,
            amount_fen: 1000 + 11000 * paid.length,
            subject_codes: paid,
            finished_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    paymentId = `T${randomUUID().replace(/-/g, "").slice(0, 20)}`;
    await db
      .insertInto("payment")
      .values({
        id: paymentId,
        sitting_id: o.sittingId,
        org_id: o.siteId,
        registration_id: o.groupPaid ? null : reg.id,
        account_id: o.accountId ?? null,
        provider: "simulated",
        amount_fen: 1000 + 11000 * paid.length,
        per_person_fen: 1000,
        entry_ids: [],
        subject_codes: paid,
        status: "paid",
        payment_batch_id: paymentBatchId,
        expires_at: now,
        finished_at: now,
      })
      .execute();
  }
  const entries =
    subjects.length === 0
      ? []
      : await db
          .insertInto("entry")
          .values(
            subjects.map((code) => {
              const isPaid = paid.includes(code);
              return {
                registration_id: reg.id,
                sitting_id: o.sittingId,
                org_id: o.siteId,
                subject_code: code,
                hold_until: isPaid ? null : (o.hold ?? null),
                paid: isPaid,
                fee_fen: isPaid ? 11000 : null,
                paid_at: isPaid ? now : null,
                payment_id: isPaid ? paymentId : null,
                payment_batch_id: isPaid ? paymentBatchId : null,
              };
            }),
          )
          .returning(["id", "subject_code"])
          .execute();
  await takeSeatsForEntries(o.sittingId, o.siteId, subjects);
  return { reg, entries, idNumber };
}

export async function counters(siteId: number, sittingId: number, code: string) {
  const db = getDb();
  const site = await db
    .selectFrom("site_setting")
    .select("total_taken")
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirstOrThrow();
  const subject = await db
    .selectFrom("site_subject")
    .select("taken")
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .where("subject_code", "=", code)
    .executeTakeFirst();
  return { total: site.total_taken, subject: subject?.taken ?? 0 };
}
