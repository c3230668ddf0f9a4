import fs from "node:fs";
import path from "node:path";
import * as roomsRoute from "../../app/routes/admin.rooms._index";
import * as allocationRoute from "../../app/routes/admin.allocation";
import * as admissionRoute from "../../app/routes/admin.admission-numbers";
import { localPathOf } from "../../app/utils/file-store.server";
import { waitForInlineIdle } from "../../jobs/runner";
import { makeRegistration } from "./registrations";
import { getDb } from "../../db/client";
import { act } from "./index";

/**
 * A site ready to allocate, made through the rooms page as its administrator: the given rooms, the
 * manual's three 120-minute batches (08:00, 10:30, 13:00) on one exam day, and the site's address (SCH-1).
 */
export async function roomsReady(
  cookie: string,
  o: { siteId: number; sittingId: number; rooms: ReadonlyArray<{ number: string; seats: number }>; day?: string },
) {
  for (const r of o.rooms)
    await act(roomsRoute, "/admin/rooms", cookie, {
      intent: "save-room",
      number: r.number,
      location: "",
      seats: r.seats,
    });
  const rooms = await getDb()
    .selectFrom("room")
    .select("id")
    .where("org_id", "=", o.siteId)
    .where("sitting_id", "=", o.sittingId)
    .execute();
  await act(roomsRoute, "/admin/rooms", cookie, {
    intent: "timetable",
    room: rooms.map((r) => r.id),
    day: [o.day ?? "2027-03-27"],
    start: "08:00",
    count: 3,
    minutes: 120,
    gap: 30,
    capacity: "",
  });
  await getDb()
    .updateTable("org_sitting")
    .set({ address: "测试路 1 号" })
    .where("org_id", "=", o.siteId)
    .where("sitting_id", "=", o.sittingId)
    .execute();
}

/**
 * A site in exam week, made as its administrator would: rooms with the three-batch day, the given
 * candidates registered and paid (those with `photo` bytes have them stored as their photo file),
 * allocated and numbered (ADM-1); then the pre-exam downloads window opened if asked.
 */
export async function numberedSite(
  cookie: string,
  o: {
    siteId: number;
    sittingId: number;
    rooms: ReadonlyArray<{ number: string; seats: number }>;
    candidates: ReadonlyArray<{ name: string; subjects: readonly string[]; photo?: Buffer }>;
    openPreExam?: boolean;
  },
) {
  await roomsReady(cookie, o);
  const made = [];
  for (const c of o.candidates) {
    const r = await makeRegistration({
      siteId: o.siteId,
      sittingId: o.sittingId,
      name: c.name,
      subjects: [...c.subjects],
      paid: [...c.subjects],
      photo: Boolean(c.photo),
    });
    made.push(r);
    if (c.photo) {
      const f = await getDb()
        .selectFrom("photo as p")
        .innerJoin("stored_file as s", "s.id", "p.file_id")
        .select("s.path")
        .where("p.id", "=", r.reg.photo_id!)
        .executeTakeFirstOrThrow();
      fs.mkdirSync(path.dirname(localPathOf(f)), { recursive: true });
      fs.writeFileSync(localPathOf(f), c.photo);
    }
  }
  await act(allocationRoute, "/admin/allocation", cookie, { intent: "run" });
  await waitForInlineIdle();
  await act(admissionRoute, "/admin/admission-numbers", cookie, {});
  if (o.openPreExam) await openWindowNow(o.sittingId, "pre_exam_downloads");
  return made;
}

/** Moves a window's start an hour back (the demo's later windows open weeks ahead). */
export function openWindowNow(sittingId: number, kind: "pre_exam_downloads" | "card_print" | "violations") {
  return getDb()
    .updateTable("window")
    .set({ starts_at: new Date(Date.now() - 3_600_000) })
    .where("sitting_id", "=", sittingId)
    .where("kind", "=", kind)
    .execute();
}
