import fs from "node:fs";
import { Readable } from "node:stream";
import { sql } from "kysely";
import { getDb } from "../db/client";
import { idCheckCharacter } from "../app/domain/id-number";
import { storeStream } from "../app/utils/file-store.server";

/**
 * The benchmarks' allocated, numbered site (bench/cards-child.ts, bench/predata-child.ts): 990101 of
 * the seeded demo given `n` paid entries, each with a photo (one stored JPEG shared), a room and
 * batch (`rooms` rooms of 50 seats, four batches a day for as many days as needed) and a seat, and
 * a 16-digit admission number. Written with unnest, 5,000 rows a statement.
 */
export async function seedNumberedSite(n: number, photoPath: string, rooms = 40) {
  const db = getDb();
  const { sittingId, siteId } = (
    await sql<{ sittingId: number; siteId: number }>`
      select s.id as "sittingId", o.id as "siteId" from sitting s, org o where s.is_current and o.code = '990101'`.execute(
      db,
    )
  ).rows[0];
  await db
    .updateTable("org_sitting")
    .set({ address: "北京市海淀区学院路 37 号" })
    .where("org_id", "=", siteId)
    .execute();
  const perRoom = Math.max(12, Math.ceil(n / rooms / 50));
  const batches: Array<{ id: number; room: string }> = [];
  for (let r = 1; r <= rooms; r++) {
    const room = String(r).padStart(2, "0");
    const { id } = await db
      .insertInto("room")
      .values({ sitting_id: sittingId, org_id: siteId, number: room, location: `实验楼 ${r}`, seats: 50 })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let s = 0; s < perRoom; s++) {
      const day = new Date(Date.UTC(2027, 2, 27 + Math.floor(s / 4))).toISOString().slice(0, 10);
      const b = await db
        .insertInto("exam_batch")
        .values({
          sitting_id: sittingId,
          org_id: siteId,
          room_id: id,
          seq: s + 1,
          exam_date: day,
          start_min: 480 + (s % 4) * 140,
          end_min: 600 + (s % 4) * 140,
          capacity: 50,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      batches.push({ id: b.id, room });
    }
  }
  // Batches filled one after another: room 01's first, then room 01's second … (cards are per room).
  const order = [...batches].sort((a, b) => a.room.localeCompare(b.room) || a.id - b.id);
  const stored = await storeStream(
    { kind: "photo", name: "p.jpg", contentType: "image/jpeg", orgId: siteId, sittingId, createdBy: null },
    Readable.from([fs.readFileSync(photoPath)]),
  );
  for (let from = 0; from < n; from += 5000) {
    const size = Math.min(5000, n - from);
    const idx = Array.from({ length: size }, (_, k) => from + k);
    const ids = idx.map((i) => {
      const first17 = `110101${19900101 + Math.floor(i / 499)}${String((i % 499) * 2 + 1).padStart(3, "0")}`;
      return first17 + idCheckCharacter(first17);
    });
    const photos = await sql<{ id: number; id_number: string }>`
      insert into photo (sitting_id, org_id, id_number, file_id, width, height, bytes)
      select ${sittingId}, ${siteId}, idn, ${stored.id}, 360, 480, ${stored.size}
      from unnest(${ids}::text[]) as t(idn) returning id, id_number`.execute(db);
    const photoOf = new Map(photos.rows.map((p) => [p.id_number, p.id]));
    const regs = await sql<{ id: number; id_number: string }>`
      insert into registration (sitting_id, org_id, channel, id_type, id_number, name, gender, birth_date, ethnicity, education, class_name, photo_id)
      select ${sittingId}, ${siteId}, 'group', '1', idn, '压测考生' || ord, '1', date '1990-01-01', '01', '20', '计科' || (ord % 30), pid
      from unnest(${ids}::text[], ${ids.map((x) => photoOf.get(x)!)}::int[]) with ordinality as t(idn, pid, ord)
      returning id, id_number`.execute(db);
    const regOf = new Map(regs.rows.map((r) => [r.id_number, r.id]));
    const batchOf = (i: number) => order[Math.floor(i / 50)];
    await sql`
      insert into entry (registration_id, sitting_id, org_id, subject_code, paid, fee_fen, paid_at, batch_id, seat, admission_no)
      select reg, ${sittingId}, ${siteId}, '14', true, 12000, now(), bid, seat, no
      from unnest(${ids.map((x) => regOf.get(x)!)}::int[], ${idx.map((i) => batchOf(i).id)}::int[],
        ${idx.map((i) => (i % 50) + 1)}::int[], ${idx.map((i) => `14799901${batchOf(i).room}${String(i + 1).padStart(6, "0")}`)}::text[])
        as t(reg, bid, seat, no)`.execute(db);
  }
  await sql`analyze entry, registration, photo`.execute(db);
  return { sittingId, siteId };
}
