import { sql, type Transaction } from "kysely";
import type { DB } from "../schema";

/**
 * The advisory-lock keys: the first of `pg_advisory_xact_lock`'s two keys names the kind of work, the
 * second is the site's (or organisation's) id. One list, so two kinds never share a number by accident.
 */
export const ADVISORY_LOCK = {
  /** SR-2: a site's student-record import and edits. */
  studentRecords: 4242,
  /** GRP-1: a site's group-registration import. */
  groupImport: 4243,
  /** PHO-1 … PHO-6: everything that writes a site's photos (imports, checks, deletes). */
  sitePhotos: 4343,
  /** one running job per organisation, across processes (jobs/runner.ts). */
  jobsPerOrg: 4444,
  /** ROOM-1/SCH-3: a site's rooms, batches and allocation. */
  siteRooms: 4545,
  /** DOC-8: a site's CBT mock-exam packages and exception files. */
  siteCbtUploads: 4646,
  /** VIO-1/SCO-1: a site's violations and scores (imports, roll calls, the score file). */
  siteViolations: 4747,
  /**
   * Decision 0047: the scheduled tasks (CAN-8's hold release and the others, jobs/scheduler.ts) have one
   * runner across web processes: the process holding this session lock (second key 0) on its coordination
   * connection (jobs/coordination.ts).
   */
  scheduler: 4848,
  /**
   * Decision 0047: every web process on PostgreSQL holds this session lock shared (second key 0); a process
   * that can take it exclusively at start-up is the only one up, so jobs left "running" are orphans.
   */
  webProcesses: 4849,
} as const;

/** Takes the advisory lock of `kind` for `id` until the transaction ends. */
export async function lockAdvisory(trx: Transaction<DB>, kind: keyof typeof ADVISORY_LOCK, id: number) {
  await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK[kind]}, ${id})`.execute(trx);
}

/**
 * Locks registrations in id order: the one lock order of every operation that locks several
 * (bulk actions, group payment batches, payment notices), so two never deadlock (decision 0014).
 */
export async function lockRegistrations(trx: Transaction<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom("registration")
    .selectAll()
    .where("id", "in", [...new Set(ids)])
    .orderBy("id")
    .forUpdate()
    .execute();
}
