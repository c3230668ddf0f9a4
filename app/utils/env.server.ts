import path from "node:path";
import { z } from "zod";

// Environment parsed once, at start-up, so a bad value fails loudly before the first request.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  REDIS_URL: z.string().optional().or(z.literal("").transform(() => undefined)),
  DATA_DIR: z.string().default("./data"),
  TZ_DISPLAY: z.string().optional(),
  TZ: z.string().optional(),
  /** Secure cookies: defaults to on in production; "false" to try the portal over plain http on a LAN address. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** Behind a reverse proxy: how many proxy hops to trust for the client's address (X-Forwarded-For). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  SEED_ON_START: z.enum(["true", "false"]).default("true"),
  /** CAN-8: how long an unpaid online entry holds its seat before the scheduled release. */
  UNPAID_HOLD_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(120),
  /** CAN-7: how long a started payment stays open at the gateway. */
  PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** CAN-8: how often the scheduled release runs. */
  HOLD_SWEEP_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** registration requests served at once (0 turns the rush limiter off); ≈ 2–3 × PG_POOL_MAX. */
  RUSH_MAX_ACTIVE: z.coerce.number().int().min(0).max(10_000).default(64),
  /** registration requests that may wait for a place; beyond this they get the busy page at once. */
  RUSH_MAX_QUEUE: z.coerce.number().int().min(0).max(100_000).default(256),
  /** how long a registration request waits for a place before it gets the busy page. */
  RUSH_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
});

export type Env = z.infer<typeof EnvSchema> & { timeZone: string; dataDir: string };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.parse(process.env);
  // WIN-7: Asia/Shanghai wall-clock unless the deployment configures another zone.
  const timeZone = parsed.TZ_DISPLAY || (parsed.TZ && parsed.TZ !== "UTC" ? parsed.TZ : "Asia/Shanghai");
  cached = { ...parsed, timeZone, dataDir: path.resolve(parsed.DATA_DIR) };
  return cached;
}

/** Tests change the environment between files; they reset the cache. */
export function resetEnvCache() {
  cached = undefined;
}
