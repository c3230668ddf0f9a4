import { normalisePhone, toHalfWidth } from "./import-values";

/** MGT-2 passport lookup: the value as accounts store it (e-mail lower-case, mobile digits only). */
export function normaliseAccountLogin(by: "id" | "email" | "mobile", raw: string): string {
  const v = toHalfWidth(raw).trim();
  if (by === "email") return v.toLowerCase();
  if (by === "mobile") return normalisePhone(v) ?? "";
  return v;
}

/** enough of an e-mail or mobile for the candidate to recognise it, not enough to harvest it. */
export function maskEmail(email: string | null): string {
  if (!email) return "";
  const [local, domain] = email.split("@");
  return `${local.slice(0, 2)}***@${domain ?? ""}`;
}

export function maskMobile(mobile: string | null): string {
  if (!mobile) return "";
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : "****";
}
