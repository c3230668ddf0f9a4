import { pregenerateCandidateCards } from "~/services/candidate-cards.server";
import type { JobContext } from "../define";
import type { CandidateCardsPayload, CandidateCardsResult } from "./candidate-cards";

/** DOC-3: the cards of the job's site and sitting that are missing or out of date. */
export default async function candidateCardsHandler(
  p: CandidateCardsPayload,
  ctx: JobContext,
): Promise<CandidateCardsResult> {
  if (ctx.sittingId === null) throw new Error("candidate cards without a sitting");
  return pregenerateCandidateCards({ sittingId: ctx.sittingId, siteId: p.siteId, locale: p.locale }, (percent) =>
    ctx.progress(percent, { key: "ccards.progress" }),
  );
}
