import nodemailer, { type Transporter } from "nodemailer";
import type { MessageProvider, OutgoingMessage } from "./provider";
import { smsAdapter } from "./sms.server";

/**
 * E-mail through SMTP with nodemailer (`SMTP_URL`, e.g. smtps://user:pass@smtp.example.cn:465, and
 * `MAIL_FROM`). Text messages go to the SMS adapter, when the deployment has one.
 */
export class SmtpProvider implements MessageProvider {
  readonly name = "smtp";
  readonly background = true;
  private transport: Transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }
  supports(channel: OutgoingMessage["channel"]) {
    return channel === "email" || smsAdapter() !== null;
  }
  async send(m: OutgoingMessage) {
    if (m.channel === "sms") {
      const sms = smsAdapter();
      if (!sms) throw new Error("No SMS adapter is configured (SMS_PROVIDER)");
      return sms.send(m);
    }
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text });
  }
}
