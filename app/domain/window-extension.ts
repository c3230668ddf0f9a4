import type { MessageKey } from "~/i18n";

/**
 * WIN-5 (issue 15 item 5): the manual says only "apply to your superior". Here a closed window's
 * banner asks in one click; the superior approves (extends the window) or declines.
 */
export const EXTENSION_REASON_MAX = 500;

export function extensionRequestRefusal(
  view: { gated: boolean; status: "not_set" | "upcoming" | "open" | "closed" },
  level: "centre" | "province" | "city" | "site",
): MessageKey | null {
  // The centre sets the national calendar itself: it has nobody to ask.
  if (level === "centre") return "window.extension_no_superior";
  if (!view.gated || view.status === "open") return "window.extension_not_closed";
  return null;
}

export function extensionReasonProblem(reason: string): MessageKey | null {
  const r = reason.trim();
  if (!r) return "window.extension_reason_required";
  if (r.length > EXTENSION_REASON_MAX) return "window.extension_reason_long";
  return null;
}

/** Approving: the new end must be in the future (an extension that ended already grants nothing). */
export function extensionUntilProblem(until: Date | null, now: Date): MessageKey | null {
  if (!until || until.getTime() <= now.getTime()) return "window.extension_until_past";
  return null;
}
