import { describe, expect, it } from "vitest";
import { capacityLevel, checkSubjectCapacity, checkTotalCapacity, remaining, UNLIMITED } from "./capacity";
import { checkQuotas, examDays } from "./preferred-dates";
import { checkClass, parseClassOptions } from "./class-options";
import { isRegistryCandidate, mayRegister, type SiteEligibility, type StudentRecordRef } from "./eligibility";
import { feesComplete, formatYuan, parseYuan, registrationFee } from "./fees";
import { canDeleteSiteSubject, checkSubjectRange } from "./subject-range";
import { siteReadiness } from "./readiness";

describe("SET-4 capacity", () => {
  it.each([
    [100, 0, null],
    [99, 0, "capacity.total_range"],
    [99999, 0, null],
    [100000, 0, "capacity.total_range"],
    [150, 151, "capacity.below_taken"],
    [150, 150, null],
    [120.5, 0, "capacity.total_range"],
  ] as const)("SET-4: total capacity %d with %d taken", (total, taken, problem) => {
    expect(checkTotalCapacity(total, taken)).toBe(problem);
  });
  it.each([
    [0, 0, null],
    [0, 1, "capacity.below_taken"],
    [99999, 5, null],
    [100000, 0, "capacity.subject_range"],
    [-1, 0, "capacity.subject_range"],
    [30, 31, "capacity.below_taken"],
  ] as const)("SET-4: subject capacity %d with %d taken (0 = not offered)", (cap, taken, problem) => {
    expect(checkSubjectCapacity(cap, taken)).toBe(problem);
  });
  it("SET-4: 99999 means unlimited; 0 and unset leave no seats", () => {
    expect(remaining(UNLIMITED, 123456)).toBe(Infinity);
    expect(remaining(0, 0)).toBe(0);
    expect(remaining(null, 0)).toBe(0);
    expect(remaining(30, 28)).toBe(2);
    // The setup page colours its rows by the statistics page's rule (issue 14 item 5: one rule).
    expect([
      capacityLevel(null, 0),
      capacityLevel(0, 0),
      capacityLevel(100, 10),
      capacityLevel(100, 85),
      capacityLevel(100, 95),
      capacityLevel(100, 100),
    ]).toEqual(["unset", "not_offered", "plenty", "some", "tight", "full"]);
  });
});

describe("SET-5 preferred-date quotas", () => {
  const q = (...n: number[]) => n.map((quota, i) => ({ date: `2027-03-2${7 + i}`, quota }));
  it.each([
    ["each at least 1", q(1, 1, 1), 200, null],
    ["zero is refused", q(0, 10, 10), 200, "preferred.quota_min"],
    ["each at most half the total", q(100, 50, 50), 200, null],
    ["over half", q(101, 1, 1), 200, "preferred.quota_half"],
    ["sum at most the total", q(100, 100), 200, null],
    ["sum over the total", q(80, 80, 80), 200, "preferred.quota_sum"],
    ["no total capacity yet", q(1), null, "preferred.total_unset"],
  ] as const)("SET-5: %s", (_l, quotas, total, problem) => {
    expect(checkQuotas(quotas, total)?.problem ?? null).toBe(problem);
  });
  it("SET-5: a quota cannot drop below the candidates who already chose that day", () => {
    expect(checkQuotas([{ date: "2027-03-27", quota: 5, taken: 6 }], 200)).toEqual({
      problem: "preferred.below_taken",
      date: "2027-03-27",
    });
  });
  it("SET-5: the exam days are the sitting's days", () => {
    expect(examDays("2027-03-27", "2027-03-29")).toEqual(["2027-03-27", "2027-03-28", "2027-03-29"]);
  });
});

describe("SET-8 class options", () => {
  it.each([
    ["会计一班; 会计二班；管理一班", ["会计一班", "会计二班", "管理一班"]],
    [" ;；", []],
    ["", []],
    ["一班;一班; 二班 ", ["一班", "二班"]],
  ] as const)("SET-8: %j", (text, options) => {
    expect(parseClassOptions(text)).toEqual(options);
  });
  it.each([
    ["", [], false, null],
    ["", [], true, "class.required"],
    ["任意班", [], false, null],
    ["会计一班", ["会计一班"], true, null],
    ["会计三班", ["会计一班"], false, "class.not_an_option"],
  ] as const)("SET-8: class %j with options %j, required %s", (value, options, required, problem) => {
    expect(checkClass(value, options, required)).toBe(problem);
  });
});

describe("SET-9 student-record eligibility (manual §十九 5.1–5.4)", () => {
  const site = (onlyProvince: boolean, onlySite: boolean, registry = true): SiteEligibility => ({
    siteId: 1,
    provinceId: 99,
    registryEnabled: registry,
    onlyProvinceRegistry: onlyProvince,
    onlySiteRegistry: onlySite,
  });
  const here: StudentRecordRef = { siteId: 1, provinceId: 99, eligibleSiteIds: [1] };
  const otherSiteAny: StudentRecordRef = { siteId: 2, provinceId: 99, eligibleSiteIds: [] };
  const otherSiteListsUs: StudentRecordRef = { siteId: 2, provinceId: 99, eligibleSiteIds: [2, 1] };
  const otherSiteOwnOnly: StudentRecordRef = { siteId: 2, provinceId: 99, eligibleSiteIds: [2] };
  const otherProvince: StudentRecordRef = { siteId: 7, provinceId: 50, eligibleSiteIds: [7] };
  it.each([
    // 5.1 only this province's registry
    ["5.1", site(true, false), null, "eligibility.public_refused"],
    ["5.1", site(true, false), here, null],
    ["5.1", site(true, false), otherSiteAny, null],
    ["5.1", site(true, false), otherSiteListsUs, null],
    ["5.1", site(true, false), otherSiteOwnOnly, "eligibility.not_eligible_site"],
    ["5.1", site(true, false), otherProvince, "eligibility.public_refused"],
    // 5.2 only this site's registry (and this province's)
    ["5.2", site(true, true), null, "eligibility.site_registry_only"],
    ["5.2", site(true, true), here, null],
    ["5.2", site(true, true), otherSiteAny, "eligibility.site_registry_only"],
    // 5.3 both off: public welcome, records where they allow
    ["5.3", site(false, false), null, null],
    ["5.3", site(false, false), otherSiteAny, null],
    ["5.3", site(false, false), otherSiteOwnOnly, "eligibility.not_eligible_site"],
    ["5.3", site(false, false), otherProvince, null],
    // 5.4 only this site's registry
    ["5.4", site(false, true), null, "eligibility.site_registry_only"],
    ["5.4", site(false, true), here, null],
    ["5.4", site(false, true), otherSiteListsUs, "eligibility.site_registry_only"],
    // registry off: everyone
    ["off", site(true, true, false), null, null],
    ["off", site(true, true, false), otherSiteOwnOnly, null],
  ] as const)("SET-9 §十九 %s: %j / %j", (_case, s, record, refusal) => {
    expect(mayRegister(s, record)).toBe(refusal);
  });
  it("SET-5: with preferred dates on in the province, a registry candidate registers only at the record's own site", () => {
    const noCross = { ...site(false, false), crossSiteDisabled: true };
    expect(mayRegister(noCross, otherSiteAny)).toBe("eligibility.cross_site_disabled");
    expect(mayRegister(noCross, here)).toBeNull();
    expect(mayRegister(noCross, null)).toBeNull();
    expect(mayRegister(noCross, otherProvince)).toBeNull();
  });
  it("SR-7: a registry candidate only when the registry is on and the record is at the site", () => {
    expect(isRegistryCandidate(site(false, false), here)).toBe(true);
    expect(isRegistryCandidate(site(false, false, false), here)).toBe(false);
    expect(isRegistryCandidate(site(false, false), otherSiteAny)).toBe(false);
  });
});

describe("SET-3 fees", () => {
  it.each([
    ["110", 11000],
    ["110.5", 11050],
    ["0", 0],
    ["１２０", 12000],
    ["12.345", null],
    ["-1", null],
    ["abc", null],
  ] as const)("SET-3: %j yuan", (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });
  it("SET-3/CAN-7: the per-person fee once plus each subject's fee", () => {
    expect(registrationFee(1000, [11000, 12000])).toBe(24000);
    expect(formatYuan(24050)).toBe("240.50");
  });
  it("SET-3: fees are set only with a per-person fee and a fee for every offered subject", () => {
    expect(
      feesComplete(
        1000,
        ["14", "24"],
        new Map([
          ["14", 11000],
          ["24", 11000],
        ]),
      ),
    ).toBe(true);
    expect(feesComplete(null, ["14"], new Map([["14", 11000]]))).toBe(false);
    expect(feesComplete(1000, ["14", "24"], new Map([["14", 11000]]))).toBe(false);
  });
});

describe("SET-2 offered subjects", () => {
  const p = { start: "2027-03-27", end: "2027-03-29" };
  it.each([
    [{ start: "2027-03-27", end: "2027-03-29" }, p, null],
    [{ start: "2027-03-28", end: "2027-03-28" }, p, null],
    [{ start: "2027-03-26", end: "2027-03-28" }, p, "subject.range_outside"],
    [{ start: "2027-03-28", end: "2027-03-30" }, p, "subject.range_outside"],
    [{ start: "2027-03-29", end: "2027-03-28" }, p, "subject.range_order"],
    [{ start: "2027-03-28", end: "2027-03-28" }, null, "subject.not_offered_above"],
  ] as const)("SET-2: range %j inside %j", (range, parent, problem) => {
    expect(checkSubjectRange(range, parent)).toBe(problem);
  });
  it("SET-2/SET-10: a subject with capacity or entries cannot be deleted", () => {
    expect(canDeleteSiteSubject({ capacity: null, taken: 0 })).toBeNull();
    expect(canDeleteSiteSubject({ capacity: 0, taken: 0 })).toBeNull();
    expect(canDeleteSiteSubject({ capacity: 30, taken: 0 })).toBe("subject.has_capacity");
    expect(canDeleteSiteSubject({ capacity: 0, taken: 2 })).toBe("subject.has_entries");
  });
});

describe("X-6 readiness before registration", () => {
  const ready = {
    open: true,
    address: "学府路1号",
    offeredSubjects: 3,
    feesComplete: true,
    totalCapacity: 500,
    subjectsWithoutCapacity: 0,
    onlineEnabled: true,
    onlineWindowSet: true,
  };
  it("X-6: a fully configured site is ready", () => expect(siteReadiness(ready)).toEqual([]));
  it("X-6: every missing item is listed", () => {
    expect(
      siteReadiness({
        ...ready,
        address: " ",
        offeredSubjects: 0,
        feesComplete: false,
        totalCapacity: null,
        onlineWindowSet: false,
      }),
    ).toEqual(["fees_not_set", "no_subject", "capacity_not_set", "address_missing", "online_window_not_set"]);
    expect(siteReadiness({ ...ready, subjectsWithoutCapacity: 1 })).toEqual(["capacity_not_set"]);
  });
  it("X-6: the online window matters only when online registration is on; a closed site has nothing to prepare", () => {
    expect(siteReadiness({ ...ready, onlineEnabled: false, onlineWindowSet: false })).toEqual([]);
    expect(siteReadiness({ ...ready, open: false, feesComplete: false })).toEqual([]);
  });
});
