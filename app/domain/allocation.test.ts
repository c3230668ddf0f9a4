import { beforeAll, describe, expect, it } from "vitest";
import { lpSolver } from "~/services/lp-solver.server";
import {
  allocate,
  orderByClass,
  placeSelected,
  validateAllocation,
  type AllocationInput,
  type AllocBatch,
  type AllocEntry,
  type LpSolver,
} from "./allocation";
import { farEnoughApart, type ExamRange } from "./rooms";
import { seededRandom as rng } from "../../tests/factories/random";

let solve: LpSolver;
beforeAll(async () => {
  solve = await lpSolver();
});

const SUBJECTS: ExamRange[] = [
  { subject_code: "14", exam_start: "2027-03-27", exam_end: "2027-03-28", minutes: 120 },
  { subject_code: "65", exam_start: "2027-03-27", exam_end: "2027-03-28", minutes: 90 },
  { subject_code: "41", exam_start: "2027-03-27", exam_end: "2027-03-27", minutes: 120 },
];

/** A small instance: `slots` regular slots (120 minutes, 20 between) over two days in `rooms` rooms. */
function instance(seed: number, o: { candidates: number; rooms: number; seats: number; irregular?: boolean }) {
  const r = rng(seed);
  const batches: AllocBatch[] = [];
  let id = 1;
  for (let room = 1; room <= o.rooms; room++) {
    let seq = 0;
    for (const day of ["2027-03-27", "2027-03-28"])
      for (const start of o.irregular ? [480 + room * 30, 640 + room * 30] : [480, 620]) {
        batches.push({
          id: id++,
          room_number: String(room).padStart(2, "0"),
          seq: ++seq,
          exam_date: day,
          start_min: start,
          end_min: start + 120,
          capacity: o.seats,
        });
      }
  }
  const entries: AllocEntry[] = [];
  let eid = 1;
  for (let c = 1; c <= o.candidates; c++) {
    const n = r() < 0.6 ? 1 : 2;
    const codes = [...SUBJECTS.map((s) => s.subject_code)].sort(() => r() - 0.5).slice(0, n);
    const preferred = r() < 0.5 ? (r() < 0.7 ? "2027-03-27" : "2027-03-28") : null;
    for (const code of codes)
      entries.push({ id: eid++, registration_id: c, subject_code: code, preferred_date: preferred });
  }
  return { batches, entries, subjects: SUBJECTS } satisfies AllocationInput;
}

/** The best (placed, then on date) over every way to put each entry in a slot or nowhere: the independent bound. */
function bruteForce(input: AllocationInput) {
  const slots = [...new Map(input.batches.map((b) => [`${b.exam_date} ${b.start_min}`, b])).values()];
  const capacity = slots.map((s) =>
    input.batches
      .filter((b) => b.exam_date === s.exam_date && b.start_min === s.start_min)
      .reduce((a, b) => a + b.capacity, 0),
  );
  const fits = (e: AllocEntry, s: AllocBatch) => {
    const r = input.subjects.find((x) => x.subject_code === e.subject_code)!;
    return r.exam_start <= s.exam_date && s.exam_date <= r.exam_end && s.end_min - s.start_min >= r.minutes;
  };
  let best = { placed: 0, onDate: 0 };
  const pick: number[] = [];
  const used = capacity.map(() => 0);
  const go = (i: number, placed: number, onDate: number) => {
    if (i === input.entries.length) {
      if (placed > best.placed || (placed === best.placed && onDate > best.onDate)) best = { placed, onDate };
      return;
    }
    const e = input.entries[i];
    go(i + 1, placed, onDate);
    for (let t = 0; t < slots.length; t++) {
      if (used[t] >= capacity[t] || !fits(e, slots[t])) continue;
      const clash = input.entries
        .slice(0, i)
        .some(
          (o, k) =>
            o.registration_id === e.registration_id && pick[k] >= 0 && !farEnoughApart(slots[pick[k]], slots[t]),
        );
      if (clash) continue;
      used[t]++;
      pick[i] = t;
      go(i + 1, placed + 1, onDate + (e.preferred_date === slots[t].exam_date ? 1 : 0));
      used[t]--;
    }
    pick[i] = -1;
  };
  go(0, 0, 0);
  return best;
}

describe("automatic allocation (SCH-2, SCH-4)", () => {
  it("SCH-2: on seeded tight instances the plan places the most entries possible, then the most on their preferred date (brute force agrees)", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const input = instance(seed, { candidates: 6, rooms: 1, seats: 2 });
      const r = allocate(input, solve);
      const best = bruteForce(input);
      expect(r.bound, `seed ${seed}`).toEqual(best);
      expect(r.placements.length, `seed ${seed}`).toBe(best.placed);
      expect(r.onDate, `seed ${seed}`).toBe(best.onDate);
      expect(validateAllocation(input, r.placements), `seed ${seed}`).toEqual([]);
      expect(r.placements.length + r.unplaced.length).toBe(input.entries.length);
    }
  });

  it("SCH-2: at scale (600 candidates, 10 rooms) no batch over capacity, no seat twice, gaps kept, and nothing unplaced while seats remain", () => {
    const input = instance(7, { candidates: 600, rooms: 10, seats: 30 });
    const r = allocate(input, solve);
    expect(validateAllocation(input, r.placements)).toEqual([]);
    expect(r.placements.length).toBe(r.bound.placed);
    expect(r.onDate).toBe(r.bound.onDate);
    const seats = input.batches.reduce((a, b) => a + b.capacity, 0);
    if (input.entries.length <= seats * 0.9) expect(r.unplaced).toEqual([]);
  });

  it("SCH-4: deterministic: the same input gives the same plan, seats 1 … N per batch in room order", () => {
    const input = instance(3, { candidates: 200, rooms: 4, seats: 25 });
    const a = allocate(input, solve);
    const b = allocate(structuredClone(input), solve);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const first = input.batches.filter((x) => x.start_min === 480 && x.exam_date === "2027-03-27");
    const seatsIn = (id: number) =>
      a.placements
        .filter((p) => p.batch_id === id)
        .map((p) => p.seat)
        .sort((x, y) => x - y);
    const counts = first.map((b2) => seatsIn(b2.id).length);
    // Rooms fill in order: a later room has seats only once the earlier ones are full.
    for (let i = 1; i < counts.length; i++) if (counts[i] > 0) expect(counts[i - 1]).toBe(25);
    for (const b2 of first)
      expect(seatsIn(b2.id)).toEqual(Array.from({ length: seatsIn(b2.id).length }, (_, i) => i + 1));
  });

  it("SCH-2: an irregular timetable (rooms staggered by 30 minutes) never breaks a rule, and never beats its bound", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const input = instance(seed, { candidates: 40, rooms: 3, seats: 5, irregular: true });
      const r = allocate(input, solve);
      expect(validateAllocation(input, r.placements), `seed ${seed}`).toEqual([]);
      expect(r.placements.length).toBeLessThanOrEqual(r.bound.placed);
    }
  });

  it("SCH-2: a subject no batch can hold is unplaced with its reason; the validator catches a forged plan", () => {
    const input = instance(1, { candidates: 3, rooms: 1, seats: 5 });
    const long: AllocationInput = {
      ...input,
      subjects: [
        ...input.subjects,
        { subject_code: "99", exam_start: "2027-03-27", exam_end: "2027-03-28", minutes: 180 },
      ],
      entries: [...input.entries, { id: 999, registration_id: 99, subject_code: "99", preferred_date: null }],
    };
    const r = allocate(long, solve);
    expect(r.unplaced).toContainEqual({ entry_id: 999, reason: "no_batch" });
    const [p] = r.placements;
    const forged = [...r.placements, { ...p }, { entry_id: 999, batch_id: p.batch_id, seat: 99 }];
    const rules = validateAllocation(long, forged).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(["twice", "seat", "subject"]));
  });
});

describe("classmates together or spread (SCH-2 site option)", () => {
  /** 4 classes of 30 (plus 20 without a class), one subject, 1 day, 2 rooms of 40 seats × 2 slots. */
  function classes(seating: "together" | "spread"): AllocationInput {
    const r = rng(5);
    const batches: AllocBatch[] = [];
    let id = 1;
    for (const room of ["01", "02"])
      [480, 620].forEach((start, i) =>
        batches.push({
          id: id++,
          room_number: room,
          seq: i + 1,
          exam_date: "2027-03-27",
          start_min: start,
          end_min: start + 120,
          capacity: 40,
        }),
      );
    const entries: AllocEntry[] = [];
    const names = ["计科2401", "计科2402", "会计2401", "会计2402"];
    // Registrations arrive mixed, as they do from a school's spreadsheet.
    const regs = Array.from({ length: 140 }, (_, i) => ({ reg: i + 1, cls: i < 120 ? names[i % 4] : "" })).sort(
      () => r() - 0.5,
    );
    regs.forEach((x, i) =>
      entries.push({ id: i + 1, registration_id: x.reg, subject_code: "14", preferred_date: null, class_name: x.cls }),
    );
    return { batches, entries, subjects: SUBJECTS, classSeating: seating };
  }
  const seatPlan = (input: AllocationInput, placements: { entry_id: number; batch_id: number; seat: number }[]) => {
    const cls = new Map(input.entries.map((e) => [e.id, e.class_name ?? ""]));
    const byBatch = new Map<number, string[]>();
    for (const p of [...placements].sort((a, b) => a.batch_id - b.batch_id || a.seat - b.seat))
      byBatch.set(p.batch_id, [...(byBatch.get(p.batch_id) ?? []), cls.get(p.entry_id)!]);
    return [...byBatch.values()];
  };

  it("SCH-2 together: each class sits in one block of consecutive seats, and in as few time slots as the optimum allows", () => {
    const input = classes("together");
    const r = allocate(input, solve);
    expect(validateAllocation(input, r.placements)).toEqual([]);
    expect(r.placements.length).toBe(r.bound.placed);
    const plan = seatPlan(input, r.placements);
    for (const seats of plan) {
      // A class's seats form one run: after its last seat it never appears again in the batch.
      const seen = new Set<string>();
      seats.forEach((c, i) => {
        if (i > 0 && seats[i - 1] !== c) {
          expect(seen.has(c), `${c} split in ${seats.join(",")}`).toBe(false);
        }
        seen.add(c);
      });
    }
    // 30 students of a class fit in one slot (80 seats): each class is in exactly one slot, unless the
    // slot boundary cuts one (120 + 20 = 140 entries over two slots of 80: at most one class is cut).
    const slotOf = new Map(input.batches.map((b) => [b.id, b.start_min]));
    const cls = new Map(input.entries.map((e) => [e.id, e.class_name ?? ""]));
    const slotsPerClass = new Map<string, Set<number>>();
    for (const p of r.placements) {
      const c = cls.get(p.entry_id)!;
      if (c) slotsPerClass.set(c, new Set([...(slotsPerClass.get(c) ?? []), slotOf.get(p.batch_id)!]));
    }
    expect([...slotsPerClass.values()].filter((s) => s.size > 1).length).toBeLessThanOrEqual(1);
  });

  it("SCH-2 spread: no two neighbouring seats hold classmates, and the plan is as optimal as the together one", () => {
    const input = classes("spread");
    const r = allocate(input, solve);
    const together = allocate(classes("together"), solve);
    expect(validateAllocation(input, r.placements)).toEqual([]);
    expect([r.placements.length, r.onDate]).toEqual([together.placements.length, together.onDate]);
    for (const seats of seatPlan(input, r.placements))
      seats.forEach((c, i) => {
        if (i > 0 && c !== "") expect(seats[i - 1], `seat ${i + 1}`).not.toBe(c);
      });
    // Each class is spread over both slots, not kept in one.
    const slotOf = new Map(input.batches.map((b) => [b.id, b.start_min]));
    const cls = new Map(input.entries.map((e) => [e.id, e.class_name ?? ""]));
    const slots = new Map<string, Set<number>>();
    for (const p of r.placements) {
      const c = cls.get(p.entry_id)!;
      if (c) slots.set(c, new Set([...(slots.get(c) ?? []), slotOf.get(p.batch_id)!]));
    }
    for (const [c, s] of slots) expect(s.size, c).toBe(2);
    // Same input, same plan.
    expect(JSON.stringify(allocate(classes("spread"), solve))).toBe(JSON.stringify(r));
  });

  it("SCH-2: the class option never decides who is placed: with too few seats the earliest registered keep theirs", () => {
    const batch: AllocBatch = {
      id: 1,
      room_number: "01",
      seq: 1,
      exam_date: "2027-03-27",
      start_min: 480,
      end_min: 600,
      capacity: 3,
    };
    for (const seating of ["together", "spread"] as const) {
      const input: AllocationInput = {
        batches: [batch],
        subjects: SUBJECTS,
        classSeating: seating,
        entries: ["Z", "Z", "A", "A", "A"].map((c, i) => ({
          id: i + 1,
          registration_id: i + 1,
          subject_code: "14",
          preferred_date: null,
          class_name: c,
        })),
      };
      const r = allocate(input, solve);
      expect(r.placements.map((p) => p.entry_id).sort(), seating).toEqual([1, 2, 3]);
      expect(
        r.unplaced.map((u) => u.entry_id),
        seating,
      ).toEqual([4, 5]);
    }
  });

  it("SCH-2 spread: with one class too large to separate, it is still kept apart wherever another class is left", () => {
    const order = orderByClass(["a1", "a2", "a3", "a4", "b1", "c1"], (x) => x[0], "spread");
    expect(order).toEqual(["a1", "b1", "a2", "c1", "a3", "a4"]);
    expect(orderByClass(["b1", "x", "a1", "b2"], (x) => (x === "x" ? "" : x[0]), "together")).toEqual([
      "a1",
      "b1",
      "b2",
      "x",
    ]);
  });
});

describe("manual allocation (SCH-3)", () => {
  const input = instance(5, { candidates: 8, rooms: 1, seats: 3 });
  const day1 = input.batches.filter((b) => b.exam_date === "2027-03-27");

  it("SCH-3: the chosen entries go into the chosen batch on the lowest free seats; a second candidate subject at the same time is refused", () => {
    const mine = input.entries.filter((e) => e.registration_id === input.entries[0].registration_id);
    const r = placeSelected(input, [], [input.entries[0].id], day1[0].id);
    expect(r.placements).toEqual([{ entry_id: input.entries[0].id, batch_id: day1[0].id, seat: 1 }]);
    expect(validateAllocation(input, r.placements)).toEqual([]);
    if (mine.length > 1) {
      const again = placeSelected(input, r.placements, [mine[1].id], day1[0].id);
      expect(again.refused).toEqual([{ entry_id: mine[1].id, reason: "gap" }]);
    }
    expect(placeSelected(input, r.placements, [input.entries[0].id], day1[1].id).refused).toEqual([
      { entry_id: input.entries[0].id, reason: "already" },
    ]);
  });

  it("SCH-3: a full batch refuses the rest; an unknown entry or batch is refused, never placed", () => {
    const singles = [...new Map(input.entries.map((e) => [e.registration_id, e])).values()]
      .filter((e) => e.subject_code !== "41")
      .slice(0, 5);
    const r = placeSelected(
      input,
      [],
      singles.map((e) => e.id),
      day1[0].id,
    );
    expect(r.placements.map((p) => p.seat)).toEqual([1, 2, 3]);
    expect(r.refused.map((x) => x.reason)).toEqual(["full", "full"]);
    expect(validateAllocation(input, r.placements)).toEqual([]);
    expect(placeSelected(input, [], [999_999], day1[0].id).refused).toEqual([{ entry_id: 999_999, reason: "unknown" }]);
    expect(placeSelected(input, [], [singles[0].id], 999_999).placements).toEqual([]);
  });
});
