import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { normaliseLogin } from "~db/queries/accounts";
import type { DB } from "~db/schema";
import { AppError } from "~/domain/errors";
import { isEmail, normalisePhone } from "~/domain/import-values";
import {
  CODE_MAX_ATTEMPTS,
  CODE_WINDOW_MS,
  codeExpiry,
  codeState,
  makeCode,
  normaliseCode,
  sendRefusal,
  type CodePurpose,
} from "~/domain/verification";
import { translator, type Locale, type MessageKey } from "~/i18n";
import { getMessageProvider } from "~/messages/index.server";
import type { MessageChannel, OutgoingMessage } from "~/messages/provider";
import { hashVerificationCode, verifyPassword } from "~/utils/password.server";

type Q = Kysely<DB> | Transaction<DB>;

/** An e-mail (lower case) or a mainland mobile (11 digits) a code can be sent to. */
export interface CodeTarget {
  target: string;
  channel: MessageChannel;
  email: string | null;
  mobile: string | null;
}

/** CAN-1: the login as typed, as the address a code goes to; anything else is a format error. */
export function parseTarget(login: string): CodeTarget {
  const n = normaliseLogin(login);
  const email = n.email && isEmail(n.email) ? n.email : null;
  const mobile = !email && n.mobile ? normalisePhone(n.mobile) : null;
  if (email) return { target: email, channel: "email", email, mobile: null };
  if (mobile && /^1\d{10}$/.test(mobile)) return { target: mobile, channel: "sms", email: null, mobile };
  throw new AppError("signup.login_format");
}

/**
 * CAN-1: refuses when the address or the client asked for too many codes in the last hour (the
 * codes table is the counter). Refused the same way whether the address has an account or not.
 */
export async function checkSendLimits(target: string, ip: string | null, now: Date) {
  const since = new Date(now.getTime() - CODE_WINDOW_MS);
  const db = getDb();
  const count = async (column: "target" | "ip", value: string) =>
    Number(
      (
        await db
          .selectFrom("verification_code")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where(column, "=", value)
          .where("created_at", ">", since)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const refusal = sendRefusal(await count("target", target), ip ? await count("ip", ip) : 0);
  if (refusal) throw new AppError(refusal, {}, 429);
  // Text messages only where the deployment can send them (the same answer for every mobile).
  if (!getMessageProvider().supports(target.includes("@") ? "email" : "sms"))
    throw new AppError("verify.sms_unavailable");
}

export interface IssueInput {
  purpose: CodePurpose;
  to: CodeTarget;
  accountId: string | null;
  payload?: Record<string, unknown>;
  ip: string | null;
  now: Date;
  /**
   * The message carrying the code, or null for a decoy: a code that is stored (so the page,
   * the attempts and the expiry behave the same) but never sent, when the address must not learn
   * or cannot receive one (an unknown address, an address that already has an owner).
   */
  message: ((code: string) => { subject: string; text: string }) | null;
}

/** Stores a new code (hashed: a light Argon2id makes guessing from a copy of the table slower than its 10 minutes) and sends it. */
export async function issueCode(input: IssueInput): Promise<{ ticket: string }> {
  const code = input.message ? makeCode(randomInt) : randomBytes(16).toString("hex");
  const id = randomUUID();
  await getDb()
    .insertInto("verification_code")
    .values({
      id,
      purpose: input.purpose,
      channel: input.to.channel,
      target: input.to.target,
      account_id: input.accountId,
      code_hash: await hashVerificationCode(code),
      payload: JSON.stringify({ ...input.payload, decoy: input.message === null }),
      expires_at: codeExpiry(input.now),
      ip: input.ip,
    })
    .execute();
  if (input.message) {
    const m = input.message(code);
    await deliver({ to: input.to.target, channel: input.to.channel, subject: m.subject, text: m.text });
  }
  return { ticket: id };
}

/** Hands a message to the provider: waited for when it is quick (the outbox), in the background when it is not. */
async function deliver(m: OutgoingMessage) {
  const provider = getMessageProvider();
  const sending = provider.send(m);
  if (!provider.background) return sending;
  sending.catch((e: unknown) => console.error(`[messages] ${provider.name}: not sent:`, (e as Error).message));
}

export interface CheckedCode {
  id: string;
  target: string;
  channel: MessageChannel;
  account_id: string | null;
  payload: Record<string, unknown>;
}

const STATE_ERROR: Record<"expired" | "used" | "too_many_attempts", MessageKey> = {
  expired: "verify.code_expired",
  used: "verify.code_wrong",
  too_many_attempts: "verify.too_many_attempts",
};

/**
 * CAN-1: checks a typed code against a ticket. Each try counts (counted before the comparison, so
 * parallel guesses cannot exceed the limit); the code is not consumed here: `consumeCode` does that
 * in the transaction that acts on it.
 */
export async function checkCode(ticket: string, purpose: CodePurpose, typed: string, now: Date): Promise<CheckedCode> {
  const db = getDb();
  const row = /^[0-9a-f-]{36}$/.test(ticket)
    ? await db
        .selectFrom("verification_code")
        .selectAll()
        .where("id", "=", ticket)
        .where("purpose", "=", purpose)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError("verify.code_wrong");
  const state = codeState({ expiresAt: row.expires_at, attempts: row.attempts, consumedAt: row.consumed_at }, now);
  if (state !== "open") throw new AppError(STATE_ERROR[state], {}, state === "too_many_attempts" ? 429 : 400);
  const code = normaliseCode(typed);
  if (!code) throw new AppError("verify.code_wrong");
  const counted = await db
    .updateTable("verification_code")
    .set({ attempts: sql`attempts + 1` })
    .where("id", "=", row.id)
    .where("attempts", "<", CODE_MAX_ATTEMPTS)
    .where("consumed_at", "is", null)
    .returning("attempts")
    .executeTakeFirst();
  if (!counted) throw new AppError("verify.too_many_attempts", {}, 429);
  const ok = await verifyPassword(row.code_hash, code);
  if (!ok || row.payload.decoy === true) throw new AppError("verify.code_wrong");
  return { id: row.id, target: row.target, channel: row.channel, account_id: row.account_id, payload: row.payload };
}

/** Marks the code used inside the caller's transaction; false when another request used it first. */
export async function consumeCode(trx: Q, id: string, now: Date): Promise<boolean> {
  const r = await trx
    .updateTable("verification_code")
    .set({ consumed_at: now })
    .where("id", "=", id)
    .where("consumed_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  return r !== undefined;
}

/** Sends a notice (no code) to an address, in both languages of the message texts. Failures are logged, not shown. */
export async function sendNotice(
  to: { target: string; channel: MessageChannel },
  locale: Locale,
  subject: MessageKey,
  body: MessageKey,
  params: Record<string, string> = {},
) {
  const t = translator(locale);
  try {
    if (!getMessageProvider().supports(to.channel)) return;
    await deliver({ to: to.target, channel: to.channel, subject: t(subject, params), text: t(body, params) });
  } catch (e) {
    console.error("[messages] notice not sent:", (e as Error).message);
  }
}

export function codeMessage(locale: Locale, subject: MessageKey, body: MessageKey) {
  const t = translator(locale);
  return (code: string) => ({ subject: t(subject, { code }), text: t(body, { code }) });
}
