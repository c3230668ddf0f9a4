import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { hash } from "@node-rs/argon2";
import type { DB, OrgLevel } from "./schema";
import { NCRE_SUBJECTS } from "~templates/subjects";
import { WINDOW_KINDS, type WindowKind } from "../app/domain/windows";
import { seedPastSitting } from "./seed-past";

export const DEMO_PASSWORD = "Kaowu-demo-2026";

const ORGS: Array<{
  code: string;
  name: string;
  level: OrgLevel;
  parent: string | null;
  address?: string;
  postcode?: string;
}> = [
  { code: "000000", name: "教育部教育考试院", level: "centre", parent: null },
  { code: "99", name: "测试省", level: "province", parent: "000000" },
  { code: "50", name: "重庆市", level: "province", parent: "000000" },
  { code: "9901", name: "测试省第一地市", level: "city", parent: "99" },
  { code: "9902", name: "测试省第二地市", level: "city", parent: "99" },
  { code: "5001", name: "重庆市主城区", level: "city", parent: "50" },
  {
    code: "990101",
    name: "测试大学考点",
    level: "site",
    parent: "9901",
    address: "测试省第一地市学府路1号 信息楼",
    postcode: "999001",
  },
  {
    code: "990102",
    name: "测试职业技术学院考点",
    level: "site",
    parent: "9901",
    address: "测试省第一地市工业大道88号",
    postcode: "999002",
  },
  {
    code: "990201",
    name: "第二地市师范学院考点",
    level: "site",
    parent: "9902",
    address: "测试省第二地市文化路12号",
    postcode: "999101",
  },
  {
    code: "500101",
    name: "重庆大学考点",
    level: "site",
    parent: "5001",
    address: "重庆市沙坪坝区沙正街174号",
    postcode: "400044",
  },
];

const USERS: Array<{ email: string; name: string; org?: string; role?: "admin" | "finance" }> = [
  { email: "centre@example.com", name: "中心管理员", org: "000000" },
  { email: "province99@example.com", name: "测试省管理员", org: "99" },
  { email: "province50@example.com", name: "重庆市管理员", org: "50" },
  { email: "city9901@example.com", name: "第一地市管理员", org: "9901" },
  { email: "city9902@example.com", name: "第二地市管理员", org: "9902" },
  { email: "site990101@example.com", name: "张老师", org: "990101" },
  { email: "site990102@example.com", name: "李老师", org: "990102" },
  { email: "site990201@example.com", name: "王老师", org: "990201" },
  { email: "finance990101@example.com", name: "赵会计", org: "990101", role: "finance" },
  { email: "candidate@example.com", name: "陈同学" },
];

const DAY = 86_400_000;

/** Demo data (README): the NCRE subjects, four levels of organisations, two sittings, windows around `now`. */
export async function seedDemo(db: Kysely<DB>, now = new Date()): Promise<boolean> {
  const existing = await db.selectFrom("sitting").select("id").executeTakeFirst();
  if (existing) return false;
  const base = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000); // on the hour
  const at = (days: number) => new Date(base.getTime() + days * DAY);
  const passwordHash = await hash(DEMO_PASSWORD);

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("subject")
      .values(
        NCRE_SUBJECTS.map((s) => ({
          code: s.code,
          name: s.name,
          level: s.level,
          minutes: s.minutes,
          requires: s.requires ?? null,
          retired: s.retired ?? false,
        })),
      )
      .execute();

    const past = await trx
      .insertInto("sitting")
      .values({
        code: "78",
        name: "2026年9月 第78次全国计算机等级考试",
        starts_on: "2026-09-19",
        ends_on: "2026-09-21",
        is_current: false,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const current = await trx
      .insertInto("sitting")
      .values({
        code: "79",
        name: "2027年3月 第79次全国计算机等级考试",
        starts_on: "2027-03-27",
        ends_on: "2027-03-29",
        is_current: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const ids = new Map<string, number>();
    for (const o of ORGS) {
      const row = await trx
        .insertInto("org")
        .values({ code: o.code, name: o.name, level: o.level, parent_id: o.parent ? ids.get(o.parent)! : null })
        .returning("id")
        .executeTakeFirstOrThrow();
      ids.set(o.code, row.id);
      for (const sittingId of [past.id, current.id]) {
        await trx
          .insertInto("org_sitting")
          .values({
            org_id: row.id,
            sitting_id: sittingId,
            address: o.address ?? "",
            postcode: o.postcode ?? "",
            contact_name: USERS.find((u) => u.org === o.code)?.name ?? "",
            review_state: o.level === "site" ? "pending" : "reviewed",
          })
          .execute();
      }
    }

    for (const u of USERS) {
      const id = randomUUID();
      // CAN-1/GRP-4: every demo account is proven (its owner "entered the code"), as a real one would be.
      await trx
        .insertInto("account")
        .values({
          id,
          email: u.email,
          mobile: null,
          name: u.name,
          password_hash: passwordHash,
          role: u.org ? "admin" : "candidate",
          email_verified_at: now,
        })
        .execute();
      if (!u.org) continue;
      for (const sittingId of [past.id, current.id]) {
        await trx
          .insertInto("membership")
          .values({
            account_id: id,
            org_id: ids.get(u.org)!,
            sitting_id: sittingId,
            role: u.role ?? "admin",
            name: u.name,
          })
          .execute();
      }
    }
    // The demo candidate can also log in with a mobile number.
    await trx
      .updateTable("account")
      .set({ mobile: "13800000000", mobile_verified_at: now })
      .where("email", "=", "candidate@example.com")
      .execute();

    const rows: Array<{ sitting_id: number; org_id: number; kind: string; starts_at: Date; ends_at: Date | null }> = [];
    const put = (sittingId: number, code: string, kind: WindowKind, from: Date, to: Date | null) =>
      rows.push({
        sitting_id: sittingId,
        org_id: ids.get(code)!,
        kind,
        starts_at: from,
        ends_at: kind === "card_print" ? null : to,
      });

    // Past sitting: a whole calendar, long over.
    const pastStart = new Date("2026-06-01T00:00:00+08:00");
    const pastEnd = new Date("2026-10-31T21:00:00+08:00");
    for (const o of ORGS)
      for (const k of WINDOW_KINDS)
        put(past.id, o.code, k, k === "card_print" ? new Date("2026-09-10T08:00:00+08:00") : pastStart, pastEnd);

    // Current sitting: the centre, provinces and cities leave room around now; depth shrinks each level.
    const depth: Record<OrgLevel, number> = { centre: 0, province: 1, city: 2, site: 3 };
    for (const o of ORGS) {
      if (o.level === "site") continue;
      const d = depth[o.level];
      for (const k of WINDOW_KINDS)
        put(current.id, o.code, k, k === "card_print" ? at(50 + d) : at(-40 + d), at(120 - d));
    }
    // Sites: 990101 is mid-registration; 990102's setup and registration windows have closed.
    const open: Record<WindowKind, [number, number]> = {
      pre_registration: [-14, 30],
      eligibility: [-14, 30],
      registration: [-14, 30],
      online_registration: [-7, 25],
      allocation: [35, 45],
      card_print: [55, 0],
      violations: [60, 75],
      pre_exam_downloads: [50, 70],
      post_exam_downloads: [70, 100],
    };
    for (const code of ["990101", "990201", "500101"])
      for (const k of WINDOW_KINDS) put(current.id, code, k, at(open[k][0]), at(open[k][1]));
    for (const k of WINDOW_KINDS) {
      // 990102 has finished registering and is placing its candidates (ROOM-1: its rooms can be tried).
      const own: Partial<Record<WindowKind, [number, number]>> = {
        pre_registration: [-30, -2],
        registration: [-30, -2],
        eligibility: [-30, -2],
        allocation: [-1, 30],
      };
      const span = own[k] ?? open[k];
      put(current.id, "990102", k, at(span[0]), at(span[1]));
    }
    await trx.insertInto("window").values(rows).execute();

    // Pre-registration setup of the current sitting (SET-1 … SET-9): the centre offers every current
    // subject, province 99 the common ones with fees; 990101 is fully configured and ready,
    // 990102 half-configured (capacity and its online window missing), so readiness has something to show.
    const range = { exam_start: "2027-03-27", exam_end: "2027-03-29" };
    const current_subjects = NCRE_SUBJECTS.filter((s) => !s.retired);
    await trx
      .insertInto("sitting_subject")
      .values(current_subjects.map((s) => ({ sitting_id: current.id, subject_code: s.code, ...range })))
      .execute();
    const common = ["14", "15", "16", "24", "28", "61", "65", "66", "35", "36", "41", "42"];
    for (const p of ["99", "50"]) {
      await trx
        .insertInto("province_subject")
        .values(common.map((code) => ({ sitting_id: current.id, org_id: ids.get(p)!, subject_code: code, ...range })))
        .execute();
    }
    const feeOf = (code: string) => (NCRE_SUBJECTS.find((s) => s.code === code)!.level <= 2 ? 11000 : 12000);
    for (const code of ["990101", "990102", "990201", "500101"]) {
      await trx
        .insertInto("site_setting")
        .values({ sitting_id: current.id, org_id: ids.get(code)!, per_person_fee_fen: 1000, total_capacity: null })
        .execute();
      await trx
        .insertInto("site_fee")
        .values(
          common.map((s) => ({ sitting_id: current.id, org_id: ids.get(code)!, subject_code: s, fee_fen: feeOf(s) })),
        )
        .execute();
    }
    await seedPastSitting(trx, past.id, ids, feeOf);
    // FIN-1: 990101's settlement account of sitting 78 (the manual's example row, §四十五), ready to be
    // copied into sitting 79 with 《复制上一考次》.
    await trx
      .insertInto("settlement_account")
      .values({
        sitting_id: past.id,
        org_id: ids.get("990101")!,
        bank: "中国工商银行",
        bank_code: "105617000999",
        account_name: "测试大学",
        account_no: "96758110300000111",
        account_type: "site_fee",
        remark: "测试",
        created_by: null,
      })
      .execute();
    const site1 = ids.get("990101")!;
    await trx
      .updateTable("site_setting")
      .set({
        total_capacity: 800,
        max_entries: 2,
        online_enabled: true,
        online_starts_at: at(-6),
        online_ends_at: at(24),
        class_options: "计科2401；计科2402；会计2401",
      })
      .where("org_id", "=", site1)
      .where("sitting_id", "=", current.id)
      .execute();
    await trx
      .insertInto("site_subject")
      .values(
        ["14", "15", "24", "65", "66"].map((code) => ({
          sitting_id: current.id,
          org_id: site1,
          subject_code: code,
          ...range,
          capacity: 160,
        })),
      )
      .execute();
    // 990201 reviews registrations before payment (CAN-6) and runs a student-record registry (SR-6).
    const site3 = ids.get("990201")!;
    await trx
      .updateTable("site_setting")
      .set({
        total_capacity: 300,
        max_entries: 3,
        review_required: true,
        online_enabled: true,
        online_starts_at: at(-6),
        online_ends_at: at(24),
      })
      .where("org_id", "=", site3)
      .where("sitting_id", "=", current.id)
      .execute();
    await trx
      .insertInto("site_subject")
      .values(
        ["14", "15", "16", "65"].map((code) => ({
          sitting_id: current.id,
          org_id: site3,
          subject_code: code,
          ...range,
          capacity: 100,
        })),
      )
      .execute();
    const site2 = ids.get("990102")!;
    await trx
      .updateTable("site_setting")
      .set({ online_enabled: true })
      .where("org_id", "=", site2)
      .where("sitting_id", "=", current.id)
      .execute();
    await trx
      .insertInto("site_subject")
      .values(
        ["14", "65"].map((code) => ({
          sitting_id: current.id,
          org_id: site2,
          subject_code: code,
          ...range,
          capacity: null,
        })),
      )
      .execute();
    await trx
      .insertInto("audit_log")
      .values({
        account_id: null,
        actor_name: "seed",
        org_id: ids.get("000000")!,
        sitting_id: current.id,
        action: "seed.demo",
        entity_type: "sitting",
        entity_id: String(current.id),
        changes: JSON.stringify({}),
        ip: null,
      })
      .execute();
  });
  return true;
}

/** Empties every table (npm run db:seed -- --reset). */
export async function truncateAll(db: Kysely<DB>) {
  await sql`truncate table outbox_message, verification_code, cancellation, credential_sheet, payment_batch, sim_gateway_txn, payment_notification, entry, payment, registration, photo, student_record, preferred_date_quota, site_fee, seat_shard, site_subject_row, site_setting_row, province_setting, province_subject, sitting_subject, notice, audit_log, job, stored_file, "window", session, login_throttle, membership, account, org_sitting, org, sitting, subject restart identity cascade`.execute(
    db,
  );
}
