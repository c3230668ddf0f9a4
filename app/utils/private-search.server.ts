import { randomBytes } from "node:crypto";
import { getDb } from "~db/client";

/**
 * search fields that name a person (an ID number, a phone or e-mail; the account look-up's value)
 * never travel in a URL, where they would land in browser history and server logs. The search form
 * posts to /admin/search, which keeps them here under a random token bound to the account and
 * redirects to the page with `pq=<token>`; the page reads them back with searchParamsOf.
 */
export const PRIVATE_SEARCH_FIELDS = ["idNumber", "value", "phone", "email"] as const;
export const TOKEN_PARAM = "pq";
const TOKEN_DAYS = 1;

/** The pages whose search forms go through /admin/search. */
export const PRIVATE_SEARCH_PAGES = new Set([
  "/admin/candidates",
  "/admin/review",
  "/admin/records",
  "/admin/cancellations",
  "/admin/candidates/account",
  "/admin/candidates/export",
]);

/** The parameters as they may appear in a URL: the private fields replaced by one token. */
export async function urlSafeParams(
  params: URLSearchParams,
  accountId: string,
  now = new Date(),
): Promise<URLSearchParams> {
  const out = new URLSearchParams(params);
  const fields: Record<string, string> = {};
  for (const f of PRIVATE_SEARCH_FIELDS) {
    const v = out.get(f)?.trim();
    out.delete(f);
    if (v) fields[f] = v;
  }
  out.delete(TOKEN_PARAM);
  if (Object.keys(fields).length === 0) return out;
  const db = getDb();
  const token = randomBytes(16).toString("base64url");
  await db
    .deleteFrom("private_search")
    .where("created_at", "<", new Date(now.getTime() - TOKEN_DAYS * 86_400_000))
    .execute();
  await db
    .insertInto("private_search")
    .values({ token, account_id: accountId, fields: JSON.stringify(fields), created_at: now })
    .execute();
  out.set(TOKEN_PARAM, token);
  return out;
}

/**
 * A page's search parameters: the URL's, with the private fields taken from the token (only the
 * account's own, and never from the URL itself).
 */
export async function searchParamsOf(request: Request, accountId: string, now = new Date()): Promise<URLSearchParams> {
  const params = new URLSearchParams(new URL(request.url).searchParams);
  for (const f of PRIVATE_SEARCH_FIELDS) params.delete(f);
  const token = params.get(TOKEN_PARAM);
  if (!token) return params;
  const row = await getDb()
    .selectFrom("private_search")
    .select("fields")
    .where("token", "=", token)
    .where("account_id", "=", accountId)
    .where("created_at", ">=", new Date(now.getTime() - TOKEN_DAYS * 86_400_000))
    .executeTakeFirst();
  const fields = (typeof row?.fields === "string" ? JSON.parse(row.fields) : (row?.fields ?? {})) as Record<
    string,
    string
  >;
  for (const f of PRIVATE_SEARCH_FIELDS) if (typeof fields[f] === "string") params.set(f, fields[f]);
  return params;
}

/** `params` for a URL, carrying the request's token in place of the private fields it holds. */
export function keepToken(params: URLSearchParams, source: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const f of PRIVATE_SEARCH_FIELDS) out.delete(f);
  const token = source.get(TOKEN_PARAM);
  if (token && PRIVATE_SEARCH_FIELDS.some((f) => params.get(f))) out.set(TOKEN_PARAM, token);
  return out;
}
