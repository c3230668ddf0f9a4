import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_ADMISSION_FORMAT, parseAdmissionFormat } from "../domain/admission-numbers";
import { checkSmsProvider } from "../messages/sms.server";

// Environment parsed once, at start-up, so a bad value fails loudly before the first request.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_URL: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default("./data"),
  TZ_DISPLAY: z.string().optional(),
  TZ: z.string().optional(),
  /** Secure cookies: defaults to on in production; "false" to try the portal over plain http on a LAN address. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** Behind a reverse proxy: how many proxy hops to trust for the client's address (X-Forwarded-For). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  /**
   * Decision 0053: a statement sent this many times is prepared on each connection (parsed and planned
   * once there). 0 turns it off, e.g. behind PgBouncer in transaction mode older than 1.21.
   */
  PG_PREPARE_THRESHOLD: z.coerce.number().int().min(0).max(1000).default(3),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Issue 13 item 1: the first part of every Redis key of the queues, so installations sharing a Redis never take each other's jobs. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "QUEUE_PREFIX: letters, digits, '_', '.' and '-' only (at most 64)")
    .default("kaowu"),
  /** a job still running after this many minutes is stopped and failed with a message. */
  JOB_TIME_LIMIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  /** days an imported file (student records, group registrations) is kept after its job; 0 = deleted when the job ends. */
  UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(0).max(365).default(0),
  SEED_ON_START: z.enum(["true", "false"]).default("true"),
  /** CAN-8: how long an unpaid online entry holds its seat before the scheduled release. */
  UNPAID_HOLD_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(120),
  /** CAN-7: how long a started payment stays open at the gateway. */
  PAYMENT_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** CAN-8: how often the scheduled release runs. */
  HOLD_SWEEP_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /**
   * Decision 0047: web processes `npm start` runs, a number or "auto" (one per core); PostgreSQL only
   * (checked in getEnv: webProcesses).
   */
  WEB_CONCURRENCY: z.string().optional(),
  /** registration requests served at once (0 turns the rush limiter off); ≈ 2–3 × PG_POOL_MAX. */
  RUSH_MAX_ACTIVE: z.coerce.number().int().min(0).max(10_000).default(64),
  /** registration requests that may wait for a place; beyond this they get the busy page at once. */
  RUSH_MAX_QUEUE: z.coerce.number().int().min(0).max(100_000).default(256),
  /** how long a registration request waits for a place before it gets the busy page. */
  RUSH_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /**
   * ADM-1: the admission-number format, a template of {subject} {sitting} {site} {room} {serial:N}
   * (decision 0033); checked at start-up.
   */
  ADMISSION_NUMBER_FORMAT: z
    .string()
    .default(DEFAULT_ADMISSION_FORMAT)
    .refine((v) => !("error" in parseAdmissionFormat(v)), {
      message: "not a usable admission-number format (see docs/decisions/0033-admission-numbers.md)",
    }),
  /**
   * The portal's public address (scheme, host, optional port; no path), e.g. https://kaowu.example.cn.
   * Every absolute URL (payment notify/return URLs) is built from it and requests for any other Host are
   * refused. Unset: the server's own address, http://localhost:PORT (a laptop running `npm start`).
   */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || isOriginUrl(v), {
      message: "PUBLIC_URL must be an http(s) origin such as https://kaowu.example.cn (no path)",
    }),
  /**
   * CAN-7: the payment provider for new payments. Required in production (the simulated gateway takes no
   * money: a deployment must choose it knowingly); development and test default to "simulated".
   */
  PAYMENT_PROVIDER: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  /**
   * CAN-1/ORG-9: how one-time codes and account notices are sent (app/messages/, decision 0019):
   * "outbox" (the demo outbox at /dev/outbox: nothing is really sent) or "smtp". Required in production.
   */
  MESSAGE_PROVIDER: z
    .enum(["outbox", "smtp"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** MESSAGE_PROVIDER=smtp: the SMTP server, e.g. smtps://user:pass@smtp.example.cn:465. */
  SMTP_URL: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** MESSAGE_PROVIDER=smtp: the sender, e.g. "考务 Kaowu <no-reply@example.cn>". */
  MAIL_FROM: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The SMS adapter for codes to mobile numbers (app/messages/sms.server.ts); unset: e-mail only with smtp. */
  SMS_PROVIDER: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * DOC-9: the secret admission cards' QR codes are signed with (a per-sitting key is derived from
   * it). Unset: one is made on first use and kept in the database, shared by every app process.
   */
  CARD_TOKEN_SECRET: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v.length >= 16, { message: "CARD_TOKEN_SECRET must be at least 16 characters" }),
  /**
   * ORG-9 (decision 0046): the key one-time passwords are stored under (HMAC-SHA-256). Unset: one is
   * made on first use and kept in the database. Set it so that a copy of the database alone cannot
   * check one; changing it voids the one-time passwords not yet used (the site reissues them).
   */
  ONE_TIME_PASSWORD_SECRET: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || v.length >= 32, {
      message: "ONE_TIME_PASSWORD_SECRET must be at least 32 characters (e.g. openssl rand -base64 32)",
    }),
  /** DOC-5: photos in the photo package named by admission number (default) or by ID number. */
  PHOTO_PACKAGE_NAMING: z.enum(["admission_no", "id_number"]).default("admission_no"),
  /** The simulated gateway's signing key (CAN-7); unset: a random key per process. */
  PAYMENT_SIM_SECRET: z
    .string()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The simulated gateway's "late notification" delay (ms). */
  SIM_NOTIFY_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10 * 60_000)
    .default(15_000),
  /** Absolute session lifetime: a session ends this many hours after login however active it is. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(7 * 24),
});

function isOriginUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (
      (u.protocol === "http:" || u.protocol === "https:") &&
      (u.pathname === "/" || u.pathname === "") &&
      !u.search &&
      !u.hash &&
      !u.username
    );
  } catch {
    return false;
  }
}

export type Env = Omit<z.infer<typeof EnvSchema>, "PAYMENT_PROVIDER" | "MESSAGE_PROVIDER"> & {
  MESSAGE_PROVIDER: "outbox" | "smtp";
  timeZone: string;
  dataDir: string;
  /** WEB_CONCURRENCY resolved: how many web processes serve (1 = this process alone, as always). */
  webProcesses: number;
  /** PUBLIC_URL's origin (no trailing slash), or http://localhost:PORT. */
  publicOrigin: string;
  PAYMENT_PROVIDER: string;
};

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.parse(process.env);
  // WIN-7: Asia/Shanghai wall-clock unless the deployment configures another zone.
  const timeZone = parsed.TZ_DISPLAY || (parsed.TZ && parsed.TZ !== "UTC" ? parsed.TZ : "Asia/Shanghai");
  cached = {
    ...parsed,
    timeZone,
    dataDir: path.resolve(parsed.DATA_DIR),
    webProcesses: webProcesses(parsed.WEB_CONCURRENCY, parsed.DATABASE_URL),
    publicOrigin: parsed.PUBLIC_URL ? new URL(parsed.PUBLIC_URL).origin : `http://localhost:${parsed.PORT}`,
    PAYMENT_PROVIDER: paymentProvider(parsed.NODE_ENV, parsed.PAYMENT_PROVIDER),
    MESSAGE_PROVIDER: messageProvider(parsed),
  };
  return cached;
}

/**
 * Decision 0047: WEB_CONCURRENCY, the number of web processes (`auto`: one per core, at most 64); 1 when
 * unset. More than one needs PostgreSQL: PGlite is an embedded database that one process opens, and a
 * second process on its folder would lose writes, so it is refused here, before anything starts.
 */
export function webProcesses(
  raw: string | undefined,
  databaseUrl: string | undefined,
  cores: number = os.availableParallelism(),
): number {
  const v = raw?.trim().toLowerCase() || "1";
  const n = v === "auto" ? Math.min(64, Math.max(1, cores)) : Number(v);
  if (!/^(auto|\d+)$/.test(v) || !Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(
      `WEB_CONCURRENCY must be "auto" (one web process per core) or a number from 1 to 64, not "${raw}".`,
    );
  if ((v === "auto" || n > 1) && !databaseUrl)
    throw new Error(
      `WEB_CONCURRENCY=${raw?.trim()} needs PostgreSQL (DATABASE_URL). Without it the portal uses PGlite, an ` +
        "embedded database that only one process can open: unset WEB_CONCURRENCY (or set it to 1), or set DATABASE_URL.",
    );
  return n;
}

/** CAN-7: a production server without a chosen provider refuses to start rather than take no money. */
export function paymentProvider(nodeEnv: string, configured: string | undefined): string {
  if (configured) return configured;
  if (nodeEnv === "production") {
    throw new Error(
      "PAYMENT_PROVIDER is not set. In production choose the payment provider explicitly " +
        "(PAYMENT_PROVIDER=simulated is the demo gateway: no money moves; `npm start` sets it for the demo).",
    );
  }
  return "simulated";
}

/**
 * CAN-1/ORG-9: a production server must say how codes are sent, or no one could prove an address or
 * recover a password; `npm start` chooses the demo outbox. Development and tests use the outbox.
 */
export function messageProvider(p: {
  NODE_ENV: string;
  MESSAGE_PROVIDER?: "outbox" | "smtp";
  SMTP_URL?: string;
  MAIL_FROM?: string;
  SMS_PROVIDER?: string;
}): "outbox" | "smtp" {
  checkSmsProvider(p.SMS_PROVIDER);
  const chosen = p.MESSAGE_PROVIDER ?? (p.NODE_ENV === "production" ? undefined : "outbox");
  if (!chosen) {
    throw new Error(
      "MESSAGE_PROVIDER is not set. In production choose how one-time codes are sent: MESSAGE_PROVIDER=smtp " +
        "with SMTP_URL and MAIL_FROM, or MESSAGE_PROVIDER=outbox for a demo (nothing is sent; messages show at /dev/outbox).",
    );
  }
  if (chosen === "smtp" && (!p.SMTP_URL || !p.MAIL_FROM))
    throw new Error("MESSAGE_PROVIDER=smtp needs SMTP_URL and MAIL_FROM.");
  return chosen;
}

/**
 * An absolute URL on this portal, always from configuration (PUBLIC_URL), never from the request's Host
 * header: a client must not choose where the server (or a payment provider) sends requests.
 */
export function publicUrl(pathname: string): string {
  if (!pathname.startsWith("/") || pathname.startsWith("//")) throw new Error(`publicUrl needs a path: ${pathname}`);
  return `${getEnv().publicOrigin}${pathname}`;
}

/** Tests change the environment between files; they reset the cache. */
export function resetEnvCache() {
  cached = undefined;
}
