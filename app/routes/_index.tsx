import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { readSession } from "~/utils/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await readSession(request);
  if (!s) return redirect("/login");
  return redirect(s.user.role === "admin" ? "/admin" : "/candidate");
}
