import { z } from "zod";
import { NON_KEY_FIELDS, REVIEW_FAILURE_TYPES } from "~/domain/candidate-management";

/**
 * MGT-1 … MGT-4: the candidate list, the candidate's page and bulk review act on a selection (the
 * ticked `ids` or every search result, read by parseSelection) with one of these intents.
 */
export const MGT_INTENT = {
  update: "update",
  lock: "lock",
  unlock: "unlock",
  cancel: "cancel",
  delete: "delete",
  pass: "pass",
  fail: "fail",
  submitReview: "submit_review",
  refreshPayment: "refresh_payment",
  reissuePassword: "reissue_password",
} as const;

const unknownAction = { errorMap: () => ({ message: "mgt.unknown_action" }) };
const reason = z.string().default("");
const pass = z.object({ intent: z.literal(MGT_INTENT.pass) });
const fail = z.object({
  intent: z.literal(MGT_INTENT.fail),
  failureType: z.enum(REVIEW_FAILURE_TYPES, { errorMap: () => ({ message: "mgt.failure_type_required" }) }),
  reason,
});
const lock = z.object({ intent: z.literal(MGT_INTENT.lock) });
const unlock = z.object({ intent: z.literal(MGT_INTENT.unlock) });
const cancel = z.object({ intent: z.literal(MGT_INTENT.cancel), reason });

/** MGT-4: bulk review. */
export const ReviewActionSchema = z.discriminatedUnion("intent", [pass, fail], unknownAction);

/** MGT-1/MGT-2: the candidate list's bulk actions. */
export const CandidateListActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(MGT_INTENT.update),
      ...Object.fromEntries(NON_KEY_FIELDS.map((k) => [k, z.string().default("")])),
    }) as z.ZodObject<
      { intent: z.ZodLiteral<"update"> } & Record<(typeof NON_KEY_FIELDS)[number], z.ZodDefault<z.ZodString>>
    >,
    lock,
    unlock,
    cancel,
    // The search's entry filter names the entries that go (manual §二十五 10).
    z.object({ intent: z.literal(MGT_INTENT.delete), filter: z.string().default("") }),
  ],
  unknownAction,
);

/** MGT-1 … MGT-4, CAN-7, ORG-9: the actions on one candidate's page. */
export const CandidateActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal(MGT_INTENT.refreshPayment) }),
    z.object({ intent: z.literal(MGT_INTENT.reissuePassword) }),
    z.object({ intent: z.literal(MGT_INTENT.submitReview) }),
    pass,
    fail,
    lock,
    unlock,
    cancel,
    z.object({ intent: z.literal(MGT_INTENT.delete), subject: z.string().default("") }),
  ],
  unknownAction,
);
