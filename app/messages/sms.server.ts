import type { MessageProvider } from "./provider";
import { getEnv } from "~/utils/env.server";

/**
 * The SMS adapter point. A deployment that sends codes to mobile numbers adds its operator's
 * client here (one entry: a name and a `send`) and sets `SMS_PROVIDER` to that name. With none,
 * mobile numbers cannot receive codes under MESSAGE_PROVIDER=smtp, and sign-up asks for an e-mail.
 */
const adapters: Record<string, () => MessageProvider> = {
  // aliyun: () => new AliyunSms(process.env.ALIYUN_SMS_KEY!, …),
};

/** Fails at start-up when SMS_PROVIDER names an adapter that is not written yet. */
export function checkSmsProvider(name: string | undefined) {
  if (name && !Object.hasOwn(adapters, name)) {
    throw new Error(
      `SMS_PROVIDER="${name}" is not implemented: add an adapter for it in app/messages/sms.server.ts, or unset SMS_PROVIDER.`,
    );
  }
}

let instance: MessageProvider | null | undefined;

export function smsAdapter(): MessageProvider | null {
  if (instance !== undefined) return instance;
  const name = getEnv().SMS_PROVIDER?.trim();
  checkSmsProvider(name);
  instance = name ? adapters[name]() : null;
  return instance;
}
