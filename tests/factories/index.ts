import { randomUUID } from "node:crypto";
import { idCheckCharacter } from "../../app/domain/id-number";
import { getDb } from "../../db/client";
import { getLucia } from "../../app/utils/session.server";

export const DEMO_PASSWORD = "Kaowu-demo-2026";
const BASE = "http://localhost:3000";

/** A session made directly (as epic-stack's login fixture does): tests of other things skip the login form. */
export async function sessionCookie(email: string): Promise<string> {
  const account = await getDb().selectFrom("account").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const lucia = getLucia();
  const s = await lucia.createSession(account.id, { sitting_id: null });
  return lucia.createSessionCookie(s.id).serialize().split(";")[0];
}

/** A form's fields as a browser sends them; a list repeats its field. */
export type FormFields = Record<string, string | number | ReadonlyArray<string | number>>;

export function makeRequest(
  pathname: string,
  opts: { cookie?: string; form?: FormFields; method?: string; ip?: string } = {},
) {
  const headers = new Headers({ "x-kaowu-client-ip": opts.ip ?? "127.0.0.1" });
  if (opts.cookie) headers.set("Cookie", opts.cookie);
  let body: URLSearchParams | undefined;
  if (opts.form) {
    // A list is a field sent once per value (ticked checkboxes).
    body = new URLSearchParams(
      Object.entries(opts.form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)])),
    );
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(new URL(pathname, BASE), { method: opts.method ?? (opts.form ? "POST" : "GET"), headers, body });
}

export interface Outcome<T = unknown> {
  status: number;
  data?: T;
  location?: string | null;
  headers?: Headers;
}

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
const isDataWithInit = (x: unknown): x is DataWithInit =>
  typeof x === "object" && x !== null && (x as { type?: string }).type === "DataWithResponseInit";

/** Runs a loader or action as Remix would and reports what the browser would get. */
export async function run<T = any>(fn: () => Promise<unknown>): Promise<Outcome<T>> {
  try {
    return toOutcome<T>(await fn());
  } catch (e) {
    if (e instanceof Response || isDataWithInit(e)) return toOutcome<T>(e);
    throw e;
  }
}

async function toOutcome<T>(r: unknown): Promise<Outcome<T>> {
  if (r instanceof Response) {
    const type = r.headers.get("Content-Type") ?? "";
    const data = type.includes("json") ? await r.json() : undefined;
    return { status: r.status, location: r.headers.get("Location"), headers: r.headers, data: data as T };
  }
  if (isDataWithInit(r))
    return { status: r.init?.status ?? 200, data: r.data as T, headers: new Headers(r.init?.headers) };
  return { status: 200, data: r as T };
}

type RouteModule = {
  loader?: (args: any) => Promise<unknown>;
  action?: (args: any) => Promise<unknown>;
};

export function load<T = any>(
  mod: RouteModule,
  pathname: string,
  cookie?: string,
  params: Record<string, string> = {},
) {
  return run<T>(() => mod.loader!({ request: makeRequest(pathname, { cookie }), params, context: {} }));
}

export function act<T = any>(
  mod: RouteModule,
  pathname: string,
  cookie: string | undefined,
  form: FormFields,
  params: Record<string, string> = {},
) {
  return run<T>(() => mod.action!({ request: makeRequest(pathname, { cookie, form }), params, context: {} }));
}

export async function orgId(code: string) {
  const o = await getDb().selectFrom("org").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return o.id;
}

export async function auditCount(action: string) {
  const r = await getDb()
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("action", "=", action)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

let candidateSeq = 0;

/**
 * A new candidate account with a session (CAN-1 is tested through the sign-up form elsewhere). Proven
 * (its e-mail confirmed by a code) unless `proven: false`: a sign-up from before codes existed (decision 0019).
 */
export async function newCandidate(
  name = "考生",
  opts: { proven?: boolean } = {},
): Promise<{ id: string; cookie: string; email: string }> {
  const id = randomUUID();
  const email = `cand${++candidateSeq}-${id.slice(0, 8)}@example.com`;
  await getDb()
    .insertInto("account")
    .values({
      id,
      email,
      mobile: null,
      name,
      password_hash: "x",
      role: "candidate",
      email_verified_at: opts.proven === false ? null : new Date(),
    })
    .execute();
  return { id, cookie: await sessionCookie(email), email };
}

/** A valid mainland resident ID for a birth date and a sequence (GB 11643 check digit). */
export function residentId(birth: string, seq: number, female = false): string {
  const order = (seq % 499) * 2 + (female ? 2 : 1);
  const first17 = `110101${birth.replace(/-/g, "")}${String(order).padStart(3, "0")}`;
  return first17 + idCheckCharacter(first17);
}
