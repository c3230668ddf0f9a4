import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../schema";

type Q = Kysely<DB> | Transaction<DB>;

/** Whose jobs a page shows (X-2: leave the page, come back, find them): always one organisation's or one account's. */
export type JobOwner = {
  type: string;
  orgId?: number;
  sittingId?: number;
  accountId?: string;
  id?: string;
  /** The payload's `kind` (one job type making several kinds of file: generate-file). */
  kind?: string;
};

/** The latest jobs of a kind for an owner, newest first. */
export async function listRecentJobs(db: Q, o: JobOwner, limit = 1) {
  let q = db.selectFrom("job").select(["id", "status", "result", "error", "created_at"]).where("type", "=", o.type);
  if (o.orgId !== undefined) q = q.where("org_id", "=", o.orgId);
  if (o.sittingId !== undefined) q = q.where("sitting_id", "=", o.sittingId);
  if (o.accountId !== undefined) q = q.where("account_id", "=", o.accountId);
  if (o.id !== undefined) q = q.where("id", "=", o.id);
  if (o.kind !== undefined) q = q.where(sql<string>`payload->>'kind'`, "=", o.kind);
  return q.orderBy("created_at", "desc").limit(limit).execute();
}

export async function findLastJob(db: Q, o: JobOwner) {
  return (await listRecentJobs(db, o, 1))[0];
}

/**
 * The latest job of a definition for an owner, its result typed as the definition declares: the
 * handler returned that type and the runner stored it as JSON (jobs/define.ts).
 */
export async function findLastJobOf<R>(
  db: Q,
  def: { id: string; handler: () => Promise<{ default: (...args: never[]) => Promise<R> }> },
  o: Omit<JobOwner, "type">,
) {
  const row = await findLastJob(db, { ...o, type: def.id });
  return row ? { ...row, result: (row.result ?? null) as R | null } : undefined;
}
