/**
 * Cross-origin form posts are refused: a state-changing request whose Origin (or, failing that,
 * Referer) names another host than the one it was sent to. Requests without either header come
 * from non-browser clients, which carry no ambient cookies to abuse.
 */
export function isCrossOriginMutation(method: string, host: string | undefined, origin: string | undefined, referer: string | undefined): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return false;
  const source = origin && origin !== "null" ? origin : referer;
  if (origin === "null") return true;
  if (!source) return false;
  try {
    return new URL(source).host !== host;
  } catch {
    return true;
  }
}
