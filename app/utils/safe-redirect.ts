/**
 * The one place a redirect target taken from a request (a form field, a query parameter) is checked.
 * Only a path on this site is accepted; anything a browser could read as another host falls back:
 * "//evil", "/\evil" (browsers treat "\" as "/"), "/\t/evil" (browsers drop tabs and newlines),
 * "https://evil", "javascript:", and their percent-encoded forms. Pure: the result is a path, query and
 * fragment, normalised ("/a/../b" → "/b"), or `fallback`.
 */
const BASE = "http://safe-redirect.invalid";

function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x1f || code === 0x7f;
}

function hasControl(s: string): boolean {
  return [...s].some(isControl);
}

export function safeRedirect(to: unknown, fallback = "/", opts: { under?: string } = {}): string {
  if (typeof to !== "string" || to === "") return fallback;
  // Raw backslashes, whitespace and control characters have no business in a path we issued ourselves.
  if (/[\\\s]/u.test(to) || hasControl(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  let decoded = to;
  try {
    // Decode a few times: "%252F%252F" is "//" after two rounds (a proxy or a second redirect may decode).
    for (let i = 0; i < 3; i++) decoded = decodeURIComponent(decoded);
  } catch {
    return fallback;
  }
  // What a browser reads as "//host" once it drops whitespace and control characters.
  const squeezed = [...decoded].filter((c) => !/\s/u.test(c) && !isControl(c)).join("");
  if (/^[/\\]{2}/u.test(squeezed)) return fallback;
  let u: URL;
  try {
    u = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (u.origin !== BASE) return fallback;
  if (opts.under && u.pathname !== opts.under && !u.pathname.startsWith(`${opts.under}/`)) return fallback;
  return u.pathname + u.search + u.hash;
}
