// SCH-2/SCH-4 (manual §三十一): automatic allocation as an exact optimisation (decision 0032).
// Pure: the LP solver is passed in, so the model, the split into candidates, the seats and the
// validator are tested here without a database or a solver process.

import { batchFitsSubject, farEnoughApart, type BatchTimes, type ExamRange } from "./rooms";

export interface AllocBatch extends BatchTimes {
  id: number;
  room_number: string;
  seq: number;
  capacity: number;
}

export interface AllocEntry {
  id: number;
  registration_id: number;
  subject_code: string;
  preferred_date: string | null;
  /** The candidate's class (班级); empty for none. */
  class_name?: string;
}

/**
 * SCH-2's site option for classmates: "together" seats a class side by side (in the same time
 * slot where the optimum allows, in consecutive seats); "spread" interleaves classes so that
 * neighbouring seats hold different classes wherever the mix allows. Neither changes how many are
 * placed or on their date: only who gets which of the optimum's seats.
 */
export const CLASS_SEATINGS = ["together", "spread"] as const;
export type ClassSeating = (typeof CLASS_SEATINGS)[number];

export interface AllocationInput {
  batches: readonly AllocBatch[];
  entries: readonly AllocEntry[];
  subjects: readonly ExamRange[];
  classSeating?: ClassSeating;
}

export interface Placement {
  entry_id: number;
  batch_id: number;
  seat: number;
}

export interface AllocationResult {
  placements: Placement[];
  /** Entries left without a seat, each with why (SCH-4: the reason for every unplaced entry). */
  unplaced: Array<{ entry_id: number; reason: UnplacedReason }>;
  /** The most entries any allocation can place, and then on their preferred date (the LP's proof). */
  bound: { placed: number; onDate: number };
  onDate: number;
}

export type UnplacedReason = "no_batch" | "full";

/**
 * The allocation LP: maximise colCost·x subject to, for each row r, the sum of its columns ≤
 * rowUpper[r] (rows in compressed sparse form, every coefficient 1) and x ≥ 0.
 */
export interface LpModel {
  numCols: number;
  colCost: Float64Array;
  rowUpper: Float64Array;
  /** Row r's columns are rowIndices[rowStarts[r] … rowStarts[r + 1]). */
  rowStarts: Int32Array;
  rowIndices: Int32Array;
}

/** A solver of an LpModel: every column's value, or null when it found no optimum. */
export type LpSolver = (model: LpModel, opts: { integer: boolean }) => Float64Array | null;

/** Batches that start and end together form one time slot: seats in it are interchangeable. */
interface Slot extends BatchTimes {
  index: number;
  capacity: number;
  batches: AllocBatch[];
}

const slotKey = (b: BatchTimes) => `${b.exam_date} ${b.start_min} ${b.end_min}`;

function slotsOf(batches: readonly AllocBatch[]): Slot[] {
  const byKey = new Map<string, Slot>();
  for (const b of batches) {
    const k = slotKey(b);
    let s = byKey.get(k);
    if (!s) {
      s = { exam_date: b.exam_date, start_min: b.start_min, end_min: b.end_min, index: 0, capacity: 0, batches: [] };
      byKey.set(k, s);
    }
    s.capacity += b.capacity;
    s.batches.push(b);
  }
  const slots = [...byKey.values()].sort(
    (a, b) => a.exam_date.localeCompare(b.exam_date) || a.start_min - b.start_min || a.end_min - b.end_min,
  );
  slots.forEach((s, i) => {
    s.index = i;
    // SCH-2 "rooms filled in room order".
    s.batches.sort((a, b) => a.room_number.localeCompare(b.room_number) || a.seq - b.seq);
  });
  return slots;
}

/**
 * The sets of slots one candidate can use at most once: slots too close to be sat by one person
 * (overlapping, or under 15 minutes apart) all contain a common instant of their interval widened
 * by 15 minutes, so the cliques are read at each slot's start. With a regular timetable every
 * clique is a single slot.
 */
function conflictCliques(slots: readonly Slot[]): number[][] {
  const cliques = new Map<string, number[]>();
  for (const p of slots) {
    const members = slots
      .filter((s) => s.exam_date === p.exam_date && s.start_min <= p.start_min && p.start_min < s.end_min + 15)
      .map((s) => s.index);
    cliques.set(members.join(","), members);
  }
  // Keep the maximal ones only.
  const all = [...cliques.values()];
  return all.filter((c) => !all.some((d) => d.length > c.length && c.every((x) => d.includes(x))));
}

/** Candidates with the same subjects and preferred date are one type: the model counts them, not names them. */
interface CandidateType {
  index: number;
  subjects: string[];
  preferred: string | null;
  registrations: number[];
  /** Entry id by registration and subject. */
  entryOf: Map<string, number>;
}

function typesOf(entries: readonly AllocEntry[]): CandidateType[] {
  const byReg = new Map<number, AllocEntry[]>();
  for (const e of entries) {
    const list = byReg.get(e.registration_id) ?? [];
    list.push(e);
    byReg.set(e.registration_id, list);
  }
  const types = new Map<string, CandidateType>();
  for (const regId of [...byReg.keys()].sort((a, b) => a - b)) {
    const list = byReg.get(regId)!;
    const subjects = [...new Set(list.map((e) => e.subject_code))].sort();
    const preferred = list[0].preferred_date;
    const key = `${subjects.join("+")}|${preferred ?? ""}`;
    let t = types.get(key);
    if (!t) {
      t = { index: 0, subjects, preferred, registrations: [], entryOf: new Map() };
      types.set(key, t);
    }
    t.registrations.push(regId);
    for (const e of list) t.entryOf.set(`${regId}:${e.subject_code}`, e.id);
  }
  const out = [...types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
  out.forEach((t, i) => (t.index = i));
  return out;
}

const bySlots = (a: readonly number[], b: readonly number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
};

const byClassName = (a: string, b: string) => (a === "" ? 1 : 0) - (b === "" ? 1 : 0) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Items (already in a fixed order) in class order for "together" (no class last), or interleaved
 * for "spread": each next item from the class with the most left that differs from the previous
 * one (ties by class name), which keeps two classmates apart wherever the mix allows.
 */
export function orderByClass<T>(items: readonly T[], classOf: (x: T) => string, seating: ClassSeating): T[] {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const c = classOf(x);
    const g = groups.get(c);
    if (g) g.push(x);
    else groups.set(c, [x]);
  }
  const names = [...groups.keys()].sort(byClassName);
  if (seating === "together") return names.flatMap((c) => groups.get(c)!);
  const left = names.map((c) => ({ c, items: groups.get(c)!, next: 0 }));
  const out: T[] = [];
  let prev: string | null = null;
  for (let n = 0; n < items.length; n++) {
    let pick: (typeof left)[number] | null = null;
    for (const g of left) {
      const rest = g.items.length - g.next;
      if (rest === 0) continue;
      // A class's own members are unrelated when it has no name: they may sit side by side.
      const blocked = g.c !== "" && g.c === prev;
      const best = pick ? pick.items.length - pick.next : -1;
      const pickBlocked = pick !== null && pick.c !== "" && pick.c === prev;
      if (!pick || (pickBlocked && !blocked) || (blocked === pickBlocked && rest > best)) pick = g;
    }
    out.push(pick!.items[pick!.next++]);
    prev = pick!.c;
  }
  return out;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/**
 * SCH-2 as a network-flow LP (research/logistics-anchors.md §1.2): y[k,j,t] candidates of type k sit
 * subject j in slot t (only where the slot fits the subject); a type uses each clique of conflicting
 * slots at most once per candidate; a slot holds at most its seats. The objective places as many
 * entries as possible and, among those allocations, as many on their preferred date as possible
 * ("place everyone first", decision 0032): a placed entry is worth more than all on-date bonuses.
 */
export function buildAllocationModel(input: AllocationInput) {
  const slots = slotsOf(input.batches);
  const types = typesOf(input.entries);
  const ranges = new Map(input.subjects.map((s) => [s.subject_code, s]));
  const weight = input.entries.length + 1;
  // Columns: one per (type, subject, fitting slot); rows: lists of columns, each summing ≤ its bound.
  const vk: number[] = [];
  const vj: number[] = [];
  const vt: number[] = [];
  const cost: number[] = [];
  const rows: number[][] = [];
  const rowUpper: number[] = [];
  const bySlot = new Map<number, number[]>();
  const cliques = conflictCliques(slots);
  for (const type of types) {
    const n = type.registrations.length;
    const inClique = new Map<number, number[]>();
    type.subjects.forEach((code, j) => {
      const range = ranges.get(code);
      const mine: number[] = [];
      for (const s of slots) {
        if (!range || !batchFitsSubject(s, range)) continue;
        const col = vk.length;
        vk.push(type.index);
        vj.push(j);
        vt.push(s.index);
        cost.push(weight + (type.preferred === s.exam_date ? 1 : 0));
        mine.push(col);
        push(bySlot, s.index, col);
        push(inClique, s.index, col);
      }
      if (mine.length) {
        rows.push(mine);
        rowUpper.push(n);
      }
    });
    if (type.subjects.length > 1)
      for (const c of cliques) {
        const cols = c.flatMap((t) => inClique.get(t) ?? []);
        if (cols.length > 1) {
          rows.push(cols);
          rowUpper.push(n);
        }
      }
  }
  for (const s of slots) {
    const cols = bySlot.get(s.index);
    if (cols && cols.length) {
      rows.push(cols);
      rowUpper.push(s.capacity);
    }
  }
  const starts = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (starts[i + 1] = starts[i] + r.length));
  const indices = new Int32Array(starts[rows.length]);
  rows.forEach((r, i) => indices.set(r, starts[i]));
  const model: LpModel = {
    numCols: vk.length,
    colCost: Float64Array.from(cost),
    rowUpper: Float64Array.from(rowUpper),
    rowStarts: starts,
    rowIndices: indices,
  };
  return { model, vars: { k: vk, j: vj, t: vt }, slots, types, weight };
}

/** The LP in CPLEX LP text, to read or to hand to another solver by hand. */
export function lpText(model: LpModel): string {
  const x = (c: number) => `x${c}`;
  const lines = ["Maximize", ` obj: ${Array.from(model.colCost, (c, i) => `${c} ${x(i)}`).join(" + ")}`, "Subject To"];
  for (let r = 0; r + 1 < model.rowStarts.length; r++) {
    const cols = Array.from(model.rowIndices.subarray(model.rowStarts[r], model.rowStarts[r + 1]), x);
    lines.push(` r${r}: ${cols.join(" + ")} <= ${model.rowUpper[r]}`);
  }
  lines.push("End");
  return lines.join("\n");
}

/**
 * Splits a type's counts into its candidates: each candidate in turn takes one slot per subject (or
 * none) so that every slot still needed by all remaining candidates ("tight") is taken now. With a
 * regular timetable this always succeeds (König); with conflicting slots a candidate who cannot
 * be given a compatible set keeps only what fits, and the rest is reported unplaced.
 */
function splitType(type: CandidateType, counts: number[][], slots: readonly Slot[]): Map<number, Array<number | null>> {
  const n = type.registrations.length;
  const m = type.subjects.length;
  const left = counts.map((row) => [...row]);
  const none = left.map((row) => n - row.reduce((a, b) => a + b, 0));
  const out = new Map<number, Array<number | null>>();
  const compatible = (picked: Array<number | null>, t: number) =>
    picked.every((p) => p === null || (p !== t && farEnoughApart(slots[p], slots[t])));
  type.registrations.forEach((reg, i) => {
    const r = n - i;
    const tight = new Set<number>();
    for (let t = 0; t < slots.length; t++) if (left.reduce((sum, row) => sum + row[t], 0) >= r) tight.add(t);
    const picked: Array<number | null> = new Array(m).fill(null);
    const search = (j: number): boolean => {
      if (j === m) return [...tight].every((t) => picked.includes(t));
      const options: Array<number | null> = [];
      for (const t of tight) if (left[j][t] > 0) options.push(t);
      for (let t = 0; t < slots.length; t++) if (!tight.has(t) && left[j][t] > 0) options.push(t);
      // A subject whose every remaining candidate needs a slot cannot go without one.
      if (none[j] > 0) options.push(null);
      for (const t of options) {
        if (t !== null && !compatible(picked, t)) continue;
        picked[j] = t;
        if (search(j + 1)) return true;
      }
      picked[j] = null;
      return false;
    };
    if (!search(0)) {
      // Conflicting slots (an irregular timetable): keep a compatible part, greedily.
      picked.fill(null);
      for (let j = 0; j < m; j++)
        for (let t = 0; t < slots.length; t++)
          if (left[j][t] > 0 && compatible(picked, t)) {
            picked[j] = t;
            break;
          }
    }
    picked.forEach((t, j) => {
      if (t === null) none[j]--;
      else left[j][t]--;
    });
    out.set(reg, [...picked]);
  });
  return out;
}

/**
 * SCH-2: the allocation: the LP's counts split into candidates, then seats 01 … NN in each batch,
 * rooms in order, entries in a fixed order (by the site's class seating, then subject, then
 * registration), so the same input gives the same plan.
 */
export function allocate(input: AllocationInput, solve: LpSolver): AllocationResult {
  const { model, vars, slots, types, weight } = buildAllocationModel(input);
  let values = model.numCols ? solve(model, { integer: false }) : new Float64Array(0);
  if (values && values.some((x) => Math.abs(x - Math.round(x)) > 1e-6))
    // Conflicting slots can make the LP fractional: the same model in integers.
    values = solve(model, { integer: true });
  if (!values) throw new Error("allocation model has no solution");
  const counts = types.map((t) => t.subjects.map(() => new Array<number>(slots.length).fill(0)));
  let objective = 0;
  for (let c = 0; c < model.numCols; c++) {
    const x = Math.round(values[c]);
    counts[vars.k[c]][vars.j[c]][vars.t[c]] = x;
    objective += x * model.colCost[c];
  }
  const placedBound = Math.floor(objective / weight);
  const bound = { placed: placedBound, onDate: objective - placedBound * weight };

  // Candidates to slots.
  const inSlot = new Map<number, Array<{ entry_id: number; subject: string; reg: number; cls: string }>>();
  const unplaced: AllocationResult["unplaced"] = [];
  const ranges = new Map(input.subjects.map((s) => [s.subject_code, s]));
  const classOf = new Map(input.entries.map((e) => [e.id, e.class_name ?? ""]));
  const classOfReg = new Map(input.entries.map((e) => [e.registration_id, e.class_name ?? ""]));
  const seating = input.classSeating ?? "together";
  for (const type of types) {
    const split = splitType(type, counts[type.index], slots);
    // Who is placed stays in registration order (the earliest registered first); among a type's
    // fully placed candidates, who gets which set of slots follows the class option: the sets in
    // slot order, handed out in class order (classmates share slots) or interleaved (spread).
    const full = type.registrations.filter((reg) => split.get(reg)!.every((t) => t !== null));
    if (full.length > 1) {
      const sets = full.map((reg) => split.get(reg)! as number[]).sort(bySlots);
      orderByClass(full, (reg) => classOfReg.get(reg)!, seating).forEach((reg, i) => split.set(reg, sets[i]));
    }
    for (const reg of type.registrations) {
      split.get(reg)!.forEach((t, j) => {
        const code = type.subjects[j];
        const entryId = type.entryOf.get(`${reg}:${code}`)!;
        if (t === null) {
          const range = ranges.get(code);
          unplaced.push({
            entry_id: entryId,
            reason: range && slots.some((s) => batchFitsSubject(s, range)) ? "full" : "no_batch",
          });
        } else {
          const list = inSlot.get(t);
          const item = { entry_id: entryId, subject: code, reg, cls: classOf.get(entryId) ?? "" };
          if (list) list.push(item);
          else inSlot.set(t, [item]);
        }
      });
    }
  }

  // Slots to batches and seats.
  const placements: Placement[] = [];
  let onDate = 0;
  const preferredOf = new Map(input.entries.map((e) => [e.id, e.preferred_date]));
  for (const slot of slots) {
    const list = orderByClass(
      (inSlot.get(slot.index) ?? []).sort((a, b) => a.subject.localeCompare(b.subject) || a.reg - b.reg),
      (x) => x.cls,
      input.classSeating ?? "together",
    );
    let i = 0;
    for (const batch of slot.batches)
      for (let seat = 1; seat <= batch.capacity && i < list.length; seat++, i++) {
        placements.push({ entry_id: list[i].entry_id, batch_id: batch.id, seat });
        if (preferredOf.get(list[i].entry_id) === slot.exam_date) onDate++;
      }
  }
  placements.sort((a, b) => a.entry_id - b.entry_id);
  unplaced.sort((a, b) => a.entry_id - b.entry_id);
  return { placements, unplaced, bound, onDate };
}

export type Violation =
  | { rule: "capacity"; batch_id: number }
  | { rule: "seat"; batch_id: number; seat: number }
  | { rule: "subject"; entry_id: number }
  | { rule: "gap"; entry_id: number; other: number }
  | { rule: "twice"; entry_id: number };

/**
 * SCH-2's validator, run on every result before it is written: no batch over capacity, no seat
 * twice, every entry in a batch that fits its subject, and a candidate's entries never overlapping
 * and at least 15 minutes apart.
 */
export function validateAllocation(input: AllocationInput, placements: readonly Placement[]): Violation[] {
  const out: Violation[] = [];
  const batches = new Map(input.batches.map((b) => [b.id, b]));
  const entries = new Map(input.entries.map((e) => [e.id, e]));
  const ranges = new Map(input.subjects.map((s) => [s.subject_code, s]));
  const used = new Map<number, Set<number>>();
  const seen = new Set<number>();
  const byReg = new Map<number, Array<{ entry: number; batch: AllocBatch }>>();
  for (const p of placements) {
    const b = batches.get(p.batch_id);
    const e = entries.get(p.entry_id);
    if (!b || !e) {
      out.push({ rule: "subject", entry_id: p.entry_id });
      continue;
    }
    if (seen.has(p.entry_id)) out.push({ rule: "twice", entry_id: p.entry_id });
    seen.add(p.entry_id);
    const seats = used.get(b.id) ?? new Set<number>();
    if (seats.has(p.seat) || p.seat < 1 || p.seat > b.capacity)
      out.push({ rule: "seat", batch_id: b.id, seat: p.seat });
    seats.add(p.seat);
    used.set(b.id, seats);
    const range = ranges.get(e.subject_code);
    if (!range || !batchFitsSubject(b, range)) out.push({ rule: "subject", entry_id: e.id });
    const mine = byReg.get(e.registration_id) ?? [];
    for (const o of mine) if (!farEnoughApart(o.batch, b)) out.push({ rule: "gap", entry_id: e.id, other: o.entry });
    mine.push({ entry: e.id, batch: b });
    byReg.set(e.registration_id, mine);
  }
  for (const [id, seats] of used)
    if (seats.size > batches.get(id)!.capacity) out.push({ rule: "capacity", batch_id: id });
  return out;
}

export type ManualRefusal = "already" | "subject" | "gap" | "full" | "unknown";

/**
 * SCH-3 (manual §三十一 4): the chosen entries into one chosen batch, with the same checks as the
 * automatic allocation: the batch fits the subject, the candidate's other entries stay 15 minutes
 * away, a free seat (the lowest numbers first). Each entry that cannot go is refused with its reason;
 * the others are placed.
 */
export function placeSelected(
  input: AllocationInput,
  current: readonly Placement[],
  entryIds: readonly number[],
  batchId: number,
): { placements: Placement[]; refused: Array<{ entry_id: number; reason: ManualRefusal }> } {
  const batch = input.batches.find((b) => b.id === batchId);
  const entries = new Map(input.entries.map((e) => [e.id, e]));
  const ranges = new Map(input.subjects.map((s) => [s.subject_code, s]));
  const batches = new Map(input.batches.map((b) => [b.id, b]));
  const placed = new Map(current.map((p) => [p.entry_id, p]));
  const taken = new Set(current.filter((p) => p.batch_id === batchId).map((p) => p.seat));
  const refused: Array<{ entry_id: number; reason: ManualRefusal }> = [];
  const out: Placement[] = [];
  const ids = [...new Set(entryIds)];
  for (const id of ids) if (!entries.has(id) || !batch) refused.push({ entry_id: id, reason: "unknown" });
  // Same order every time: by candidate, then subject.
  const chosen = batch
    ? ids
        .filter((id) => entries.has(id))
        .map((id) => entries.get(id)!)
        .sort((a, b) => a.registration_id - b.registration_id || a.subject_code.localeCompare(b.subject_code))
    : [];
  for (const e of chosen) {
    if (placed.has(e.id)) {
      refused.push({ entry_id: e.id, reason: "already" });
      continue;
    }
    const range = ranges.get(e.subject_code);
    if (!range || !batchFitsSubject(batch!, range)) {
      refused.push({ entry_id: e.id, reason: "subject" });
      continue;
    }
    const mine = [...placed.values()].filter((p) => entries.get(p.entry_id)?.registration_id === e.registration_id);
    if (mine.some((p) => !farEnoughApart(batches.get(p.batch_id)!, batch!))) {
      refused.push({ entry_id: e.id, reason: "gap" });
      continue;
    }
    let seat = 1;
    while (taken.has(seat)) seat++;
    if (seat > batch!.capacity) {
      refused.push({ entry_id: e.id, reason: "full" });
      continue;
    }
    taken.add(seat);
    const p = { entry_id: e.id, batch_id: batchId, seat };
    placed.set(e.id, p);
    out.push(p);
  }
  return { placements: out, refused };
}
