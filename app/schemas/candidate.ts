import { z } from "zod";
import { PERSONAL_FIELDS } from "~/domain/registration";

/** The candidate pages' forms (CAN-1 … CAN-10). */

/** SR-6/CAN-3: the ID number and name the site choice starts from (checked by saveDraft). */
export const SiteDraftSchema = z.object({
  idType: z.string().default(""),
  idNumber: z.string().default(""),
  name: z.string().default(""),
});

/** CAN-5: the personal details form; every field is judged by saveRegistration, one message per field. */
export const DetailsFormSchema = z.object({
  site: z.coerce.number().int().default(0),
  ...Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, z.string().default("")])),
}) as z.ZodObject<
  { site: z.ZodDefault<z.ZodNumber> } & Record<(typeof PERSONAL_FIELDS)[number], z.ZodDefault<z.ZodString>>
>;

/** CAN-7: pay now, ask the gateway again, or give up the open payment. */
export const PAY_INTENT = { pay: "pay", refresh: "refresh", abandon: "abandon" } as const;
export const PayActionSchema = z.object(
  { intent: z.enum([PAY_INTENT.pay, PAY_INTENT.refresh, PAY_INTENT.abandon]) },
  { errorMap: () => ({ message: "form.invalid" }) },
);

/** CAN-9/MGT-4: the status page's one action. */
export const STATUS_INTENT = { submitReview: "submit_review" } as const;
export const StatusActionSchema = z.object({
  intent: z.literal(STATUS_INTENT.submitReview, { errorMap: () => ({ message: "form.invalid" }) }),
});

/** CAN-4: the preferred exam date, when the form offers one (the ticked subjects are a list, read beside it). */
export const EntriesFormSchema = z.object({ preferredDate: z.string().optional() });
