import { generateMockReport } from "~/services/cbt-uploads.server";
import type { JobContext } from "../define";
import type { CbtMockReportPayload } from "./cbt-mock-report";

export default async function cbtMockReportHandler(p: CbtMockReportPayload, ctx: JobContext) {
  await ctx.progress(10);
  const report = await generateMockReport(p.uploadId);
  return report ? { files: report.files, totalBytes: report.totalBytes } : null;
}
