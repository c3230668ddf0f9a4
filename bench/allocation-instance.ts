import type { AllocationInput, AllocBatch, AllocEntry } from "../app/domain/allocation";
import type { ExamRange } from "../app/domain/rooms";
import { seededRandom as rng } from "../tests/factories/random";

// The allocation bench's instance (issue 16): 40 rooms of 38–50 seats × 12 batches over 3 days (the
// 120-minute day at 08:00 / 10:20 / 12:40 / 15:00), about 15,000 candidates with 1–3 entries, 30–50 %
// with a preferred date (most on day 1), level-3 subjects on days 1–2 and level-4 on day 1 only.
// Shared by the pure run (bench/allocation.ts) and the end-to-end run on PostgreSQL (allocation-child.ts).

const DAYS = ["2027-03-27", "2027-03-28", "2027-03-29"];
const TIMES = [480, 620, 760, 900];

export const SUBJECTS: ExamRange[] = [
  ...["14", "15", "16", "24", "26", "28", "29", "61", "63", "64", "65", "66"].map((code) => ({
    subject_code: code,
    exam_start: DAYS[0],
    exam_end: DAYS[2],
    minutes: 120,
  })),
  ...["35", "36", "38", "39"].map((code) => ({
    subject_code: code,
    exam_start: DAYS[0],
    exam_end: DAYS[1],
    minutes: 120,
  })),
  ...["41", "42", "43", "44", "45"].map((code) => ({
    subject_code: code,
    exam_start: DAYS[0],
    exam_end: DAYS[0],
    minutes: 90,
  })),
];

export function instance(seed: number, load: number, subjects: readonly ExamRange[] = SUBJECTS): AllocationInput {
  const r = rng(seed);
  const batches: AllocBatch[] = [];
  let id = 1;
  for (let room = 1; room <= 40; room++) {
    const seats = 38 + Math.floor(r() * 13);
    let seq = 0;
    for (const day of DAYS)
      for (const start of TIMES)
        batches.push({
          id: id++,
          room_number: String(room).padStart(2, "0"),
          seq: ++seq,
          exam_date: day,
          start_min: start,
          end_min: start + 120,
          capacity: seats,
        });
  }
  const seats = batches.reduce((a, b) => a + b.capacity, 0);
  const target = Math.round(seats * load);
  const entries: AllocEntry[] = [];
  const popular = subjects.map((s, i) => ({ s, w: i < 12 ? 6 : i < 16 ? 2 : 1 }));
  const totalW = popular.reduce((a, p) => a + p.w, 0);
  const pickSubject = () => {
    let x = r() * totalW;
    for (const p of popular) if ((x -= p.w) < 0) return p.s.subject_code;
    return popular[0].s.subject_code;
  };
  let reg = 0;
  let eid = 1;
  const preferredShare = 0.3 + r() * 0.2;
  while (entries.length < target) {
    reg++;
    const x = r();
    const n = Math.min(x < 0.7 ? 1 : x < 0.95 ? 2 : 3, target - entries.length);
    const codes = new Set<string>();
    while (codes.size < n) codes.add(pickSubject());
    const preferred = r() < preferredShare ? (r() < 0.7 ? DAYS[0] : r() < 0.5 ? DAYS[1] : DAYS[2]) : null;
    for (const code of codes)
      entries.push({ id: eid++, registration_id: reg, subject_code: code, preferred_date: preferred });
  }
  return { batches, entries, subjects: SUBJECTS };
}

/** The bench's subjects and exam ranges (minutes as the instance assumes them). */
export const benchSubjects = () => SUBJECTS.map((s) => ({ ...s }));
