import type { Transaction } from "kysely";
import { idCheckCharacter } from "../app/domain/id-number";
import type { DB } from "./schema";
import { changeSeats, SITE_TOTAL } from "./queries/seats";

/**
 * Issue 15 item 11 (ORG-7): the past sitting 78 holds a finished registration season, so that
 * looking back at a sitting (statistics, candidates, payments, the audit log) shows something. All
 * entries are paid (a season long over); 990101 and 990201 paid online, 990102 through one paid
 * group payment batch. Counters are set from the rows, so the seat invariants hold (findSeatDrift).
 * Deterministic: the same names and ID numbers on every machine.
 */
const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
const GIVEN = ["子涵", "浩然", "欣怡", "宇轩", "梓萱", "俊杰", "诗涵", "明轩", "雨桐", "一诺", "思远", "佳怡"];
const CLASSES = ["计科2301", "计科2302", "会计2301"];
const RANGE = { exam_start: "2026-09-19", exam_end: "2026-09-21" };
const PER_PERSON_FEN = 1000;

const PAST_SITES: Array<{ code: string; candidates: number; subjects: string[]; group?: boolean; review?: boolean }> = [
  { code: "990101", candidates: 48, subjects: ["14", "15", "24", "65", "66"] },
  { code: "990102", candidates: 24, subjects: ["14", "65"], group: true },
  { code: "990201", candidates: 16, subjects: ["14", "15", "16", "65"], review: true },
];

export async function seedPastSitting(
  trx: Transaction<DB>,
  sittingId: number,
  ids: Map<string, number>,
  feeOf: (code: string) => number,
) {
  const offered = [...new Set(PAST_SITES.flatMap((s) => s.subjects))];
  await trx
    .insertInto("sitting_subject")
    .values(offered.map((code) => ({ sitting_id: sittingId, subject_code: code, ...RANGE })))
    .execute();
  await trx
    .insertInto("province_subject")
    .values(offered.map((code) => ({ sitting_id: sittingId, org_id: ids.get("99")!, subject_code: code, ...RANGE })))
    .execute();
  const finished = new Date("2026-07-10T10:00:00+08:00");
  let seq = 0;
  for (const site of PAST_SITES) {
    const orgId = ids.get(site.code)!;
    const at = (day: number, minutes: number) =>
      new Date(Date.parse("2026-06-20T09:00:00+08:00") + day * 86_400_000 + minutes * 60_000);
    const people = Array.from({ length: site.candidates }, (_, i) => {
      const n = ++seq;
      const female = n % 2 === 0;
      const birth = `200${4 + (n % 3)}-${String(1 + (n % 12)).padStart(2, "0")}-${String(1 + (n % 27)).padStart(2, "0")}`;
      const order = String((n % 400) * 2 + (female ? 2 : 1)).padStart(3, "0");
      const first17 = `440105${birth.replace(/-/g, "")}${order}`;
      // One or two subjects each, spread over the site's subjects.
      const subjects =
        n % 3 === 0
          ? [site.subjects[n % site.subjects.length], site.subjects[(n + 1) % site.subjects.length]]
          : [site.subjects[n % site.subjects.length]];
      return {
        name: SURNAMES[n % SURNAMES.length] + GIVEN[(n * 5) % GIVEN.length],
        female,
        birth,
        idNumber: first17 + idCheckCharacter(first17),
        className: CLASSES[i % CLASSES.length],
        subjects,
        createdAt: at(i % 20, i * 7),
      };
    });
    const entryCount = people.reduce((sum, p) => sum + p.subjects.length, 0);
    const feesOf = (codes: string[]) => codes.reduce((sum, c) => sum + feeOf(c), 0);
    const subjectFen = people.reduce((sum, p) => sum + feesOf(p.subjects), 0);
    await trx
      .insertInto("site_setting")
      .values({
        sitting_id: sittingId,
        org_id: orgId,
        per_person_fee_fen: PER_PERSON_FEN,
        total_capacity: 400,
        max_entries: 2,
        online_enabled: !site.group,
        review_required: site.review ?? false,
        class_options: CLASSES.join("；"),
      })
      .execute();
    await trx
      .insertInto("site_fee")
      .values(
        site.subjects.map((code) => ({
          sitting_id: sittingId,
          org_id: orgId,
          subject_code: code,
          fee_fen: feeOf(code),
        })),
      )
      .execute();
    await trx
      .insertInto("site_subject")
      .values(
        site.subjects.map((code) => ({
          sitting_id: sittingId,
          org_id: orgId,
          subject_code: code,
          ...RANGE,
          capacity: 120,
        })),
      )
      .execute();
    // The seats the past sitting's entries hold (decision 0051: counted in the shards).
    const short = await changeSeats(
      trx,
      sittingId,
      orgId,
      [
        [SITE_TOTAL, entryCount],
        ...site.subjects.map((code) => [code, people.filter((p) => p.subjects.includes(code)).length] as const),
      ],
      0,
    );
    if (short.length) throw new Error(`past sitting ${orgId}: too few seats for ${short.join(", ")}`);

    const batch = site.group
      ? await trx
          .insertInto("payment_batch")
          .values({
            sitting_id: sittingId,
            org_id: orgId,
            status: "paid",
            candidate_count: people.length,
            entry_count: entryCount,
            per_person_count: people.length,
            per_person_fen: PER_PERSON_FEN,
            subject_fen: subjectFen,
            amount_fen: people.length * PER_PERSON_FEN + subjectFen,
            subject_codes: site.subjects,
            finished_at: finished,
            created_at: finished,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      : null;
    if (batch) {
      await trx
        .insertInto("payment")
        .values({
          id: `D78${site.code}G`,
          sitting_id: sittingId,
          org_id: orgId,
          registration_id: null,
          account_id: null,
          provider: "simulated",
          amount_fen: people.length * PER_PERSON_FEN + subjectFen,
          per_person_fen: PER_PERSON_FEN,
          entry_ids: [],
          subject_codes: site.subjects,
          status: "paid",
          payment_batch_id: batch.id,
          expires_at: finished,
          finished_at: finished,
          created_at: finished,
        })
        .execute();
    }

    for (const [i, p] of people.entries()) {
      const reg = await trx
        .insertInto("registration")
        .values({
          sitting_id: sittingId,
          org_id: orgId,
          account_id: null,
          channel: site.group ? "group" : "online",
          id_type: "1",
          id_number: p.idNumber,
          name: p.name,
          gender: p.female ? "2" : "1",
          birth_date: p.birth,
          ethnicity: "01",
          education: "20",
          class_name: p.className,
          locked: true,
          review_status: site.review ? "passed" : "none",
          reviewed_at: site.review ? p.createdAt : null,
          person_fee_paid: true,
          created_at: p.createdAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const paidAt = new Date(p.createdAt.getTime() + 20 * 60_000);
      const paymentId = batch ? `D78${site.code}G` : `D78${site.code}${String(i + 1).padStart(4, "0")}`;
      // The order first (entries point at it); its entry list once the entries exist.
      if (!batch) {
        await trx
          .insertInto("payment")
          .values({
            id: paymentId,
            sitting_id: sittingId,
            org_id: orgId,
            registration_id: reg.id,
            account_id: null,
            provider: "simulated",
            amount_fen: PER_PERSON_FEN + feesOf(p.subjects),
            per_person_fen: PER_PERSON_FEN,
            entry_ids: [],
            subject_codes: p.subjects,
            status: "paid",
            expires_at: paidAt,
            finished_at: paidAt,
            created_at: p.createdAt,
          })
          .execute();
      }
      const entries = await trx
        .insertInto("entry")
        .values(
          p.subjects.map((code) => ({
            registration_id: reg.id,
            sitting_id: sittingId,
            org_id: orgId,
            subject_code: code,
            paid: true,
            fee_fen: feeOf(code),
            paid_at: batch ? finished : paidAt,
            payment_batch_id: batch?.id ?? null,
            payment_id: batch ? null : paymentId,
            created_at: p.createdAt,
          })),
        )
        .returning("id")
        .execute();
      if (!batch) {
        await trx
          .updateTable("payment")
          .set({ entry_ids: entries.map((e) => e.id) })
          .where("id", "=", paymentId)
          .execute();
      }
    }
  }
}
