import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { CompiledQuery, InferResult, Kysely, Transaction } from "kysely";
import { compileOnce } from "~db/compile-once";
import { getDb } from "~db/client";
import type { DB, Sitting } from "~db/schema";
import { getEnv } from "./env.server";

// Lucia v3 lives behind this one module (see docs/decisions/0003-lucia-and-bull-behind-one-module.md):
// moving to hand-written sessions later changes this file only.

// every signed-in request runs this; its text is built once (compileOnce). The current sitting
// rides along (every page needs it; one round trip instead of two).
/** The session with its account and the current sitting (`cs`), as the adapter reads it. */
export const sessionSelect = (db: Kysely<DB> | Transaction<DB>, sessionId: string) =>
  db
    .selectFrom("session")
    .innerJoin("account", "account.id", "session.account_id")
    .leftJoin("sitting as cs", (j) => j.on("cs.is_current", "=", true))
    .select([
      "cs.id as cs_id",
      "cs.code as cs_code",
      "cs.name as cs_name",
      "cs.starts_on as cs_starts_on",
      "cs.ends_on as cs_ends_on",
      "cs.created_at as cs_created_at",
      "session.id as sid",
      "session.expires_at",
      "session.sitting_id",
      "account.id",
      "account.email",
      "account.mobile",
      "account.name",
      "account.role",
      "account.locale",
      "account.must_change_password",
      "session.created_at",
    ])
    .where("session.id", "=", sessionId);

const sessionQuery = compileOnce(sessionSelect);

type SessionRow = InferResult<ReturnType<typeof sessionSelect>>[number];

/**
 * X-7 (decision 0061): a read of one request's own that rides along with the session's statement
 * (`sessionSelect` with more columns: joined on the session's account and the current sitting), one
 * round trip instead of two. `row` is the row the session was read with, when it was.
 */
export interface SessionCompanion {
  readonly query: (db: Kysely<DB>, sessionId: string) => CompiledQuery<SessionRow>;
  row?: Record<string, unknown>;
}

// Handed to the adapter in the same synchronous run: `readSession` → `validate` → Lucia's
// `validateSession` → `getSessionAndUser`, whose first line takes it, each call running up to its first
// `await`. Not an AsyncLocalStorage: on Node 20 one costs a hook on every promise (decision 0065).
let handedCompanion: SessionCompanion | undefined;

/**
 * `readSession`, with `companion`'s read made in the same statement. When this request's session
 * was already read, nothing more is read and `companion.row` stays unset: the caller reads on its own.
 */
export function readSessionWith(request: Request, companion: SessionCompanion) {
  if (perRequest.has(request)) return readSession(request);
  handedCompanion = companion;
  try {
    return readSession(request);
  } finally {
    handedCompanion = undefined;
  }
}

class KyselyAdapter implements Adapter {
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const companion = handedCompanion;
    handedCompanion = undefined;
    const [row] = (await getDb().executeQuery((companion?.query ?? sessionQuery)(getDb(), sessionId))).rows;
    if (!row) return [null, null];
    // Absolute lifetime: however active, a session ends SESSION_MAX_HOURS after login (a stolen or
    // forgotten cookie does not live forever through the 12 h sliding renewal).
    if (row.created_at.getTime() <= Date.now() - maxSessionMs()) {
      await this.deleteSession(sessionId);
      return [null, null];
    }
    if (companion) companion.row = row;
    const current: Sitting | null =
      row.cs_id === null
        ? null
        : {
            id: row.cs_id,
            code: row.cs_code!,
            name: row.cs_name!,
            starts_on: row.cs_starts_on!,
            ends_on: row.cs_ends_on!,
            is_current: true,
            created_at: row.cs_created_at!,
          };
    return [
      {
        id: row.sid,
        userId: row.id,
        expiresAt: row.expires_at,
        attributes: { sitting_id: row.sitting_id, current_sitting: current },
      },
      {
        id: row.id,
        attributes: {
          email: row.email,
          mobile: row.mobile,
          name: row.name,
          role: row.role,
          locale: row.locale,
          must_change_password: row.must_change_password,
        },
      },
    ];
  }
  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await getDb().selectFrom("session").selectAll().where("account_id", "=", userId).execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.account_id,
      expiresAt: r.expires_at,
      attributes: { sitting_id: r.sitting_id },
    }));
  }
  async setSession(s: DatabaseSession): Promise<void> {
    await getDb()
      .insertInto("session")
      .values({ id: s.id, account_id: s.userId, expires_at: s.expiresAt, sitting_id: s.attributes.sitting_id ?? null })
      .execute();
  }
  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await getDb().updateTable("session").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
  }
  async deleteSession(sessionId: string): Promise<void> {
    await getDb().deleteFrom("session").where("id", "=", sessionId).execute();
  }
  async deleteUserSessions(userId: string): Promise<void> {
    await getDb().deleteFrom("session").where("account_id", "=", userId).execute();
  }
  async deleteExpiredSessions(): Promise<void> {
    await getDb()
      .deleteFrom("session")
      .where((eb) =>
        eb.or([eb("expires_at", "<=", new Date()), eb("created_at", "<=", new Date(Date.now() - maxSessionMs()))]),
      )
      .execute();
  }
}

function maxSessionMs(): number {
  return getEnv().SESSION_MAX_HOURS * 3_600_000;
}

function cookieSecure(): boolean {
  const env = getEnv();
  return env.COOKIE_SECURE ? env.COOKIE_SECURE === "true" : env.NODE_ENV === "production";
}

let instance: Lucia<{ sitting_id: number | null; current_sitting?: Sitting | null }, SessionUser> | undefined;

export interface SessionUser {
  email: string | null;
  mobile: string | null;
  name: string;
  role: "admin" | "candidate";
  locale: string;
  must_change_password: boolean;
}

export function getLucia() {
  if (!instance) {
    instance = new Lucia(new KyselyAdapter(), {
      sessionExpiresIn: new TimeSpan(12, "h"),
      sessionCookie: {
        name: "kaowu_session",
        // The cookie ends with the session (12 h, renewed while in use): test-site computers are shared.
        expires: true,
        attributes: { secure: cookieSecure(), sameSite: "lax" },
      },
      getSessionAttributes: (a) => ({ sitting_id: a.sitting_id, current_sitting: a.current_sitting ?? null }),
      getUserAttributes: (a) => a,
    });
  }
  return instance;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof getLucia>;
    /** current_sitting: read with the session, never stored in it. */
    DatabaseSessionAttributes: { sitting_id: number | null; current_sitting?: Sitting | null };
    DatabaseUserAttributes: SessionUser;
  }
}

// Root, layout and page loaders of one request all ask; one look-up serves them.
const perRequest = new WeakMap<Request, ReturnType<typeof validate>>();

export function readSession(request: Request) {
  let p = perRequest.get(request);
  if (!p) {
    p = validate(request);
    perRequest.set(request, p);
  }
  return p;
}

async function validate(request: Request) {
  const lucia = getLucia();
  const id = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!id) return null;
  const { session, user } = await lucia.validateSession(id);
  if (!session || !user) return null;
  return { session, user, refreshCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null };
}

/** Session id rotated at login: any session the browser brought is dropped and a new id is issued. */
export async function startSession(request: Request, accountId: string): Promise<string> {
  const lucia = getLucia();
  const old = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (old) await lucia.invalidateSession(old);
  const session = await lucia.createSession(accountId, { sitting_id: null });
  return lucia.createSessionCookie(session.id).serialize();
}

export async function endSession(request: Request): Promise<string> {
  const lucia = getLucia();
  const id = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (id) await lucia.invalidateSession(id);
  return lucia.createBlankSessionCookie().serialize();
}

export async function endOtherSessions(accountId: string, keepSessionId: string) {
  await getDb().deleteFrom("session").where("account_id", "=", accountId).where("id", "<>", keepSessionId).execute();
}

/**
 * Every session of an account ends (password recovered or reissued, account claimed or taken over),
 * inside the caller's transaction so the change and the log-out commit together. Returns how many.
 */
export async function endAllSessions(db: Kysely<DB> | Transaction<DB>, accountId: string): Promise<number> {
  const r = await db.deleteFrom("session").where("account_id", "=", accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function setSessionSitting(sessionId: string, sittingId: number | null) {
  await getDb().updateTable("session").set({ sitting_id: sittingId }).where("id", "=", sessionId).execute();
}
