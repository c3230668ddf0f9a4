/**
 * CAN-1/ORG-9 (decision 0019): the message-provider interface, like the payment provider's (decision
 * 0012). The portal speaks only to this to send one-time codes and account notices; the built-in
 * `outbox` stores messages in a table and shows them at /dev/outbox (development and demos), `smtp`
 * sends e-mail through nodemailer, and SMS goes through an adapter a deployment fills in.
 */
export type MessageChannel = "email" | "sms";

export interface OutgoingMessage {
  /** A normalised e-mail address or an 11-digit mainland mobile number. */
  to: string;
  channel: MessageChannel;
  subject: string;
  /** Plain text: codes and notices need nothing more, and nothing in them is HTML. */
  text: string;
}

export interface MessageProvider {
  readonly name: string;
  /**
   * Sends take network time (SMTP, an SMS gateway): the portal hands the message over without
   * waiting, so an answer takes as long whether a message went out or not (nothing is learnt from
   * timing about who has an account); failures are logged. The outbox writes at once.
   */
  readonly background: boolean;
  /** Whether this provider can deliver on the channel (an e-mail-only setup cannot text a mobile). */
  supports(channel: MessageChannel): boolean;
  /** Sends one message; throws if it could not be handed over. */
  send(message: OutgoingMessage): Promise<void>;
}
