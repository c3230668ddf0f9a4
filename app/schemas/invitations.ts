import { z } from "zod";

/** ORG-3: the invitations page's forms: accept or decline one invitation. */
export const INVITATION_INTENT = { accept: "accept", decline: "decline" } as const;

export const InvitationAnswerSchema = z.object({
  intent: z.enum([INVITATION_INTENT.accept, INVITATION_INTENT.decline]),
  invitationId: z.coerce.number().int().positive(),
});
