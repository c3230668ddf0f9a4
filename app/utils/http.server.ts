import { data } from "@remix-run/node";
import { ZodError, type z } from "zod";
import { isAppError } from "~/domain/errors";
import { isMessageKey, type MessageKey } from "~/i18n";
import { getT, renderMessage } from "./i18n.server";
import { readSession } from "./session.server";

/** The viewer's translator: their account's language, else their cookie's. */
export async function tFor(request: Request) {
  const s = await readSession(request).catch(() => null);
  return (await getT(request, s?.user.locale)).t;
}

/** The message of a user-caused error in the user's language, or null for anything else. */
export async function userMessage(request: Request, e: unknown): Promise<{ message: string; status: number } | null> {
  if (isAppError(e)) return { message: renderMessage(await tFor(request), e.key, e.params), status: e.status };
  if (e instanceof ZodError) {
    const t = await tFor(request);
    const first = e.issues[0];
    // Our schemas name a message key; zod's own English text ("Invalid enum value. Expected …") never reaches the user.
    const key: MessageKey = isMessageKey(first?.message) ? first.message : "form.invalid";
    return { message: renderMessage(t, key, { field: first?.path.join(".") ?? "" }), status: 400 };
  }
  return null;
}

/** Loaders: user-caused errors become a status with a message for the error boundary. */
export async function guardLoader<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const m = await userMessage(request, e);
    if (m) throw data({ message: m.message }, { status: m.status });
    throw e;
  }
}

/** Actions: user-caused errors come back as `{ error }` so the form can show them in place. */
export async function guardAction<T>(request: Request, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (e) {
    const m = await userMessage(request, e);
    // Issue 15 item 1: an error about one row of a grid names it (`row` param), so the page marks that row.
    const errorRow = isAppError(e) && typeof e.params.row === "string" ? e.params.row : undefined;
    if (m) return data({ ok: false as const, error: m.message, errorRow }, { status: m.status });
    throw e;
  }
}

/**
 * An action's form, parsed by its schema (a zod object, or a discriminated union on `intent` for a page
 * with several forms): string fields only. A ZodError becomes the user's message through guardAction.
 */
export async function readForm<S extends z.ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  return parseForm(await request.formData(), schema);
}

/** The same for a form already read (a page whose form also carries a list, e.g. the ticked `ids`). */
export function parseForm<S extends z.ZodTypeAny>(form: FormData, schema: S): z.infer<S> {
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v;
  return schema.parse(fields);
}
