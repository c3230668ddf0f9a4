import * as searchRoute from "../../app/routes/admin.search";
import { act } from "./index";

/** an admin search with an ID number (or account look-up value) as the browser sends it: posted, then the page by its token. */
export async function privateSearchPath(cookie: string, to: string, fields: Record<string, string>): Promise<string> {
  const r = await act(searchRoute, "/admin/search", cookie, { searchTarget: to, ...fields });
  if (r.status !== 303 || !r.location) throw new Error(`search refused: ${r.status}`);
  return r.location;
}
