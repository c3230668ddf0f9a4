import { sql } from "kysely";
import { getDb } from "~db/client";
import { getEnv } from "~/utils/env.server";
import { removeStoredFiles } from "./import-photos.server";

// an imported file (student records, group registrations, photo zips) holds ID numbers and is
// needed only by its job. It goes when the job ends, or UPLOAD_RETENTION_DAYS after it was
// uploaded; the error report, which the site still downloads, is another file and stays.

/** The job that read `fileId` has ended (done, refused or failed): the upload goes unless kept for some days. */
export async function uploadJobEnded(fileId: string, opts: { always?: boolean } = {}) {
  if (!opts.always && getEnv().UPLOAD_RETENTION_DAYS > 0) return;
  await removeStoredFiles([fileId]).catch((e) => console.error("uploads: removing a finished job's file", e));
}

/**
 * The scheduled sweep: every upload past its retention whose job has ended (or that no job names:
 * an enqueue that never happened) goes. A job queued or running keeps its file whatever its age.
 */
export async function sweepUploads(now = new Date(), limit = 1000) {
  const days = getEnv().UPLOAD_RETENTION_DAYS;
  const before = new Date(now.getTime() - days * 24 * 3600_000);
  const rows = await getDb()
    .selectFrom("stored_file as f")
    .select("f.id")
    .where("f.kind", "=", "upload")
    .where("f.created_at", "<", before)
    // Uploads enqueued a moment ago have their job row by now; a minute covers the gap.
    .where("f.created_at", "<", new Date(now.getTime() - 60_000))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("job as j")
            .select(sql`1`.as("one"))
            .whereRef(sql`j.payload->>'fileId'`, "=", "f.id")
            .where("j.status", "in", ["queued", "running"]),
        ),
      ),
    )
    .orderBy("f.created_at")
    .limit(limit)
    .execute();
  await removeStoredFiles(rows.map((r) => r.id));
  return { removed: rows.length };
}
