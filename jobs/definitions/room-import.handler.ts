import { parseRoomRow, ROOM_COLUMNS, ROOM_REQUIRED, ROOM_SHEET } from "~/domain/rooms";
import { runRowImport } from "~/imports/row-import.server";
import { checkRooms, importRooms } from "~/services/import-rooms.server";
import type { JobContext } from "../define";
import type { RoomImportPayload, RoomImportResult } from "./room-import";

/** ROOM-1 through the shared row-import runner: read → type every row → all-or-nothing write → report. */
export default async function roomImportHandler(p: RoomImportPayload, ctx: JobContext): Promise<RoomImportResult> {
  return runRowImport(p, ctx, {
    spec: { sheetName: ROOM_SHEET, headers: ROOM_COLUMNS, required: ROOM_REQUIRED },
    parse: parseRoomRow,
    reading: { every: 200, percent: (n) => Math.min(45, n / 20) },
    reportName: "rooms.report_name",
    checkRest: async (rows) => (ctx.sittingId === null ? [] : checkRooms(ctx.sittingId, p.siteId, rows, p.overwrite)),
    async write(rows) {
      // Rooms belong to a sitting: a job without one (never started so) cannot write them.
      if (ctx.sittingId === null) throw new Error("room import without a sitting");
      await ctx.progress(50, { key: "import.progress_writing" });
      const outcome = await importRooms(
        { accountId: ctx.accountId, name: p.actorName, orgId: p.siteId, sittingId: ctx.sittingId, ip: p.ip },
        p.siteId,
        rows,
        p.overwrite,
      );
      if (!outcome.ok) return { ok: false, errors: outcome.errors };
      return { ok: true, figures: { inserted: outcome.inserted, updated: outcome.updated } };
    },
  });
}
