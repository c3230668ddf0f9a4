import { createHash } from "node:crypto";
import fs from "node:fs";
import { memStatus, printResult, runAsScript } from "./child";
import { instance, benchSubjects } from "./allocation-instance";

// The child of bench/allocation.ts for the end-to-end figure (issue 16): on a scratch PostgreSQL
// database (DATABASE_URL) seeded with the demo, 990101 gets the bench's rooms, batches and paid
// entries; then the real service allocates (load, solve, validate, write in one transaction), a
// second run checks the stored plan is identical, and admission numbers are generated and written.
// Peak RSS is measured from just before the first allocation (VmHWM reset through clear_refs).

await runAsScript(import.meta.url, "allocation-child", async ([seedArg, loadArg]) => {
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { sql } = await import("kysely");
  const { allocateSite } = await import("../app/services/allocate-site.server");
  const { generateAdmissionNumbers } = await import("../app/services/generate-admission-numbers.server");
  const { idCheckCharacter } = await import("../app/domain/id-number");
  await boot({ seed: true, runJobs: false });
  const db = getDb();
  const { sittingId, siteId } = (
    await sql<{ sittingId: number; siteId: number }>`
      select s.id as "sittingId", o.id as "siteId" from sitting s, org o where s.is_current and o.code = '990101'`.execute(
      db,
    )
  ).rows[0];

  // The bench's subjects, with their exam ranges, offered at 990101 (the demo's own offer replaced).
  const known = new Set((await db.selectFrom("subject").select("code").execute()).map((r) => r.code));
  const subjects = benchSubjects().filter((s) => known.has(s.subject_code));
  await db.deleteFrom("site_subject").where("sitting_id", "=", sittingId).where("org_id", "=", siteId).execute();
  await db
    .insertInto("site_subject")
    .values(
      subjects.map((s) => ({
        sitting_id: sittingId,
        org_id: siteId,
        subject_code: s.subject_code,
        exam_start: s.exam_start,
        exam_end: s.exam_end,
        capacity: null,
      })),
    )
    .execute();
  const minutes = new Map(
    (await db.selectFrom("subject").select(["code", "minutes"]).execute()).map((r) => [r.code, r.minutes]),
  );
  const input = instance(
    Number(seedArg),
    Number(loadArg),
    subjects.map((s) => ({ ...s, minutes: minutes.get(s.subject_code)! })),
  );
  await db
    .updateTable("org_sitting")
    .set({ address: "压测路 1 号" })
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .execute();

  // Rooms and batches.
  const rooms = [...new Map(input.batches.map((b) => [b.room_number, b])).values()];
  const roomIds = new Map<string, number>();
  for (const r of rooms) {
    const { id } = await db
      .insertInto("room")
      .values({ sitting_id: sittingId, org_id: siteId, number: r.room_number, location: "", seats: r.capacity })
      .returning("id")
      .executeTakeFirstOrThrow();
    roomIds.set(r.room_number, id);
  }
  await db
    .insertInto("exam_batch")
    .values(
      input.batches.map((b) => ({
        sitting_id: sittingId,
        org_id: siteId,
        room_id: roomIds.get(b.room_number)!,
        seq: b.seq,
        exam_date: b.exam_date,
        start_min: b.start_min,
        end_min: b.end_min,
        capacity: b.capacity,
      })),
    )
    .execute();

  // Registrations (group channel, no accounts) and their paid entries.
  const regs = [...new Map(input.entries.map((e) => [e.registration_id, e.preferred_date])).entries()];
  const regIds = new Map<number, number>();
  for (let i = 0; i < regs.length; i += 5000) {
    const chunk = regs.slice(i, i + 5000);
    const idNumbers = chunk.map(([reg]) => {
      const first17 = `110101${19900101 + Math.floor(reg / 499)}${String((reg % 499) * 2 + 1).padStart(3, "0")}`;
      return first17 + idCheckCharacter(first17);
    });
    const rows = await sql<{ id: number; id_number: string }>`
      insert into registration (sitting_id, org_id, channel, id_type, id_number, name, gender, birth_date, ethnicity, education, class_name, preferred_date)
      select ${sittingId}, ${siteId}, 'group', '1', idn, '压测考生' || ord, '1', date '1990-01-01', '01', '20', 'C' || (ord % 40), pref
      from unnest(${idNumbers}::text[], ${chunk.map(([, p]) => p)}::date[]) with ordinality as t(idn, pref, ord)
      returning id, id_number`.execute(db);
    const byNumber = new Map(rows.rows.map((r) => [r.id_number, r.id]));
    chunk.forEach(([reg], k) => regIds.set(reg, byNumber.get(idNumbers[k])!));
  }
  for (let i = 0; i < input.entries.length; i += 5000) {
    const chunk = input.entries.slice(i, i + 5000);
    await sql`
      insert into entry (registration_id, sitting_id, org_id, subject_code, paid, fee_fen, paid_at)
      select reg, ${sittingId}, ${siteId}, code, true, 12000, now()
      from unnest(${chunk.map((e) => regIds.get(e.registration_id)!)}::int[], ${chunk.map((e) => e.subject_code)}::text[]) as t(reg, code)`.execute(
      db,
    );
  }
  await sql`analyze entry, registration, exam_batch, room`.execute(db);

  const actor = { accountId: null, name: "bench", orgId: siteId, sittingId, ip: null };
  const plan = async () => {
    const rows = await db
      .selectFrom("entry")
      .select(["id", "batch_id", "seat"])
      .where("org_id", "=", siteId)
      .where("sitting_id", "=", sittingId)
      .orderBy("id")
      .execute();
    return createHash("sha256").update(JSON.stringify(rows)).digest("hex");
  };
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM: the peak from here on
  } catch {
    /* not Linux: the peak then includes boot and preparation */
  }
  const rssBeforeKb = memStatus().rssKb;
  const t0 = performance.now();
  const first = await allocateSite(actor, siteId);
  const endToEndMs = performance.now() - t0;
  const hash1 = await plan();
  const t1 = performance.now();
  const second = await allocateSite(actor, siteId);
  const againMs = performance.now() - t1;
  const hash2 = await plan();
  const t2 = performance.now();
  const numbers = await generateAdmissionNumbers(actor, siteId);
  const numbersMs = performance.now() - t2;
  await shutdown();
  printResult({
    entries: first.total,
    placed: first.placed,
    boundPlaced: first.bound.placed,
    onDate: first.onDate,
    boundOnDate: first.bound.onDate,
    endToEndMs: Math.round(endToEndMs),
    againMs: Math.round(againMs),
    samePlan: hash1 === hash2 && second.placed === first.placed,
    numbers,
    rssBeforeKb,
    numbersMs: Math.round(numbersMs),
  });
});
