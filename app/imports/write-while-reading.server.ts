import type { ControlledTransaction } from "kysely";
import { getDb } from "~db/client";
import { lockAdvisory, type ADVISORY_LOCK } from "~db/queries/locks";
import type { DB } from "~db/schema";

/**
 * Decision 0010 (writing while reading): a transaction opened and the site's import lock taken before
 * the file is read; work on each part queued in order on that transaction, so node parses the next
 * part while the database writes this one; then one commit, or one rollback on any error. A failed
 * step waits for `finish` or `abort` to be reported (it never ends the process as an unhandled rejection).
 */
export async function openWriteWhileReading(lock: keyof typeof ADVISORY_LOCK, siteId: number) {
  const trx: ControlledTransaction<DB> = await getDb().startTransaction().execute();
  try {
    await lockAdvisory(trx, lock, siteId);
  } catch (e) {
    await trx.rollback().execute();
    throw e;
  }
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  const close = async (commit: boolean) => {
    if (closed) return;
    closed = true;
    await (commit ? trx.commit() : trx.rollback()).execute();
  };
  return {
    trx,
    /** Queues a step after the ones before it. */
    queue(step: () => Promise<void>) {
      chain = chain.then(step);
      chain.catch(() => undefined);
    },
    /** Waits for every step; `done` answers whether to commit, and with what. */
    async finish<R>(done: () => Promise<{ commit: boolean; result: R }>): Promise<R> {
      try {
        await chain;
        const { commit, result } = await done();
        await close(commit);
        return result;
      } catch (e) {
        await close(false).catch(() => undefined);
        throw e;
      }
    },
    async abort() {
      await chain.catch(() => undefined);
      await close(false).catch(() => undefined);
    },
  };
}
