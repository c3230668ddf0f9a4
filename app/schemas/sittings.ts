import { z } from "zod";

/** ORG-7: the sitting an administrator views, and the page to go back to. */
export const SittingSwitchSchema = z.object({
  sittingId: z.coerce.number().int().default(0),
  redirectTo: z.string().default(""),
});
