import { generateFile } from "~/services/generated-files.server";
import type { JobContext } from "../define";
import type { GenerateFilePayload, GenerateFileResult } from "./generate-file";

/** Builds the file of the job's site and sitting. */
export default async function generateFileHandler(
  p: GenerateFilePayload,
  ctx: JobContext,
): Promise<GenerateFileResult> {
  if (ctx.sittingId === null) throw new Error("generated file without a sitting");
  await ctx.progress(5, { key: "roomstats.progress" });
  const r = await generateFile(p.kind, {
    order: p.order,
    onProgress: (percent) => ctx.progress(percent, { key: "roomstats.progress" }),
    sittingId: ctx.sittingId,
    siteId: p.siteId,
    siteCode: p.siteCode,
    locale: p.locale,
    actorName: p.actorName,
    accountId: ctx.accountId,
  });
  await ctx.progress(100, { key: "roomstats.progress" });
  return r;
}
