import { z } from "zod";
import { WINDOW_KINDS } from "~/domain/windows";

/** SET-1 … SET-8, WIN-1 … WIN-3: the setup and window pages' forms. */

const text = z.string().default("");
const invalid = { errorMap: () => ({ message: "form.invalid" }) };
/** A site picked by a superior (its scope is checked by the service). */
const siteId = z.coerce.number({ invalid_type_error: "form.invalid" }).int().positive({ message: "form.invalid" });
/** A checkbox: present ("on") when ticked, absent otherwise. */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on");

/** The fields named `<prefix><key>` (a row per subject or per organisation), by key. */
export function fieldsWithPrefix(fields: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields))
    if (k.startsWith(prefix) && typeof v === "string") out[k.slice(prefix.length)] = v;
  return out;
}

/** SET-1/SET-8/CAN-2: the site's settings page: switches and maximum entries, class options, online registration. */
export const SETTINGS_INTENT = { settings: "settings", classes: "classes", online: "online" } as const;
export const SITE_FLAGS = [
  "open",
  "group_registration",
  "group_payment",
  "review_required",
  "class_required",
  "self_print",
] as const;
export const SettingsActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(SETTINGS_INTENT.settings),
      max_entries: text,
      ...Object.fromEntries(SITE_FLAGS.map((f) => [f, checkbox])),
    }) as z.ZodObject<
      { intent: z.ZodLiteral<"settings">; max_entries: typeof text } & Record<
        (typeof SITE_FLAGS)[number],
        typeof checkbox
      >
    >,
    z.object({ intent: z.literal(SETTINGS_INTENT.classes), class_options: text }),
    z.object({ intent: z.literal(SETTINGS_INTENT.online), enabled: checkbox, start: text, end: text }),
  ],
  invalid,
);

/** SET-4/SET-5/CAN-4: capacity (a total and `cap_<subject>`), preferred-date quotas (`quota_<date>`), the switch. */
export const CAPACITY_INTENT = {
  capacity: "capacity",
  quotas: "quotas",
  preferredEnabled: "preferred-enabled",
} as const;
export const CapacityActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal(CAPACITY_INTENT.capacity), total: text }).catchall(z.string()),
    z.object({ intent: z.literal(CAPACITY_INTENT.quotas) }).catchall(z.string()),
    z.object({ intent: z.literal(CAPACITY_INTENT.preferredEnabled), enabled: checkbox }),
  ],
  invalid,
);

/**
 * WIN-1/WIN-2: the window grid: one kind, either every organisation of a level at once (`set-all`)
 * or the rows listed in `orgIds`, each with `start_<id>`, `end_<id>` and what they were when shown.
 */
export const WINDOWS_INTENT = { setAll: "set-all", save: "save" } as const;
export const WindowsActionSchema = z
  .object({
    kind: z.enum(WINDOW_KINDS, invalid),
    intent: z.enum([WINDOWS_INTENT.setAll, WINDOWS_INTENT.save], invalid),
    level: text,
    start_all: text,
    end_all: text,
    orgIds: text,
  })
  .catchall(z.string());

/** SET-6/SET-7: a notice's text (judged by saveNotice). */
export const NoticeSchema = z.object({ body: text });

/** SET-9: a site's eligibility switches, set by its province. */
export const ELIGIBILITY_FLAGS = ["registry_enabled", "only_province_registry", "only_site_registry"] as const;
export const EligibilitySchema = z.object({
  siteId,
  ...Object.fromEntries(ELIGIBILITY_FLAGS.map((f) => [f, checkbox])),
}) as z.ZodObject<{ siteId: z.ZodNumber } & Record<(typeof ELIGIBILITY_FLAGS)[number], typeof checkbox>>;

/** SET-3: a site's fees, set by its province: per person and `fee_<subject>` in yuan (judged by parseYuan). */
export const FeesSchema = z.object({ siteId, per_person: text }).catchall(z.string());

/** WIN-5: ask the superior for more time in a closed window; the superior approves (until when) or declines. */
export const EXTENSION_INTENT = { request: "request", approve: "approve", decline: "decline" } as const;
const requestId = z.coerce.number({ invalid_type_error: "form.invalid" }).int().positive({ message: "form.invalid" });
export const ExtensionActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(EXTENSION_INTENT.request),
      kind: z.enum(WINDOW_KINDS, invalid),
      reason: text,
      wanted_until: text,
    }),
    z.object({ intent: z.literal(EXTENSION_INTENT.approve), requestId, until: text }),
    z.object({ intent: z.literal(EXTENSION_INTENT.decline), requestId, note: text }),
  ],
  invalid,
);
