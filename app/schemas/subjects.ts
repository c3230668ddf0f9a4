import { z } from "zod";

/** SET-2/SET-3: the site's subjects page: offer a subject (with its exam range) or withdraw it. */
export const SUBJECT_INTENT = { add: "add", remove: "remove" } as const;

const code = z.string().trim();

export const SubjectActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal(SUBJECT_INTENT.add),
      code,
      start: z.string().default(""),
      end: z.string().default(""),
    }),
    z.object({ intent: z.literal(SUBJECT_INTENT.remove), code }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
