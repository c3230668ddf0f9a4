import { beforeAll, describe, expect, it } from "vitest";
import * as allocationRoute from "../../app/routes/admin.allocation";
import * as roomsRoute from "../../app/routes/admin.rooms._index";
import * as admissionRoute from "../../app/routes/admin.admission-numbers";
import * as statusRoute from "../../app/routes/candidate._index";
import * as homeRoute from "../../app/routes/admin._index";
import { loadAllocationInput } from "../../app/services/allocate-site.server";
import { releaseExpiredHolds } from "../../app/services/release-expired-holds.server";
import { validateAllocation } from "../../app/domain/allocation";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, auditCount, load, newCandidate, orgId, sessionCookie } from "../factories";
import { makeRegistration } from "../factories/registrations";

// SCH-1 … SCH-4 (issue 16 item 2) at 990102, inside its allocation window in the demo data.
const PAGE = "/admin/allocation";
let site2: string, province: string, finance: string;
let id990102: number, sittingId: number;
let candidate: { id: string; cookie: string };

beforeAll(async () => {
  [site2, province, finance] = await Promise.all(
    ["site990102", "province99", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  // Two rooms of 3 seats, the manual's three batches on 27 and 28 March: 12 seats per subject time.
  for (const [number, seats] of [
    ["01", 3],
    ["02", 3],
  ] as const)
    await act(roomsRoute, "/admin/rooms", site2, { intent: "save-room", number, location: "", seats });
  const rooms = await getDb().selectFrom("room").select("id").where("org_id", "=", id990102).execute();
  const r = await act(roomsRoute, "/admin/rooms", site2, {
    intent: "timetable",
    room: rooms.map((x) => x.id),
    day: ["2027-03-27", "2027-03-28"],
    start: "08:00",
    count: 3,
    minutes: 120,
    gap: 30,
    capacity: "",
  });
  expect(r.data).toMatchObject({ ok: true });
});

const run = async () => {
  const r = await act(allocationRoute, PAGE, site2, { intent: "run" });
  await waitForInlineIdle();
  return r;
};

describe("allocation (SCH-1 … SCH-4)", () => {
  it("SCH-1: allocating with an unpaid entry or without a site address is refused, naming what to fix", async () => {
    const hold = new Date(Date.now() + 60_000);
    await makeRegistration({ siteId: id990102, sittingId, subjects: ["14", "65"], paid: ["14"], hold });
    const unpaid = await run();
    expect(unpaid.data.error).toBe("还有 1 个报考科目未缴费，全部缴费后才能编排。");
    const page = await load(allocationRoute, PAGE, site2);
    expect(page.data.pre).toMatchObject({ unpaid: 1 });
    // The unpaid entry's seat hold runs out and is released (CAN-8), as the scheduler would.
    await releaseExpiredHolds(new Date(hold.getTime() + 1000));
    expect((await load(allocationRoute, PAGE, site2)).data.pre.unpaid).toBe(0);
    const before = await getDb()
      .selectFrom("org_sitting")
      .select("address")
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .executeTakeFirstOrThrow();
    await getDb().updateTable("org_sitting").set({ address: " " }).where("org_id", "=", id990102).execute();
    expect((await run()).data.error).toBe("考点地址未填写（地址会打印在准考证上）。");
    // SCH-1 (§三十一 3): the address is entered right on the allocation page, audited like on the organisation page.
    expect((await load(allocationRoute, PAGE, site2)).data.pre.addressMissing).toBe(true);
    const blank = await act(allocationRoute, PAGE, site2, { intent: "address", address: "  " });
    expect(blank.data.error).toBe("请填写完整的考点地址。");
    const updates = await auditCount("org.update_info");
    const saved = await act(allocationRoute, PAGE, site2, {
      intent: "address",
      address: before.address.trim() || "测试市学府路 2 号",
    });
    expect(saved.data).toMatchObject({ ok: true });
    expect(await auditCount("org.update_info")).toBe(updates + 1);
    expect((await load(allocationRoute, PAGE, site2)).data.pre.addressMissing).toBe(false);
  });

  it("SCH-2/SCH-4: every paid entry gets a seat; the result says no allocation does better; the subject table adds up", async () => {
    // 20 more candidates, some with two subjects, half with a preferred date; the first can log in.
    candidate = await newCandidate("编排考生");
    for (let i = 0; i < 20; i++)
      await makeRegistration({
        accountId: i === 0 ? candidate.id : undefined,
        siteId: id990102,
        sittingId,
        subjects: i % 3 === 0 ? ["14", "65"] : [i % 2 ? "14" : "65"],
        paid: i % 3 === 0 ? ["14", "65"] : [i % 2 ? "14" : "65"],
        preferredDate: i % 2 ? "2027-03-27" : null,
      });
    expect((await run()).data).toMatchObject({ ok: true });
    const page = await load(allocationRoute, PAGE, site2);
    const res = page.data.last.result;
    expect(res.placed).toBe(res.total);
    expect(res.bound).toEqual({ placed: res.placed, onDate: res.onDate });
    expect(res.onDate).toBe(res.preferred); // seats enough: everyone with a preferred date is on it
    const input = await loadAllocationInput(getDb(), sittingId, id990102);
    const placements = (
      await getDb()
        .selectFrom("entry")
        .select(["id as entry_id", "batch_id", "seat"])
        .where("org_id", "=", id990102)
        .where("sitting_id", "=", sittingId)
        .execute()
    ).map((p) => ({ entry_id: p.entry_id, batch_id: p.batch_id!, seat: p.seat! }));
    expect(placements.every((p) => p.batch_id !== null)).toBe(true);
    expect(validateAllocation(input, placements)).toEqual([]);
    const subjects = page.data.subjects;
    for (const s of subjects) {
      expect(s.total).toBe(s.paid + s.unpaid);
      expect(s.allocated + s.unallocated).toBe(s.paid);
      expect(s.on_date + s.off_date).toBeLessThanOrEqual(s.preferred);
    }
    expect(subjects.reduce((a: number, s: { allocated: number }) => a + s.allocated, 0)).toBe(res.total);
    expect(await auditCount("allocation.auto")).toBe(1);
    // CAN-10: allocated, but no admission number yet: the candidate sees no room or seat.
    const before = await load(statusRoute, "/candidate", candidate.cookie);
    expect(before.data.entries.every((e: { exam: unknown }) => e.exam === null)).toBe(true);
  });

  it("ADM-1: numbers for every entry once all are allocated: 16 digits, unique, stable when generated again", async () => {
    const gen = () => act(admissionRoute, "/admin/admission-numbers", site2, {});
    expect((await gen()).data).toMatchObject({ ok: true, kept: 0 });
    const numbers = async () =>
      getDb()
        .selectFrom("entry as e")
        .innerJoin("exam_batch as b", "b.id", "e.batch_id")
        .innerJoin("room as r", "r.id", "b.room_id")
        .select(["e.id", "e.subject_code", "e.admission_no", "r.number"])
        .where("e.org_id", "=", id990102)
        .where("e.sitting_id", "=", sittingId)
        .orderBy("e.id")
        .execute();
    const first = await numbers();
    const code = (
      await getDb().selectFrom("sitting").select("code").where("id", "=", sittingId).executeTakeFirstOrThrow()
    ).code;
    for (const e of first)
      expect(e.admission_no).toMatch(new RegExp(`^${e.subject_code}${code}990102${e.number}\\d{4}$`));
    expect(new Set(first.map((e) => e.admission_no)).size).toBe(first.length);
    const status = (await load(admissionRoute, "/admin/admission-numbers", site2)).data.status;
    expect(status).toMatchObject({ unallocated: 0, missing: 0, numbered: first.length });
    expect((await gen()).data).toMatchObject({ ok: true, kept: first.length, fresh: 0 });
    expect(await numbers()).toEqual(first);
    // CAN-10: now the candidate's status page shows date, time, room and seat.
    const after = await load(statusRoute, "/candidate", candidate.cookie);
    const exam = after.data.entries[0].exam;
    expect(exam).toMatchObject({
      admissionNo: expect.stringMatching(/^\d{16}$/),
      date: expect.stringMatching(/^2027-03-2[78]$/),
    });
    expect(exam.time).toMatch(/^\d\d:\d\d–\d\d:\d\d$/);
    expect(exam.seat).toMatch(/^\d\d$/);
  });

  it("SCH-2: more entries than seats: the unplaced are listed with their reason and the bound proves none could be seated", async () => {
    for (let i = 0; i < 60; i++)
      await makeRegistration({ siteId: id990102, sittingId, subjects: ["65"], paid: ["65"] });
    await run();
    const res = (await load(allocationRoute, PAGE, site2)).data.last.result;
    expect(res.placed).toBe(res.bound.placed);
    expect(res.total - res.placed).toBe(res.unplacedCount);
    expect(res.unplacedCount).toBeGreaterThan(0);
    expect(res.unplaced[0]).toMatchObject({ reason: "full" });
    // 6 batch times × 2 rooms × 3 seats = 36 seats in all.
    expect(res.placed).toBe(36);
    // ADM-1: "serial not generated" while any entry is unallocated; generating is refused.
    const gen = await act(admissionRoute, "/admin/admission-numbers", site2, {});
    expect(gen.data.error).toMatch(/个科目未编排/);
    expect((await load(admissionRoute, "/admin/admission-numbers", site2)).data.status.unallocated).toBe(
      res.unplacedCount,
    );
    // A number names its room: an entry the new allocation moved to another room (or left out) lost its number.
    const rows = await getDb()
      .selectFrom("entry as e")
      .leftJoin("exam_batch as b", "b.id", "e.batch_id")
      .leftJoin("room as r", "r.id", "b.room_id")
      .select(["e.admission_no", "r.number"])
      .where("e.org_id", "=", id990102)
      .where("e.sitting_id", "=", sittingId)
      .execute();
    for (const x of rows) if (x.admission_no) expect(x.admission_no.slice(10, 12)).toBe(x.number);
    // X-6 on the home pages: the site and its province see what is left before the exam.
    const home = await load(homeRoute, "/admin", site2);
    expect(home.data.readiness[0].registration).toContainEqual(
      expect.objectContaining({ item: "unallocated_entries", count: res.unplacedCount }),
    );
    const rollup = await load(homeRoute, "/admin", province);
    const row = rollup.data.readiness.find((x: { code: string }) => x.code === "990102");
    expect(row.registration.map((g: { item: string }) => g.item)).toContain("unallocated_entries");
  });

  it("ROOM-2/SCH-3: an allocated batch cannot be deleted; clearing the allocation frees it; superiors and finance cannot allocate", async () => {
    const b = await getDb()
      .selectFrom("entry")
      .select("batch_id")
      .where("org_id", "=", id990102)
      .where("batch_id", "is not", null)
      .executeTakeFirstOrThrow();
    const del = await act(roomsRoute, "/admin/rooms", site2, { intent: "delete-batches", batch: [b.batch_id!] });
    expect(del.data.error).toMatch(/已编排 \d+ 个考生/);
    expect((await act(allocationRoute, PAGE, province, { intent: "run" })).status).toBe(403);
    expect((await act(allocationRoute, PAGE, finance, { intent: "run" })).status).toBe(403);
    const cleared = await act(allocationRoute, PAGE, site2, { intent: "clear" });
    expect(cleared.data).toMatchObject({ ok: true, cleared: 36 });
    expect(
      await getDb().selectFrom("entry").select("id").where("batch_id", "is not", null).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("SCH-3: manual allocation: the ticked entries into one batch with the same checks; clearing the ticked frees their seats", async () => {
    const page = await load(allocationRoute, PAGE, site2);
    expect(page.data.waiting.total).toBeGreaterThan(0);
    // A candidate with two subjects: both ticked into one batch, the second is refused (same time).
    const two = await getDb()
      .selectFrom("entry")
      .select(["registration_id", (eb) => eb.fn.agg<number[]>("array_agg", ["id"]).as("ids")])
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .groupBy("registration_id")
      .having((eb) => eb.fn.countAll(), "=", 2)
      .executeTakeFirstOrThrow();
    const batch = page.data.batches.find((b: { label: string }) => b.label === "01#1");
    const r = await act(allocationRoute, PAGE, site2, { intent: "place", batch: batch.id, entry: two.ids });
    expect(r.data.manual).toEqual({ placed: 1, refused: [{ entry_id: expect.any(Number), reason: "gap" }] });
    const after = await load(allocationRoute, `${PAGE}?batch=${batch.id}`, site2);
    expect(after.data.batch.rows).toHaveLength(1);
    expect(after.data.batch.rows[0].seat).toBe(1);
    // ORG-2: an entry of another site is unknown here, never placed.
    const other = await makeRegistration({ siteId: await orgId("990101"), sittingId, subjects: ["14"], paid: ["14"] });
    const forged = await act(allocationRoute, PAGE, site2, {
      intent: "place",
      batch: batch.id,
      entry: [other.entries[0].id],
    });
    expect(forged.data.manual.refused).toEqual([{ entry_id: other.entries[0].id, reason: "unknown" }]);
    const cleared = await act(allocationRoute, PAGE, site2, {
      intent: "clear-selected",
      entry: after.data.batch.rows.map((x: { id: number }) => x.id),
    });
    expect(cleared.data).toMatchObject({ ok: true, cleared: 1 });
    expect((await load(allocationRoute, `${PAGE}?batch=${batch.id}`, site2)).data.batch.rows).toEqual([]);
    expect(await auditCount("allocation.manual")).toBe(2);
  });

  it("SCH-2: classmates spread, as the site chose with the run: kept as its setting, audited, neighbours from different classes", async () => {
    const db = getDb();
    const regs = await db
      .selectFrom("registration")
      .select("id")
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .orderBy("id")
      .execute();
    // Two classes.
    for (const [i, r] of regs.entries())
      await db
        .updateTable("registration")
        .set({ class_name: i % 2 ? "计科2401" : "会计2401" })
        .where("id", "=", r.id)
        .execute();
    const forged = await act(allocationRoute, PAGE, site2, { intent: "run", classes: "sideways" });
    expect(forged.data.error).toBeTruthy();
    expect((await load(allocationRoute, PAGE, site2)).data.classSeating).toBe("together");
    expect((await act(allocationRoute, PAGE, site2, { intent: "run", classes: "spread" })).data).toMatchObject({
      ok: true,
    });
    await waitForInlineIdle();
    const page = await load(allocationRoute, PAGE, site2);
    expect(page.data.classSeating).toBe("spread");
    expect(page.data.last.result.placed).toBe(page.data.last.result.bound.placed);
    const audit = await db
      .selectFrom("audit_log")
      .select("changes")
      .where("action", "=", "allocation.auto")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.changes.class_seating?.[1]).toBe("spread");
    const seats = await db
      .selectFrom("entry as e")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .innerJoin("exam_batch as b", "b.id", "e.batch_id")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select(["e.batch_id", "e.seat", "g.class_name", "b.exam_date", "b.start_min"])
      .where("e.org_id", "=", id990102)
      .where("e.sitting_id", "=", sittingId)
      .orderBy("b.exam_date")
      .orderBy("b.start_min")
      .orderBy("r.number")
      .orderBy("e.seat")
      .execute();
    // Neighbours differ wherever the mix allows: a time slot of n seats (its rooms in order) whose
    // largest class has m candidates cannot have fewer than max(0, 2m − n − 1) classmates side by side.
    const slots = new Map<string, Array<{ batch: number; cls: string }>>();
    for (const x of seats) {
      const k = `${x.exam_date} ${x.start_min}`;
      slots.set(k, [...(slots.get(k) ?? []), { batch: x.batch_id!, cls: x.class_name }]);
    }
    let pairs = 0;
    for (const [k, list] of slots) {
      const m = Math.max(...["计科2401", "会计2401"].map((c) => list.filter((x) => x.cls === c).length));
      const side = list.filter((x, i) => i > 0 && x.batch === list[i - 1].batch && x.cls === list[i - 1].cls).length;
      expect(side, `${k}: ${list.map((x) => x.cls).join(",")}`).toBeLessThanOrEqual(
        Math.max(0, 2 * m - list.length - 1),
      );
      pairs += list.length - 1;
    }
    expect(pairs).toBeGreaterThan(0);
    // The next run without a choice (the job's own retry, say) keeps the site's.
    await act(allocationRoute, PAGE, site2, { intent: "run" });
    await waitForInlineIdle();
    expect((await load(allocationRoute, PAGE, site2)).data.classSeating).toBe("spread");
  });
});
