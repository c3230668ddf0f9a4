import { createCookie } from "@remix-run/node";
import { getDb } from "~db/client";
import { parsePostBatch } from "~/domain/check-in";
import type { AdminContext } from "./auth.server";

// DOC-9: the room and batch this device checks candidates in for, kept on the device for the exam
// day (a phone goes from candidate to candidate; each scan opens a new page).
export const postCookie = createCookie("kaowu_checkin_post", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 16,
});

/** The device's chosen batch, if it is a batch of the acting site in its sitting (a forged one is no choice). */
export async function devicePost(ctx: AdminContext, request: Request) {
  const id = parsePostBatch(await postCookie.parse(request.headers.get("Cookie")));
  if (id === null) return null;
  return (
    (await getDb()
      .selectFrom("exam_batch as b")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select(["b.id", "b.room_id", "b.seq", "b.exam_date", "b.start_min", "b.end_min", "r.number as room"])
      .where("b.id", "=", id)
      .where("b.sitting_id", "=", ctx.sitting.id)
      .where("b.org_id", "=", ctx.org.id)
      .executeTakeFirst()) ?? null
  );
}
