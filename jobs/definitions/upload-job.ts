import type { JobContext } from "../define";

type Handler<P, R> = { default: (payload: P, ctx: JobContext) => Promise<R> };

/**
 * an import job's handler whose uploaded file goes once the handler has answered (imported,
 * refused, or a fatal message), or is kept UPLOAD_RETENTION_DAYS; `always`: whatever the retention
 * (a photo zip: its photos are stored one by one). A handler that throws leaves the file to the
 * runner's next attempt, and to the scheduled sweep once the job has failed for good.
 */
export function endingWithUpload<P extends { fileId: string }, R>(load: () => Promise<Handler<P, R>>, opts: { always?: boolean } = {}): () => Promise<Handler<P, R>> {
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
