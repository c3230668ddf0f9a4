import { getDb } from "~db/client";
import type { MessageProvider, OutgoingMessage } from "./provider";

/**
 * The demo outbox: nothing leaves the machine. Messages are stored in `outbox_message` and shown at
 * /dev/outbox, which answers only while this provider is the configured one.
 */
export class OutboxProvider implements MessageProvider {
  readonly name = "outbox";
  readonly background = false;
  supports() {
    return true;
  }
  async send(m: OutgoingMessage) {
    await getDb()
      .insertInto("outbox_message")
      .values({ channel: m.channel, recipient: m.to, subject: m.subject, body: m.text })
      .execute();
  }
}

/** The newest messages, optionally for one recipient (the outbox page). */
export async function listOutbox(opts: { recipient?: string; limit?: number } = {}) {
  let q = getDb()
    .selectFrom("outbox_message")
    .selectAll()
    .orderBy("id", "desc")
    .limit(opts.limit ?? 50);
  if (opts.recipient) q = q.where("recipient", "=", opts.recipient);
  return q.execute();
}
