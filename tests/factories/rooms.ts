import * as roomsRoute from "../../app/routes/admin.rooms._index";
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
