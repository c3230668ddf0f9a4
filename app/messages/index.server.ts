import { getEnv } from "~/utils/env.server";
import { OutboxProvider } from "./outbox.server";
import type { MessageProvider } from "./provider";
import { SmtpProvider } from "./smtp.server";

/**
 * CAN-1/ORG-9: the configured message provider, `MESSAGE_PROVIDER` (env.server.ts: required in
 * production, "outbox" in development and tests). A new provider is one more entry here.
 */
const factories: Record<string, () => MessageProvider> = {
  outbox: () => new OutboxProvider(),
  smtp: () => {
    const env = getEnv();
    return new SmtpProvider(env.SMTP_URL!, env.MAIL_FROM!);
  },
};

let instance: MessageProvider | undefined;
let override: MessageProvider | undefined;

export function getMessageProvider(): MessageProvider {
  if (override) return override;
  if (!instance) {
    const name = getEnv().MESSAGE_PROVIDER;
    const make = Object.hasOwn(factories, name) ? factories[name] : undefined;
    if (!make) throw new Error(`Unknown MESSAGE_PROVIDER "${name}"`);
    instance = make();
  }
  return instance;
}

/** The demo outbox page is public only while the outbox is what "sends" messages. */
export function outboxIsOn(): boolean {
  return !override && getEnv().MESSAGE_PROVIDER === "outbox";
}

/** Tests: `p` stands in for the configured provider; `undefined` restores it. */
export function setMessageProvider(p: MessageProvider | undefined) {
  override = p;
  instance = undefined;
}
