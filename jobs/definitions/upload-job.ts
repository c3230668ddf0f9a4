import { z } from "zod";
import type { JobContext } from "../define";

/**
 * What every import job's payload holds (DESIGN.md "Imports share one pipeline"): the stored upload,
 * the site, whether to overwrite, and who asked (the report's language, the audit log). Each import
 * extends it with its own fields; startImport (app/imports) fills it.
 */
export const ImportPayloadBase = z.object({
  fileId: z.string().uuid(),
  siteId: z.number().int(),
  overwrite: z.boolean(),
  locale: z.enum(["zh-CN", "en"]),
  actorName: z.string(),
  ip: z.string().nullable(),
});
export type ImportBasePayload = z.infer<typeof ImportPayloadBase>;

type Handler<P, R> = { default: (payload: P, ctx: JobContext) => Promise<R> };

/**
 * an import job's handler whose uploaded file goes once the handler has answered (imported,
 * refused, or a fatal message), or is kept UPLOAD_RETENTION_DAYS; `always`: whatever the retention
 * (a photo zip: its photos are stored one by one). A handler that throws leaves the file to the
 * runner's next attempt, and to the scheduled sweep once the job has failed for good.
 */
export function endingWithUpload<P extends { fileId: string }, R>(
  load: () => Promise<Handler<P, R>>,
  opts: { always?: boolean } = {},
): () => Promise<Handler<P, R>> {
  return async () => {
    const m = await load();
    return {
      default: async (payload, ctx) => {
        const result = await m.default(payload, ctx);
        const { uploadJobEnded } = await import("~/services/discard-uploads.server");
        await uploadJobEnded(payload.fileId, opts);
        return result;
      },
    };
  };
}
