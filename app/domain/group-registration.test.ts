import { describe, expect, it } from "vitest";
import type { SiteEligibility } from "./eligibility";
import {
  GROUP_COLUMNS,
  GROUP_REQUIRED,
  parseGroupRow,
  planGroupImport,
  reviewStatusAfterImport,
  seatChanges,
  seatShortages,
  splitSubjectCodes,
  type ExistingAccount,
  type ExistingRegistration,
  type GroupRowValue,
  type GroupSiteRules,
} from "./group-registration";
import { idCheckCharacter } from "./id-number";

const id = (first17: string) => first17 + idCheckCharacter(first17);
const SITE: GroupSiteRules = {
  offered: new Map([
    ["14", "计算机基础"],
    ["15", "Photoshop"],
    ["65", "C语言"],
  ]),
  maxEntries: 2,
  classOptions: [],
  classRequired: false,
};

function cells(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    姓名: "王芳",
    性别: "女",
    出生日期: "2004-09-15",
    证件类型: "居民身份证",
    证件号码: id("11010820040915002"),
    民族: "汉族",
    文化程度: "本科",
    电子邮箱: "WangFang@Example.com",
    报考科目: "14；15",
    ...over,
  };
}

describe("GRP-1: the group template's columns", () => {
  it("GRP-1: the student record's personal columns plus a required e-mail and the subjects", () => {
    expect(GROUP_COLUMNS).toContain("报考科目");
    expect(GROUP_COLUMNS).toContain("证件号码");
    expect(GROUP_COLUMNS).not.toContain("培训类型");
    expect(GROUP_REQUIRED).toContain("电子邮箱");
  });

  it.each([
    ["14；15", ["14", "15"]],
    ["14;15", ["14", "15"]],
    ["14,15", ["14", "15"]],
    ["14，15", ["14", "15"]],
    ["14、15", ["14", "15"]],
    ["14 15", ["14", "15"]],
    ["１４　１５", ["14", "15"]],
    [" 14 ; ", ["14"]],
    ["", []],
    [65, ["65"]],
  ])("GRP-1: subjects %j are read as %j", (text, codes) => {
    expect(splitSubjectCodes(text)).toEqual(codes);
  });
});

describe("GRP-1/CAN-3: one row", () => {
  it("GRP-1: a good row becomes a value, the e-mail in lower case", () => {
    const r = parseGroupRow(cells(), SITE);
    expect(r.errors).toBeUndefined();
    expect(r.value).toMatchObject({
      name: "王芳",
      gender: "2",
      id_type: "1",
      email: "wangfang@example.com",
      subjects: ["14", "15"],
    });
  });

  it("CAN-3: a full-width ID is normalised; a wrong check digit and a birth date that disagrees are refused", () => {
    const good = id("11010820040915002");
    const full = good.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect(parseGroupRow(cells({ 证件号码: full }), SITE).value?.id_number).toBe(good);
    const bad = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    expect(parseGroupRow(cells({ 证件号码: bad }), SITE).errors?.map((e) => e.key)).toContain("id.check_digit");
    expect(parseGroupRow(cells({ 出生日期: "2004-09-16" }), SITE).errors?.map((e) => e.key)).toContain(
      "id.birth_mismatch",
    );
    expect(parseGroupRow(cells({ 性别: "男" }), SITE).errors?.map((e) => e.key)).toContain("id.gender_mismatch");
  });

  it("GRP-4: the e-mail is required and must be valid", () => {
    expect(parseGroupRow(cells({ 电子邮箱: "" }), SITE).errors).toEqual([
      { column: "电子邮箱", value: "", key: "import.required" },
    ]);
    expect(parseGroupRow(cells({ 电子邮箱: "not-an-email" }), SITE).errors?.map((e) => [e.column, e.key])).toEqual([
      ["电子邮箱", "import.bad_email"],
    ]);
    expect(parseGroupRow(cells({ 电子邮箱: "ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ" }), SITE).value?.email).toBe(
      "wang@example.com",
    );
  });

  it("GRP-1: subjects must be offered by the site, each once, at most the site's maximum; none is allowed", () => {
    const keys = (over: Record<string, unknown>) =>
      parseGroupRow(cells(over), SITE).errors?.map((e) => [e.column, e.key, e.params]);
    expect(keys({ 报考科目: "14 16" })).toEqual([["报考科目", "group.subject_not_offered", { code: "16" }]]);
    expect(keys({ 报考科目: "14、14" })).toEqual([["报考科目", "group.subject_twice", { code: "14" }]]);
    expect(keys({ 报考科目: "14,15,65" })).toEqual([["报考科目", "group.too_many_subjects", { max: 2, count: 3 }]]);
    expect(parseGroupRow(cells({ 报考科目: "" }), SITE).value?.subjects).toEqual([]);
  });

  it("SET-8: the class follows the site's options as it does online", () => {
    const site = { ...SITE, classOptions: ["计科2401"], classRequired: true };
    expect(parseGroupRow(cells({ 班级: "" }), site).errors?.map((e) => e.key)).toEqual(["class.required"]);
    expect(parseGroupRow(cells({ 班级: "会计2401" }), site).errors?.map((e) => e.key)).toEqual(["class.not_an_option"]);
    expect(parseGroupRow(cells({ 班级: "计科2401" }), site).value?.class_name).toBe("计科2401");
  });

  it("SR-3: every failing cell of a row is reported, not only the first", () => {
    const r = parseGroupRow(cells({ 姓名: "", 电子邮箱: "", 报考科目: "99" }), SITE);
    expect(r.errors?.map((e) => e.column).sort()).toEqual(["姓名", "报考科目", "电子邮箱"].sort());
  });
});

const SITE_ID = 10;
const OPEN: SiteEligibility = {
  siteId: SITE_ID,
  provinceId: 1,
  registryEnabled: false,
  onlyProvinceRegistry: false,
  onlySiteRegistry: false,
};

function value(n: number, over: Partial<GroupRowValue> = {}): GroupRowValue {
  const r = parseGroupRow(
    cells({ 证件号码: id(`110108200409150${String(n * 2).padStart(2, "0")}`), 电子邮箱: `s${n}@example.com` }),
    SITE,
  );
  if (!r.value) throw new Error(JSON.stringify(r.errors));
  return { ...r.value, ...over };
}

function existing(over: Partial<ExistingRegistration> = {}): ExistingRegistration {
  return {
    id: 1,
    org_id: SITE_ID,
    org_label: "(990101) 测试大学考点",
    channel: "group",
    locked: false,
    account_id: "acc-1",
    entries: [],
    ...over,
  };
}

const entry = (code: string, over: Partial<ExistingRegistration["entries"][number]> = {}) => ({
  id: Number(code),
  subject_code: code,
  paid: false,
  in_payment_batch: false,
  in_pending_payment: false,
  ...over,
});

function plan(
  rows: GroupRowValue[],
  opts: {
    overwrite?: boolean;
    regs?: Array<[string, ExistingRegistration]>;
    accounts?: Array<[string, ExistingAccount]>;
    eligibility?: SiteEligibility;
  } = {},
) {
  return planGroupImport({
    siteId: SITE_ID,
    overwrite: opts.overwrite ?? false,
    rows: rows.map((value, i) => ({ row: i + 2, value })),
    registrations: new Map(opts.regs ?? []),
    accounts: new Map(opts.accounts ?? []),
    eligibility: opts.eligibility ?? OPEN,
    records: new Map(),
  });
}

describe("GRP-2/GRP-3/GRP-4: the plan", () => {
  it("GRP-2: new IDs are created with new accounts; counts add up", () => {
    const p = plan([value(1), value(2, { subjects: [] })]);
    expect(p.errors).toEqual([]);
    expect(p).toMatchObject({
      created: 2,
      updated: 0,
      entriesAdded: 2,
      entriesRemoved: 0,
      accountsCreated: 2,
      accountsBound: 0,
      accountsTakenOver: 0,
    });
    expect(p.registrations[0].account).toEqual({ kind: "new", email: "s1@example.com" });
  });

  it("GRP-2: the same ID or e-mail twice in the file is an error naming the first row", () => {
    const a = value(1);
    expect(plan([a, a]).errors.map((e) => [e.row, e.column, e.key, e.params])).toEqual([
      [3, "证件号码", "records.duplicate_in_file", { first: 2 }],
    ]);
    const b = value(2, { email: a.email });
    expect(plan([a, b]).errors.map((e) => [e.row, e.column, e.key, e.params])).toEqual([
      [3, "电子邮箱", "group.duplicate_email", { first: 2 }],
    ]);
  });

  it("GRP-2: an existing ID fails without overwrite, fails when locked ('unlock first'), and is updated otherwise", () => {
    const v = value(1);
    expect(plan([v], { regs: [[v.id_number, existing()]] }).errors.map((e) => e.key)).toEqual(["group.exists"]);
    expect(
      plan([v], { overwrite: true, regs: [[v.id_number, existing({ locked: true })]] }).errors.map((e) => e.key),
    ).toEqual(["group.locked"]);
    const ok = plan([v], { overwrite: true, regs: [[v.id_number, existing()]] });
    expect(ok.errors).toEqual([]);
    expect(ok).toMatchObject({ created: 0, updated: 1 });
  });

  it("GRP-3: an online registration or one at another site is never touched, even with overwrite", () => {
    const v = value(1);
    expect(
      plan([v], { overwrite: true, regs: [[v.id_number, existing({ channel: "online" })]] }).errors.map((e) => e.key),
    ).toEqual(["group.online_registration"]);
    const other = plan([v], {
      overwrite: true,
      regs: [[v.id_number, existing({ org_id: 11, org_label: "(990102) 职院" })]],
    });
    expect(other.errors.map((e) => [e.key, e.params])).toEqual([["group.other_site", { site: "(990102) 职院" }]]);
  });

  it("GRP-3: entries are set exactly; paid ones, ones in a payment batch and ones being paid cannot be dropped", () => {
    const v = value(1, { subjects: ["14", "65"] });
    const p = plan([v], {
      overwrite: true,
      regs: [[v.id_number, existing({ entries: [entry("14", { paid: true }), entry("15")] })]],
    });
    expect(p.errors).toEqual([]);
    expect(p.registrations[0].add).toEqual(["65"]);
    expect(p.registrations[0].remove.map((e) => e.subject_code)).toEqual(["15"]);
    expect(seatChanges(p.registrations)).toEqual({ take: new Map([["65", 1]]), release: ["15"], totalTake: 1 });
    const drop = (e: ReturnType<typeof entry>) =>
      plan([value(1, { subjects: [] })], {
        overwrite: true,
        regs: [[v.id_number, existing({ entries: [e] })]],
      }).errors.map((x) => [x.key, x.params]);
    expect(drop(entry("14", { paid: true }))).toEqual([["group.entry_paid", { code: "14" }]]);
    expect(drop(entry("14", { in_payment_batch: true }))).toEqual([["group.entry_in_payment_batch", { code: "14" }]]);
    expect(drop(entry("14", { in_pending_payment: true }))).toEqual([["group.entry_paying", { code: "14" }]]);
  });

  it("GRP-4: an e-mail binds to an existing candidate account; an administrator's or one bound to another ID is refused", () => {
    const v = value(1);
    const bind = plan([v], {
      accounts: [[v.email, { id: "acc-9", role: "candidate", proven: true, bound_id_number: null }]],
    });
    expect(bind.registrations[0].account).toEqual({ kind: "bind", email: v.email, accountId: "acc-9" });
    expect(bind).toMatchObject({ accountsCreated: 0, accountsBound: 1 });
    const same = plan([v], {
      overwrite: true,
      regs: [[v.id_number, existing()]],
      accounts: [[v.email, { id: "acc-1", role: "candidate", proven: true, bound_id_number: v.id_number }]],
    });
    expect(same.errors).toEqual([]);
    expect(
      plan([v], {
        accounts: [[v.email, { id: "adm", role: "admin", proven: true, bound_id_number: null }]],
      }).errors.map((e) => e.key),
    ).toEqual(["group.email_admin"]);
    const other = plan([v], {
      accounts: [[v.email, { id: "acc-2", role: "candidate", proven: true, bound_id_number: "110101200001010011" }]],
    });
    expect(other.errors.map((e) => [e.column, e.key, e.params])).toEqual([
      ["电子邮箱", "group.email_bound", { id: "**************0011" }],
    ]);
  });

  it("GRP-4: an e-mail held by an unproven account is never bound: the site takes the account over, whatever it holds", () => {
    const v = value(1);
    const squat = plan([v], {
      accounts: [[v.email, { id: "acc-s", role: "candidate", proven: false, bound_id_number: null }]],
    });
    expect(squat.errors).toEqual([]);
    expect(squat.registrations[0].account).toEqual({ kind: "takeover", email: v.email, accountId: "acc-s" });
    expect(squat).toMatchObject({ accountsCreated: 0, accountsBound: 0, accountsTakenOver: 1 });
    // A squatter's own registration under the address does not block the site: it is detached.
    const holding = plan([v], {
      accounts: [[v.email, { id: "acc-s", role: "candidate", proven: false, bound_id_number: "110101200001010011" }]],
    });
    expect(holding.errors).toEqual([]);
    expect(holding.registrations[0].account.kind).toBe("takeover");
    // An administrator's account is refused whether proven or not.
    expect(
      plan([v], {
        accounts: [[v.email, { id: "adm", role: "admin", proven: false, bound_id_number: null }]],
      }).errors.map((e) => e.key),
    ).toEqual(["group.email_admin"]);
  });

  it("SET-9: a candidate the site's eligibility forbids is a row error", () => {
    const p = plan([value(1)], { eligibility: { ...OPEN, registryEnabled: true, onlyProvinceRegistry: true } });
    expect(p.errors.map((e) => [e.column, e.key])).toEqual([["证件号码", "eligibility.public_refused"]]);
  });

  it("GRP-2: nothing is planned for a row with an error, and every row is judged", () => {
    const a = value(1);
    const b = value(2);
    const p = plan([a, b], {
      regs: [
        [a.id_number, existing({ channel: "online" })],
        [b.id_number, existing({ id: 2 })],
      ],
    });
    expect(p.errors.map((e) => e.row)).toEqual([2, 3]);
    expect(p.registrations).toEqual([]);
  });
});

describe("CAN-4: seats", () => {
  const subjects = [
    { code: "14", name: "计算机基础", capacity: 10, taken: 9 },
    { code: "15", name: "PS", capacity: 0, taken: 0 },
  ];
  it("CAN-4: a shortage names the subject and how many places are missing; the total too", () => {
    expect(seatShortages(new Map([["14", 3]]), 3, subjects, { capacity: 100, taken: 99 })).toEqual([
      { key: "group.total_capacity_short", params: { missing: 2, capacity: 100 } },
      { key: "group.subject_capacity_short", params: { code: "14", name: "计算机基础", missing: 2, capacity: 10 } },
    ]);
    expect(seatShortages(new Map([["15", 1]]), 1, subjects, { capacity: null, taken: 0 })).toEqual([
      { key: "group.total_capacity_not_set", params: {} },
      { key: "group.subject_capacity_short", params: { code: "15", name: "PS", missing: 1, capacity: 0 } },
    ]);
    expect(seatShortages(new Map([["14", 1]]), 1, subjects, { capacity: 100, taken: 0 })).toEqual([]);
  });
});

describe("GRP-5: review after an import", () => {
  it.each([
    [true, null, false, "pending"],
    [false, null, false, "none"],
    [true, "none", false, "pending"],
    [true, "failed", false, "pending"],
    [true, "passed", false, "passed"],
    [true, "passed", true, "pending"],
    [true, "pending", true, "pending"],
    [false, "passed", true, "passed"],
  ] as const)("GRP-5: review required %s, was %s, data changed %s → %s", (required, current, changed, expected) => {
    expect(reviewStatusAfterImport(required, current, changed)).toBe(expected);
  });
});
