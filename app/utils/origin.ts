/**
 * Cross-origin form posts are refused: a state-changing request whose Origin (or, failing that,
 * Referer) names another host than the one it was sent to. Requests without either header come
 * from non-browser clients, which carry no ambient cookies to abuse.
 */
export function isCrossOriginMutation(
  method: string,
  host: string | undefined,
  origin: string | undefined,
  referer: string | undefined,
): boolean {
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

/**
 * The Host values this server answers to: PUBLIC_URL's host, or, without it, the server's own address
 * on its port (localhost, 127.0.0.1, [::1]). Anything else is refused before the app runs, so that no
 * page, link or redirect is ever built for a host a client made up.
 */
export function allowedHosts(publicUrl: string | undefined, port: number): Set<string> {
  if (publicUrl) {
    const u = new URL(publicUrl);
    const hosts = new Set([u.host.toLowerCase()]);
    // A browser omits the default port; a client may still send it.
    const defaultPort = u.protocol === "https:" ? "443" : "80";
    if (!u.port) hosts.add(`${u.hostname.toLowerCase()}:${defaultPort}`);
    return hosts;
  }
  return new Set(["localhost", "127.0.0.1", "[::1]"].map((h) => `${h}:${port}`));
}

export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.trim().toLowerCase());
}
