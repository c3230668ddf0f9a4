// X-7/CAN-4 (issue 21 item 2): the entries form sent by the page's script to its resource route
// (`candidate.entries.save.ts`), so that a refusal ("full") is a line of JSON instead of the whole page
// rendered again. Without JavaScript the form posts to the page itself as before. Shared by the route
// and the page; the answer's reading is pure so that it is tested without a browser.

/** Where a saved change leads: the entries page with its confirmation. */
export const SAVED_PAGE = "/candidate/entries?saved=1";
/** The resource route the page's script posts the form to. */
export const SAVE_URL = "/candidate/entries/save";

export type SaveAnswer =
  | { kind: "saved" }
  | { kind: "refused"; message: string }
  | { kind: "busy"; retryInMs: number }
  /** Anything else (a server error, an unexpected page): post the form as a document, as without JavaScript. */
  | { kind: "document" };

/**
 * What the resource route's answer means. Sent with `redirect: "manual"`, so a redirect arrives
 * opaque: the only ones are the saved page and a guard's (login, password change), and opening the
 * saved page runs the same guards, so both lead where they should. A 503 is the rush limiter's
 * (decision 0048): retry after its Retry-After, spread over the last second of it (`random`) so
 * that candidates refused together do not come back together.
 */
export async function readSaveAnswer(r: Response, random: () => number = Math.random): Promise<SaveAnswer> {
  if (r.type === "opaqueredirect" || (r.status >= 300 && r.status < 400)) return { kind: "saved" };
  if (r.status === 503) {
    const seconds = Number(r.headers.get("Retry-After"));
    const s = Number.isFinite(seconds) && seconds >= 1 ? Math.min(seconds, 60) : 3;
    return { kind: "busy", retryInMs: Math.round((s - random()) * 1000) };
  }
  if (
    (r.status === 200 || (r.status >= 400 && r.status < 500)) &&
    (r.headers.get("Content-Type") ?? "").includes("application/json")
  ) {
    const body = (await r.json().catch(() => null)) as { error?: unknown } | null;
    if (body && typeof body.error === "string") return { kind: "refused", message: body.error };
  }
  return { kind: "document" };
}
