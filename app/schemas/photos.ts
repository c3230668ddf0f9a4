import { z } from "zod";

/** PHO-5: the photo check page: start a check, or delete the unmatched photos a finished check listed. */
export const PHOTO_CHECK_INTENT = { check: "check", deleteUnmatched: "delete-unmatched" } as const;

export const PhotoCheckActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal(PHOTO_CHECK_INTENT.check) }),
    z.object({ intent: z.literal(PHOTO_CHECK_INTENT.deleteUnmatched), jobId: z.string().default("") }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
