import fs from "node:fs";
import { register } from "node:module";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { idCheckCharacter } from "../app/domain/id-number";
import { ROOT } from "./server";
import { memStatus, printResult, runAsScript } from "./child";
import { prng } from "../tests/fixtures/prng";

// One step of the management benchmark (bench/management.ts), in its own process so that its peak
// RSS (VmHWM) is its own and DATABASE_URL names the scratch database before the app's modules load.
// Prints one JSON line on stdout, last; errors go to stderr.
//
//   tsx bench/management-child.ts seed    <databaseUrl> <registrations>
//   tsx bench/management-child.ts measure <databaseUrl> <runs> <warmups> <replays>

export const BIG_SITE = "990101";
export const PROVINCE_LOGIN = "province99@example.com";
export const SITE_LOGIN = "site990101@example.com";
/** The common surname of search case (c). */
export const SURNAME = "王";
const SUBJECTS = ["14", "15", "16", "24", "65", "66"] as const;
const SUBJECT_WEIGHTS = [30, 22, 10, 15, 14, 9];
const PER_PERSON_FEN = 1000;
const EXAM_DATES = ["2027-03-27", "2027-03-28", "2027-03-29"];
const DAY = 86_400_000;

type Rng = ReturnType<typeof prng>;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function weighted<T>(rng: Rng, xs: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng() * total;
  for (let i = 0; i < xs.length; i++) if ((r -= weights[i]) < 0) return xs[i];
  return xs[xs.length - 1];
}

// ---------------------------------------------------------------------------------------------
// The sites: the four demo sites plus 46 new ones under the demo cities (6-digit codes = city + 2),
// uneven: 990101 a fifth of everyone, 990201 a tenth, then a long tail of small sites.

interface SitePlan {
  code: string;
  city: string;
  n: number;
  review: boolean;
  group: boolean;
  registry: boolean;
  preferred: boolean;
}

export function planSites(total: number): SitePlan[] {
  const rng = prng(7);
  const fixed: Array<[string, string, number]> = [
    ["990101", "9901", 0.2],
    ["990201", "9902", 0.1],
    ["990102", "9901", 0.04],
    ["500101", "5001", 0.06],
  ];
  const extra: Array<[string, string]> = [];
  for (let k = 3; k <= 20; k++) extra.push([`9901${String(k).padStart(2, "0")}`, "9901"]);
  for (let k = 2; k <= 17; k++) extra.push([`9902${String(k).padStart(2, "0")}`, "9902"]);
  for (let k = 2; k <= 13; k++) extra.push([`5001${String(k).padStart(2, "0")}`, "5001"]);
  // Sizes 0.93^k of the rest, dealt to the new sites in a shuffled order.
  for (let i = extra.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [extra[i], extra[j]] = [extra[j], extra[i]];
  }
  const weights = extra.map((_, k) => 0.93 ** k);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const sizes = [
    ...fixed.map(([, , share]) => Math.round(total * share)),
    ...weights.map((w) => Math.floor((total * 0.6 * w) / wsum)),
  ];
  sizes[4] += total - sizes.reduce((a, b) => a + b, 0); // the rounding, to the largest new site
  const all = [...fixed.map(([code, city]) => [code, city] as [string, string]), ...extra];
  return all.map(([code, city], i) => ({
    code,
    city,
    n: sizes[i],
    review: code === "990101" || code === "990201" || i % 3 === 1,
    group: code !== "500101" && i % 5 !== 4,
    registry: code === "990201" || i % 7 === 3,
    preferred: city.startsWith("99"),
  }));
}

// ---------------------------------------------------------------------------------------------
// Candidates

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "吴",
  "周",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "高",
  "林",
  "罗",
  "郑",
  "梁",
  "谢",
  "宋",
  "唐",
  "许",
  "韩",
  "冯",
  "邓",
  "曹",
  "彭",
  "曾",
  "肖",
  "田",
  "董",
  "袁",
  "潘",
  "于",
  "蒋",
  "蔡",
  "余",
  "杜",
  "叶",
  "程",
  "苏",
  "魏",
  "吕",
  "丁",
  "任",
  "沈",
  "欧阳",
  "司马",
];
const SURNAME_WEIGHTS = [
  7.1, 7, 6.7, 5.4, 4.6, 3.1, 2.3, 2.2, 2, 1.9, 1.6, 1.5, 1.4, 1.3, 1.3, 1.2, 1.2, 1.1, 1.1, 1.1, 1, 1, 0.9, 0.9, 0.8,
  0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4,
  0.4, 0.4, 0.1, 0.05,
];
const GIVEN =
  "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂子涵浩宇轩欣怡梓睿博文佳琪雨萱晨思嘉俊辰一诺可馨逸泽昊然天宁悦瑶婷鹏飞旭阳帆凯".split(
    "",
  );
const MAJORS: Array<[string, string, string]> = [
  ["计科", "计算机科学与技术", "计算机学院"],
  ["软工", "软件工程", "计算机学院"],
  ["网工", "网络工程", "计算机学院"],
  ["信管", "信息管理与信息系统", "经济管理学院"],
  ["电商", "电子商务", "经济管理学院"],
  ["会计", "会计学", "经济管理学院"],
  ["财管", "财务管理", "经济管理学院"],
  ["金融", "金融学", "经济管理学院"],
  ["英语", "英语", "外国语学院"],
  ["日语", "日语", "外国语学院"],
  ["汉语言", "汉语言文学", "文学院"],
  ["法学", "法学", "法学院"],
  ["机械", "机械设计制造及其自动化", "机电工程学院"],
  ["电气", "电气工程及其自动化", "机电工程学院"],
  ["土木", "土木工程", "建筑工程学院"],
  ["护理", "护理学", "医学院"],
];
const REGIONS = ["110101", "310104", "440106", "500106", "510107", "330106", "420111", "320102", "370102", "610113"];
const BIRTH_DAYS = 4018; // 1998-01-01 … 2008-12-31
const BIRTH_0 = Date.UTC(1998, 0, 1);

/** Unique per i: the birth date walks all 4,018 days (37 is prime to 4018), then the region, then the order. */
function idFor(i: number, female: boolean): { idNumber: string; birth: string } {
  const birth = new Date(BIRTH_0 + ((i * 37) % BIRTH_DAYS) * DAY).toISOString().slice(0, 10);
  const rest = Math.floor(i / BIRTH_DAYS);
  const region = REGIONS[rest % REGIONS.length];
  const order = Math.floor(rest / REGIONS.length) * 2 + (female ? 2 : 1);
  const first17 = `${region}${birth.replace(/-/g, "")}${String(order).padStart(3, "0")}`;
  return { idNumber: first17 + idCheckCharacter(first17), birth };
}

interface Reg {
  id: number;
  i: number;
  site: SitePlan;
  orgId: number;
  created: number;
  channel: "online" | "group";
  female: boolean;
  subjects: string[];
  /** How many of `subjects` (from the first) are paid. */
  paid: number;
}

// ---------------------------------------------------------------------------------------------

type Col = [name: string, type: string, cast?: string];

/** Multi-row insert through unnest of one array per column, in chunks. */
async function bulk(client: pg.Client, table: string, cols: Col[], rows: unknown[][], chunk = 5000) {
  const names = cols.map((c) => c[0]);
  const text =
    `insert into ${table} (${names.map((n) => `"${n}"`).join(", ")}) ` +
    `select ${cols.map(([n, , cast]) => (cast ? `t."${n}"::${cast}` : `t."${n}"`)).join(", ")} ` +
    `from unnest(${cols.map(([, type], k) => `$${k + 1}::${type}[]`).join(", ")}) as t(${names.map((n) => `"${n}"`).join(", ")})`;
  for (let from = 0; from < rows.length; from += chunk) {
    const part = rows.slice(from, from + chunk);
    await client.query(
      text,
      cols.map((_, k) => part.map((r) => r[k])),
    );
  }
}
const pgArray = (xs: ReadonlyArray<string | number>) => `{${xs.join(",")}}`;

async function seed(databaseUrl: string, total: number) {
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let mark = t0;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = now - mark;
    mark = now;
  };
  const { createDb, migrateToLatest } = await import("../db/client");
  const { seedDemo } = await import("../db/seed");
  const handle = await createDb({ databaseUrl, poolMax: 2 });
  try {
    await migrateToLatest(handle.db);
    await seedDemo(handle.db);
  } finally {
    await handle.db.destroy();
  }
  phase("migrate + demo seed");

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
      (await client.query<R>(text, values)).rows;
    const [{ current, past }] = await q<{ current: number; past: number }>(
      `select (select id from sitting where is_current) as current, (select id from sitting where not is_current) as past`,
    );
    const orgIds = new Map(
      (await q<{ code: string; id: number }>(`select code, id from org`)).map((r) => [r.code, r.id]),
    );
    const plans = planSites(total);

    // New sites: org, org_sitting (both sittings), the windows of 990101, settings, fees.
    const fresh = plans.filter((p) => !orgIds.has(p.code));
    for (const p of fresh) {
      const [row] = await q<{ id: number }>(
        `insert into org (code, name, level, parent_id) values ($1, $2, 'site', $3) returning id`,
        [p.code, `压测考点${p.code}`, orgIds.get(p.city)],
      );
      orgIds.set(p.code, row.id);
    }
    const freshIds = fresh.map((p) => orgIds.get(p.code)!);
    const big = orgIds.get(BIG_SITE)!;
    await q(
      `insert into org_sitting (org_id, sitting_id, address, postcode, contact_name, review_state)
       select o, s, '压测路' || o || '号', '999000', '压测老师', 'reviewed' from unnest($1::int[]) o, unnest($2::int[]) s`,
      [freshIds, [current, past]],
    );
    await q(
      `insert into "window" (sitting_id, org_id, kind, starts_at, ends_at)
       select w.sitting_id, o, w.kind, w.starts_at, w.ends_at from "window" w, unnest($1::int[]) o where w.org_id = $2`,
      [freshIds, big],
    );
    await q(
      `insert into site_setting (sitting_id, org_id, per_person_fee_fen, total_capacity) select $1, o, $2, null from unnest($3::int[]) o`,
      [current, PER_PERSON_FEN, freshIds],
    );
    await q(
      `insert into site_fee (sitting_id, org_id, subject_code, fee_fen)
       select $1, o, s.code, case when s.level <= 2 then 11000 else 12000 end from unnest($2::int[]) o, subject s where s.code = any($3::text[])`,
      [current, freshIds, [...SUBJECTS]],
    );
    for (const p of plans) {
      await q(
        `update site_setting set max_entries = 3, online_enabled = true, online_starts_at = coalesce(online_starts_at, now() - interval '20 days'),
           online_ends_at = coalesce(online_ends_at, now() + interval '20 days'), review_required = $3, group_registration = $4, group_payment = $4,
           registry_enabled = $5, class_options = '计科2401；计科2402；会计2401'
         where sitting_id = $1 and org_id = $2`,
        [current, orgIds.get(p.code), p.review, p.group, p.registry],
      );
    }
    // Every site offers the six subjects (capacities once the entries are in).
    await q(
      `insert into site_subject (sitting_id, org_id, subject_code, exam_start, exam_end, capacity)
       select $1, o, s, '2027-03-27', '2027-03-29', null from unnest($2::int[]) o, unnest($3::text[]) s
       on conflict do nothing`,
      [current, plans.map((p) => orgIds.get(p.code)), [...SUBJECTS]],
    );
    await q(
      `insert into province_setting (sitting_id, org_id, preferred_dates_enabled) values ($1, $2, true) on conflict do nothing`,
      [current, orgIds.get("99")],
    );
    const fees = new Map(
      (
        await q<{ org_id: number; subject_code: string; fee_fen: number }>(
          `select org_id, subject_code, fee_fen from site_fee where sitting_id = $1`,
          [current],
        )
      ).map((r) => [`${r.org_id}:${r.subject_code}`, r.fee_fen]),
    );
    const feeOf = (orgId: number, code: string) => fees.get(`${orgId}:${code}`) ?? 11000;
    phase("sites");

    // The registrations, ids in order of creation (as a live system hands them out).
    const rng = prng(42);
    const now = Date.now();
    const regs: Reg[] = [];
    let i = 0;
    for (const site of plans) {
      const orgId = orgIds.get(site.code)!;
      for (let k = 0; k < site.n; k++, i++) {
        const channel = site.group && rng() < (site.code === BIG_SITE ? 0.5 : 0.45) ? "group" : "online";
        const count = weighted(rng, [1, 2, 3], [50, 35, 15]);
        const subjects: string[] = [];
        while (subjects.length < count) {
          const s = weighted(rng, SUBJECTS, SUBJECT_WEIGHTS);
          if (!subjects.includes(s)) subjects.push(s);
        }
        const u = rng();
        let paid: number;
        if (channel === "online") paid = u < 0.62 ? count : u < 0.7 ? Math.max(1, count - 1) : 0;
        else paid = u < 0.72 ? count : u < 0.78 ? Math.max(1, count - 1) : 0;
        regs.push({
          id: 0,
          i,
          site,
          orgId,
          created: now - 20 * DAY + rng() * (20 * DAY - 3_600_000),
          channel,
          female: rng() < 0.52,
          subjects,
          paid,
        });
      }
    }
    regs.sort((a, b) => a.created - b.created);
    // After the demo's own (its past sittings have registrations and photos too).
    const after = async (table: string) =>
      Number((await client.query<{ n: number }>(`select coalesce(max(id), 0)::int as n from ${table}`)).rows[0].n);
    const regBase = await after("registration");
    regs.forEach((r, k) => (r.id = regBase + k + 1));

    const accounts: unknown[][] = [];
    const files: unknown[][] = [];
    const photos: unknown[][] = [];
    const registrations: unknown[][] = [];
    const entries: unknown[][] = [];
    const payments: unknown[][] = [];
    let entryId = await after("entry");
    let photoId = await after("photo");
    const iso = (ms: number) => new Date(ms).toISOString();
    const groupPaid = new Map<number, Array<{ reg: Reg; entryIds: number[]; codes: string[] }>>(); // site → paid group candidates
    const openBatchEntries: number[] = [];
    const entryRows = new Map<number, unknown[]>();
    const ENTRY_PAYMENT = 6; // indexes into an entry row, for the batches filled in later
    const ENTRY_BATCH = 9;
    for (const r of regs) {
      const { idNumber, birth } = idFor(r.i, r.female);
      const surname = weighted(rng, SURNAMES, SURNAME_WEIGHTS);
      const name = surname + pick(rng, GIVEN) + (rng() < 0.7 ? pick(rng, GIVEN) : "");
      const accountId = randomUUID();
      const online = r.channel === "online";
      const email = online ? `mgt${r.i}@bench.example.com` : "";
      accounts.push([
        accountId,
        online ? email : `g${r.i}@bench.example.com`,
        online ? `139${String(r.i).padStart(8, "0")}` : null,
        name,
        !online,
        iso(r.created),
      ]);
      // Class: every group candidate, half of the online ones.
      const [abbr, major, department] = pick(rng, MAJORS);
      const hasClass = !online || rng() < 0.5;
      const className = hasClass
        ? `${abbr}${22 + Math.floor(rng() * 4)}${String(1 + Math.floor(rng() * 4)).padStart(2, "0")}`
        : "";
      let photo: number | null = null;
      if (rng() < 0.9) {
        photo = ++photoId;
        const fileId = randomUUID();
        const at = iso(r.created + 60_000);
        files.push([
          fileId,
          `${idNumber}.jpg`,
          `photos/${fileId.slice(0, 2)}/${fileId}.jpg`,
          40_000 + Math.floor(rng() * 30_000),
          r.orgId,
          current,
          at,
        ]);
        photos.push([photo, current, r.orgId, idNumber, fileId, 600, 800, 40_000 + Math.floor(rng() * 30_000), at]);
      }
      let review = "none";
      let failureType: string | null = null;
      let reviewedAt: string | null = null;
      if (r.site.review) {
        const v = rng();
        review = online
          ? v < 0.25
            ? "pending"
            : v < 0.87
              ? "passed"
              : v < 0.95
                ? "failed"
                : "none"
          : v < 0.15
            ? "pending"
            : v < 0.95
              ? "passed"
              : "failed";
        if (review === "failed") failureType = pick(rng, ["photo", "personal", "other"]);
        if (review === "passed" || review === "failed") reviewedAt = iso(r.created + 86_400_000 * rng());
      }
      const preferred = r.site.preferred && rng() < 0.35 ? pick(rng, EXAM_DATES) : null;
      const registry = r.site.registry && rng() < 0.4;
      const paidAt = r.created + 600_000 + rng() * 3 * DAY;
      const locked = (online && r.paid > 0) || rng() < (online ? 0.04 : 0.02);

      // Entries; an online candidate's paid ones go in one payment.
      const ids: number[] = [];
      const paymentId =
        online && r.paid > 0 ? `P${iso(paidAt).replace(/\D/g, "").slice(0, 14)}${String(r.id).padStart(8, "0")}` : null;
      r.subjects.forEach((code, k) => {
        const id = ++entryId;
        ids.push(id);
        const isPaid = online && k < r.paid;
        const row = [
          id,
          r.id,
          current,
          r.orgId,
          code,
          isPaid,
          isPaid ? paymentId : null,
          isPaid ? feeOf(r.orgId, code) : null,
          isPaid ? iso(paidAt) : null,
          null,
          iso(r.created + k * 3_600_000),
        ];
        entries.push(row);
        entryRows.set(id, row);
      });
      if (paymentId) {
        const paidIds = ids.slice(0, r.paid);
        const codes = r.subjects.slice(0, r.paid);
        const amount = PER_PERSON_FEN + codes.reduce((a, c) => a + feeOf(r.orgId, c), 0);
        payments.push([
          paymentId,
          current,
          r.orgId,
          r.id,
          accountId,
          "simulated",
          amount,
          PER_PERSON_FEN,
          pgArray(paidIds),
          pgArray(codes),
          "paid",
          `SIM${paymentId}`,
          null,
          iso(paidAt - 120_000),
          iso(paidAt + 780_000),
          iso(paidAt),
        ]);
      } else if (online && rng() < 0.15) {
        // An abandoned payment: expired at the gateway.
        const at = r.created + 1_800_000;
        const pid = `P${iso(at).replace(/\D/g, "").slice(0, 14)}X${String(r.id).padStart(7, "0")}`;
        payments.push([
          pid,
          current,
          r.orgId,
          r.id,
          accountId,
          "simulated",
          PER_PERSON_FEN + r.subjects.reduce((a, c) => a + feeOf(r.orgId, c), 0),
          PER_PERSON_FEN,
          pgArray(ids),
          pgArray(r.subjects),
          "expired",
          null,
          null,
          iso(at),
          iso(at + 900_000),
          iso(at + 900_000),
        ]);
      }
      if (!online && r.paid > 0) {
        const list = groupPaid.get(r.orgId) ?? [];
        list.push({ reg: r, entryIds: ids.slice(0, r.paid), codes: r.subjects.slice(0, r.paid) });
        groupPaid.set(r.orgId, list);
      } else if (!online && r.site.code === BIG_SITE && rng() < 0.1) openBatchEntries.push(...ids);
      registrations.push([
        r.id,
        current,
        r.orgId,
        accountId,
        r.channel,
        "1",
        idNumber,
        name,
        r.female ? "2" : "1",
        birth,
        rng() < 0.92 ? "01" : pick(rng, ["02", "03", "05", "08"]),
        hasClass ? pick(rng, ["20", "20", "20", "30"]) : pick(rng, ["20", "30", "40", "60"]),
        hasClass ? "S" : pick(rng, ["2", "3", "4", "Y"]),
        hasClass ? department : "",
        hasClass ? major : "",
        className,
        hasClass ? `20${className.slice(-4)}${String(r.i % 1000).padStart(4, "0")}` : "",
        `13${String(700_000_000 + r.i).padStart(9, "0")}`,
        email,
        registry,
        preferred,
        photo,
        locked,
        review,
        failureType,
        failureType ? "请按要求修改后重新提交" : "",
        reviewedAt,
        r.paid > 0,
        iso(r.created),
        iso(r.created),
      ]);
    }

    // Group payment batches: the paid group candidates of each site in 1–3 paid batches; an open one at the big site.
    const batches: unknown[][] = [];
    let batchId = await after("payment_batch");
    for (const [orgId, list] of groupPaid) {
      const nBatches = Math.min(list.length, 1 + (orgId % 3));
      for (let b = 0; b < nBatches; b++) {
        const part = list.filter((_, k) => k % nBatches === b);
        const id = ++batchId;
        const entryIds = part.flatMap((p) => p.entryIds);
        const codes = part.flatMap((p) => p.codes);
        const subjectFen = codes.reduce((a, c) => a + feeOf(orgId, c), 0);
        const finished = Math.max(...part.map((p) => p.reg.created)) + 2 * DAY;
        const amount = part.length * PER_PERSON_FEN + subjectFen;
        batches.push([
          id,
          current,
          orgId,
          "paid",
          part.length,
          entryIds.length,
          part.length,
          PER_PERSON_FEN,
          subjectFen,
          amount,
          pgArray([...new Set(codes)].sort()),
          iso(finished - DAY),
          iso(finished),
        ]);
        const pid = `PB${iso(finished).replace(/\D/g, "").slice(0, 14)}${String(id).padStart(6, "0")}`;
        payments.push([
          pid,
          current,
          orgId,
          null,
          null,
          "simulated",
          amount,
          PER_PERSON_FEN,
          pgArray(entryIds),
          pgArray(codes),
          "paid",
          `SIM${pid}`,
          id,
          iso(finished - 600_000),
          iso(finished + 300_000),
          iso(finished),
        ]);
        for (const p of part) {
          p.entryIds.forEach((eid, k) => {
            const row = entryRows.get(eid)!;
            row[5] = true;
            row[ENTRY_PAYMENT] = pid;
            row[7] = feeOf(orgId, p.codes[k]);
            row[8] = iso(finished);
            row[ENTRY_BATCH] = id;
          });
        }
      }
    }
    if (openBatchEntries.length) {
      const id = ++batchId;
      const codes = openBatchEntries.map((eid) => entryRows.get(eid)![4] as string);
      const subjectFen = codes.reduce((a, c) => a + feeOf(big, c), 0);
      const people = new Set(openBatchEntries.map((eid) => entryRows.get(eid)![1])).size;
      batches.push([
        id,
        current,
        big,
        "open",
        people,
        codes.length,
        people,
        PER_PERSON_FEN,
        subjectFen,
        people * PER_PERSON_FEN + subjectFen,
        pgArray([...new Set(codes)].sort()),
        iso(now - DAY),
        null,
      ]);
      for (const eid of openBatchEntries) entryRows.get(eid)![ENTRY_BATCH] = id;
    }
    phase("generate");
    // Bulk load: the rows are consistent by construction, so the foreign-key triggers are skipped when
    // the role may (superuser); the checks below the load confirm the references instead.
    const replica =
      (await q<{ ok: boolean }>(`select rolsuper as ok from pg_roles where rolname = current_user`))[0]?.ok === true;
    if (replica) await q(`set session_replication_role = replica`);

    await bulk(
      client,
      "account",
      [
        ["id", "text"],
        ["email", "text"],
        ["mobile", "text"],
        ["name", "text"],
        ["must_change_password", "bool"],
        ["created_at", "timestamptz"],
        ["password_hash", "text"],
        ["role", "text"],
      ],
      accounts.map((a) => [...a, "x", "candidate"]),
    );
    await bulk(
      client,
      "stored_file",
      [
        ["id", "text"],
        ["name", "text"],
        ["path", "text"],
        ["size", "int8"],
        ["org_id", "int4"],
        ["sitting_id", "int4"],
        ["created_at", "timestamptz"],
        ["kind", "text"],
        ["content_type", "text"],
      ],
      files.map((f) => [...f, "photo", "image/jpeg"]),
    );
    await bulk(
      client,
      "photo",
      [
        ["id", "int4"],
        ["sitting_id", "int4"],
        ["org_id", "int4"],
        ["id_number", "text"],
        ["file_id", "text"],
        ["width", "int4"],
        ["height", "int4"],
        ["bytes", "int4"],
        ["created_at", "timestamptz"],
      ],
      photos,
    );
    await bulk(
      client,
      "registration",
      [
        ["id", "int4"],
        ["sitting_id", "int4"],
        ["org_id", "int4"],
        ["account_id", "text"],
        ["channel", "text"],
        ["id_type", "text"],
        ["id_number", "text"],
        ["name", "text"],
        ["gender", "text"],
        ["birth_date", "date"],
        ["ethnicity", "text"],
        ["education", "text"],
        ["occupation", "text"],
        ["department", "text"],
        ["major", "text"],
        ["class_name", "text"],
        ["student_no", "text"],
        ["phone", "text"],
        ["email", "text"],
        ["registry_candidate", "bool"],
        ["preferred_date", "date"],
        ["photo_id", "int4"],
        ["locked", "bool"],
        ["review_status", "text"],
        ["review_failure_type", "text"],
        ["review_reason", "text"],
        ["reviewed_at", "timestamptz"],
        ["person_fee_paid", "bool"],
        ["created_at", "timestamptz"],
        ["updated_at", "timestamptz"],
      ],
      registrations,
    );
    await bulk(
      client,
      "payment_batch",
      [
        ["id", "int4"],
        ["sitting_id", "int4"],
        ["org_id", "int4"],
        ["status", "text"],
        ["candidate_count", "int4"],
        ["entry_count", "int4"],
        ["per_person_count", "int4"],
        ["per_person_fen", "int4"],
        ["subject_fen", "int4"],
        ["amount_fen", "int4"],
        ["subject_codes", "text", "text[]"],
        ["created_at", "timestamptz"],
        ["finished_at", "timestamptz"],
      ],
      batches,
    );
    await bulk(
      client,
      "payment",
      [
        ["id", "text"],
        ["sitting_id", "int4"],
        ["org_id", "int4"],
        ["registration_id", "int4"],
        ["account_id", "text"],
        ["provider", "text"],
        ["amount_fen", "int4"],
        ["per_person_fen", "int4"],
        ["entry_ids", "text", "int[]"],
        ["subject_codes", "text", "text[]"],
        ["status", "text"],
        ["provider_txn_id", "text"],
        ["payment_batch_id", "int4"],
        ["created_at", "timestamptz"],
        ["expires_at", "timestamptz"],
        ["finished_at", "timestamptz"],
      ],
      payments,
      2000,
    );
    await bulk(
      client,
      "entry",
      [
        ["id", "int4"],
        ["registration_id", "int4"],
        ["sitting_id", "int4"],
        ["org_id", "int4"],
        ["subject_code", "text"],
        ["paid", "bool"],
        ["payment_id", "text"],
        ["fee_fen", "int4"],
        ["paid_at", "timestamptz"],
        ["payment_batch_id", "int4"],
        ["created_at", "timestamptz"],
      ],
      entries,
      10_000,
    );
    phase("insert");
    if (replica) {
      await q(`set session_replication_role = origin`);
      const [bad] = await q<{ n: number }>(
        `select ((select count(*) from entry e left join registration r on r.id = e.registration_id left join payment p on p.id = e.payment_id
                   left join payment_batch b on b.id = e.payment_batch_id
                  where r.id is null or (e.payment_id is not null and p.id is null) or (e.payment_batch_id is not null and b.id is null))
              + (select count(*) from registration r left join account a on a.id = r.account_id left join photo p on p.id = r.photo_id
                  where (r.account_id is not null and a.id is null) or (r.photo_id is not null and p.id is null))
              + (select count(*) from photo p left join stored_file f on f.id = p.file_id where f.id is null))::int as n`,
      );
      if (bad.n !== 0) throw new Error(`bulk load: ${bad.n} rows refer to rows that do not exist`);
      phase("reference check");
      // Replica mode skipped the entry trigger too: set each registration's entry counters as it would have.
      await q(`update registration r set entry_count = x.n, paid_count = x.p, paid_fen = x.f
        from (select registration_id, count(*)::int as n, (count(*) filter (where paid))::int as p, coalesce(sum(fee_fen) filter (where paid), 0)::int as f
              from entry group by registration_id) x
        where x.registration_id = r.id`);
      phase("entry counters");
    }

    for (const t of ["registration", "entry", "photo", "payment_batch"]) {
      await q(`select setval(pg_get_serial_sequence('${t}', 'id'), (select coalesce(max(id), 1) from ${t}))`);
    }
    // Seats taken = the entries, as the guarded updates would have left them (decision 0051: in the
    // counters' shards, spread as migration 0033 spreads them); capacities around them, every colour.
    const entriesOf = (counter: string) =>
      `(select count(*)::int from entry e where e.sitting_id = c.sitting_id and e.org_id = c.org_id${counter === "*" ? "" : ` and e.subject_code = ${counter}`})`;
    await q(
      `update site_subject ss set capacity = case abs(hashtext(ss.org_id || ss.subject_code)) % 10
         when 0 then 99999 when 1 then x.n when 2 then x.n when 3 then x.n + 5 when 4 then x.n + greatest(5, x.n / 20)
         when 5 then x.n + x.n / 5 when 6 then x.n + x.n / 5 else x.n * 2 + 50 end
       from (select s.org_id, s.subject_code, (select count(*)::int from entry e where e.sitting_id = s.sitting_id and e.org_id = s.org_id and e.subject_code = s.subject_code) as n
             from site_subject s where s.sitting_id = $1) x
       where ss.sitting_id = $1 and ss.org_id = x.org_id and ss.subject_code = x.subject_code`,
      [current],
    );
    await q(`delete from seat_shard where sitting_id = $1 and counter <> '*'`, [current]);
    await q(
      `insert into seat_shard (sitting_id, org_id, counter, shard, capacity, taken)
       select c.sitting_id, c.org_id, c.subject_code, l.shard, l.capacity, l.taken
       from site_subject_row c, seat_layout(coalesce(c.capacity, 0), ${entriesOf("c.subject_code")}) l where c.sitting_id = $1`,
      [current],
    );
    await q(
      `update site_setting ss set total_capacity = case when ss.org_id % 11 = 0 then null else (select least(99999, greatest(100, coalesce(sum(least(capacity, taken * 3 + 100)), 0))) from site_subject s where s.sitting_id = ss.sitting_id and s.org_id = ss.org_id) end
       where ss.sitting_id = $1`,
      [current],
    );
    // A site without a total (null) holds no seats of it; the others hold one for each entry.
    await q(`delete from seat_shard where sitting_id = $1 and counter = '*'`, [current]);
    await q(
      `insert into seat_shard (sitting_id, org_id, counter, shard, capacity, taken)
       select c.sitting_id, c.org_id, '*', l.shard, l.capacity, l.taken
       from site_setting_row c, seat_layout(coalesce(c.total_capacity, 0), case when c.total_capacity is null then 0 else ${entriesOf("*")} end) l
       where c.sitting_id = $1`,
      [current],
    );
    await q(
      `insert into preferred_date_quota (sitting_id, org_id, exam_date, quota, taken)
       select sitting_id, org_id, preferred_date, count(*) + 20 + count(*) / 4, count(*) from registration
       where sitting_id = $1 and preferred_date is not null group by sitting_id, org_id, preferred_date`,
      [current],
    );
    phase("seats");
    await q(`vacuum analyze`);
    phase("vacuum analyze");

    const [counts] = await q<{
      regs: number;
      entries: number;
      paid: number;
      payments: number;
      batches: number;
      photos: number;
      sites: number;
    }>(
      `select (select count(*) from registration)::int as regs, (select count(*) from entry)::int as entries, (select count(*) from entry where paid)::int as paid,
              (select count(*) from payment)::int as payments, (select count(*) from payment_batch)::int as batches, (select count(*) from photo)::int as photos,
              (select count(*) from site_setting where sitting_id = $1)::int as sites`,
      [current],
    );
    const bigN = plans.find((p) => p.code === BIG_SITE)!.n;
    const provinceN = plans.filter((p) => p.city.startsWith("99")).reduce((a, p) => a + p.n, 0);
    printResult({
      ...counts,
      bigN,
      provinceN,
      bigSiteId: big,
      seedMs: performance.now() - t0,
      phases,
      sizes: plans.map((p) => p.n),
    });
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring: the route loaders in-process, as Remix calls them, with a real session cookie. Every
// query the pg client runs is noted (text, values, time) through a wrapper around Client#query.

interface Noted {
  text: string;
  values: unknown[];
  ms: number;
}
let noting: Noted[] | null = null;
function noteQueries() {
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const out = original.apply(this, args);
    const list = noting;
    // A text and values, or (a statement prepared on its connection, decision 0053) a config with a name.
    const config =
      typeof args[0] === "object" && args[0] !== null ? (args[0] as { text?: unknown; values?: unknown }) : null;
    const text = typeof args[0] === "string" ? args[0] : typeof config?.text === "string" ? config.text : null;
    if (list && text !== null && out && typeof (out as Promise<unknown>).then === "function") {
      const t = performance.now();
      const values = (config ? config.values : args[1]) as unknown[] | undefined;
      const n: Noted = { text, values: values ?? [], ms: NaN };
      list.push(n);
      (out as Promise<unknown>).then(
        () => (n.ms = performance.now() - t),
        () => (n.ms = performance.now() - t),
      );
    }
    return out;
  };
}

export interface CaseResult {
  label: string;
  path: string;
  via: "loader" | "query functions";
  times: number[];
  queries: number;
  /** Per request: the summed time of its queries as the pg client saw them. */
  sqlSums: number[];
  /** The case's queries replayed one after another on a plain pg client. */
  replay: number[];
  slowest?: { text: string; ms: number; explainMs: number | null; plan: string };
  /** The case's read statements, slowest first, each alone (best of 5). */
  statements?: Array<{ text: string; ms: number }>;
  total?: number;
  rows?: number;
  error?: string;
}

type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, never>;
}) => Promise<unknown>;

/** Route modules import their style sheets as `~/styles/x.css?url` (a Vite feature): a stand-in URL here. */
function stubStyleSheets() {
  const hooks = `export async function resolve(specifier, context, next) {
    if (/\\.css(\\?.*)?$/.test(specifier)) return { url: "data:text/javascript,export default '/bench-stub.css'", shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

async function measure(databaseUrl: string, runs: number, warmups: number, replays: number) {
  stubStyleSheets();
  noteQueries();
  const { createDb, setDbHandle } = await import("../db/client");
  const { sessionCookie, makeRequest, run } = await import("../tests/factories/index");
  const handle = await createDb({ databaseUrl });
  setDbHandle(handle);
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  try {
    const db = handle.db;
    const big = await db.selectFrom("org").select("id").where("code", "=", BIG_SITE).executeTakeFirstOrThrow();
    const siteCookie = await sessionCookie(SITE_LOGIN);
    const provinceCookie = await sessionCookie(PROVINCE_LOGIN);
    const opened = memStatus();

    // The search page, or (until its route exists) the query function it calls, behind the same guard.
    const searchRoute = path.join(ROOT, "app/routes/admin.candidates._index.tsx");
    let search: { via: CaseResult["via"]; call: (request: Request) => Promise<unknown> };
    if (fs.existsSync(searchRoute)) {
      const mod = (await import(pathToFileURL(searchRoute).href)) as { loader: Loader };
      search = { via: "loader", call: (request) => mod.loader({ request, params: {}, context: {} }) };
    } else {
      const { requireAdmin } = await import("../app/utils/auth.server");
      const { listSubtreeIds } = await import("../db/queries/orgs");
      const { searchRegistrations } = await import("../db/queries/candidate-search");
      const { parseCandidateFilter, parseSort } = await import("../app/schemas/candidate-filter");
      search = {
        via: "query functions",
        call: async (request) => {
          const ctx = await requireAdmin(request);
          const params = new URL(request.url).searchParams;
          const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
          const siteIds = await listSubtreeIds(db, ctx.org.id);
          return searchRegistrations(
            db,
            { ...parseCandidateFilter(params), sittingId: ctx.sitting.id, siteIds },
            parseSort(params),
            { limit: 50, offset: (page - 1) * 50 },
          );
        },
      };
    }
    const statsRoute = path.join(ROOT, "app/routes/admin.stats.tsx");
    const stats = fs.existsSync(statsRoute)
      ? ((await import(pathToFileURL(statsRoute).href)) as { loader: Loader })
      : null;

    const cases: Array<{
      label: string;
      path: string;
      cookie: string;
      via: CaseResult["via"];
      call: (r: Request) => Promise<unknown>;
    }> = [
      { label: `search, site: page 1`, path: "/admin/candidates", cookie: siteCookie, ...search },
      {
        label: `search, site: any_unpaid by name`,
        path: "/admin/candidates?payment=any_unpaid&sort=name",
        cookie: siteCookie,
        ...search,
      },
      {
        label: `search, site: ${SURNAME} + 15 by class p5`,
        path: `/admin/candidates?name=${encodeURIComponent(SURNAME)}&subject=15&sort=class&page=5`,
        cookie: siteCookie,
        ...search,
      },
      {
        label: `search, site: review pending`,
        path: "/admin/candidates?review=pending",
        cookie: siteCookie,
        ...search,
      },
      {
        label: `search, province: by name p3`,
        path: "/admin/candidates?sort=name&page=3",
        cookie: provinceCookie,
        ...search,
      },
    ];
    const skipped: string[] = [];
    if (stats) {
      for (const view of ["entries", "payments", "candidates", "capacity"]) {
        const call = (request: Request) => stats.loader({ request, params: {}, context: {} });
        cases.push({
          label: `stats ${view}, site`,
          path: `/admin/stats?view=${view}`,
          cookie: siteCookie,
          via: "loader",
          call,
        });
        cases.push({
          label: `stats ${view}, province`,
          path: `/admin/stats?view=${view}`,
          cookie: provinceCookie,
          via: "loader",
          call,
        });
        cases.push({
          label: `stats ${view}, province → site`,
          path: `/admin/stats?view=${view}&site=${big.id}`,
          cookie: provinceCookie,
          via: "loader",
          call,
        });
      }
    } else skipped.push("statistics: app/routes/admin.stats.tsx does not exist yet (not measured)");

    const results: CaseResult[] = [];
    for (const c of cases) {
      const once = async () => {
        const list: Noted[] = [];
        noting = list;
        const t = performance.now();
        const out = await run(() => c.call(makeRequest(c.path, { cookie: c.cookie })));
        const ms = performance.now() - t;
        noting = null;
        return { out, ms, list };
      };
      const res: CaseResult = {
        label: c.label,
        path: c.path,
        via: c.via,
        times: [],
        queries: 0,
        sqlSums: [],
        replay: [],
      };
      results.push(res);
      try {
        const first = await once();
        if (first.out.status !== 200)
          throw new Error(
            `status ${first.out.status}${first.out.location ? ` → ${first.out.location}` : ""}: ${JSON.stringify(first.out.data ?? null).slice(0, 300)}`,
          );
        const data = first.out.data as { total?: unknown; rows?: unknown } | undefined;
        if (typeof data?.total === "number") res.total = data.total;
        if (Array.isArray(data?.rows)) res.rows = data.rows.length;
        for (let k = 1; k < warmups; k++) await once();
        let last: Noted[] = [];
        for (let k = 0; k < runs; k++) {
          const r = await once();
          res.times.push(r.ms);
          res.sqlSums.push(r.list.reduce((a, n) => a + n.ms, 0));
          last = r.list;
        }
        res.queries = last.length;
        // The yardstick: the same statements one after another on a plain client; the slowest one explained.
        const reads = last.filter((n) => /^\s*(select|with)\b/i.test(n.text));
        for (let k = 0; k < replays + 3; k++) {
          const t = performance.now();
          for (const n of reads) await raw.query(n.text, n.values);
          if (k >= 3) res.replay.push(performance.now() - t);
        }
        const per = reads.map((n) => ({ n, ms: Infinity }));
        for (const p of per) {
          for (let k = 0; k < 5; k++) {
            const t = performance.now();
            await raw.query(p.n.text, p.n.values);
            p.ms = Math.min(p.ms, performance.now() - t);
          }
        }
        per.sort((a, b) => b.ms - a.ms);
        res.statements = per.map((p) => ({ text: p.n.text.replace(/\s+/g, " ").trim().slice(0, 160), ms: p.ms }));
        const slow = per[0];
        if (slow) {
          const plan = (await raw.query(`explain (analyze, buffers) ${slow.n.text}`, slow.n.values)).rows.map(
            (r: Record<string, string>) => r["QUERY PLAN"],
          );
          const m = /Execution Time: ([\d.]+) ms/.exec(plan.join("\n"));
          res.slowest = { text: slow.n.text, ms: slow.ms, explainMs: m ? Number(m[1]) : null, plan: plan.join("\n") };
        }
      } catch (e) {
        res.error = e instanceof Error ? e.message : String(e);
      }
    }
    printResult({ results, skipped, rssAfterOpenKb: opened.rssKb });
  } finally {
    await raw.end();
    setDbHandle(undefined);
    await handle.db.destroy();
  }
}

async function main([mode, ...args]: string[]) {
  if (mode === "seed") await seed(args[0], Number(args[1]));
  else if (mode === "measure") await measure(args[0], Number(args[1]), Number(args[2]), Number(args[3]));
  else throw new Error(`usage: management-child.ts seed|measure … (got ${mode ?? "nothing"})`);
}

await runAsScript(import.meta.url, "management-child", main);
