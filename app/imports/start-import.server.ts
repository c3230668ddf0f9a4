import fs from "node:fs";
import type { z } from "zod";
import type { JobDefinition } from "~jobs/define";
import { enqueueJob } from "~jobs/runner";
import type { ImportBasePayload } from "~jobs/definitions/upload-job";
import type { AdminContext } from "~/utils/auth.server";
import { storeStream } from "~/utils/file-store.server";
import { AppError } from "~/domain/errors";
import type { MessageKey } from "~/i18n";
import { checkZip, sniffFile } from "./sniff.server";
import { discardUpload, receiveUpload, type ReceivedUpload } from "./upload.server";
import type { UploadInspector } from "./zip-stream.server";

/** What an import's `prepare` hands on: the file to store (the upload, or a part of it) and the job's own fields. */
export interface PreparedImport<P> {
  path: string;
  name: string;
  contentType: string;
  payload: P;
  /** Removes what `prepare` unpacked. */
  cleanup?: () => void;
}

/**
 * The start of every import (DESIGN.md "Imports share one pipeline"; ): the upload is received
 * (streamed, capped, optionally judged as it arrives), judged by the import's `prepare` (type by
 * content, zip limits, unpacking), stored through the file store, and its job queued for the site; the
 * temporary upload goes whatever happens. The caller has run the guards (site, window). The student-record,
 * group and photo imports start here, and so will the violation and score imports.
 */
export async function startImport<S extends z.ZodTypeAny, R, P extends Record<string, unknown>>(
  ctx: AdminContext,
  request: Request,
  job: JobDefinition<S, R>,
  opts: {
    maxBytes?: number;
    inspect?: (name: string) => UploadInspector;
    prepare: (upload: ReceivedUpload) => Promise<PreparedImport<P>>;
  },
): Promise<{ ok: true; jobId: string }> {
  const upload = await receiveUpload(request, { maxBytes: opts.maxBytes, inspect: opts.inspect });
  try {
    const prepared = await opts.prepare(upload);
    try {
      const stored = await storeStream(
        {
          kind: "upload",
          name: prepared.name,
          contentType: prepared.contentType,
          orgId: ctx.org.id,
          sittingId: ctx.sitting.id,
          createdBy: ctx.accountId,
        },
        fs.createReadStream(prepared.path),
      );
      const base: ImportBasePayload = {
        fileId: stored.id,
        siteId: ctx.org.id,
        overwrite: upload.fields.overwrite === "on",
        locale: ctx.locale,
        actorName: ctx.name,
        ip: ctx.ip,
      };
      // The job's schema parses the whole payload again (enqueueJob): a field missing here fails loudly.
      const jobId = await enqueueJob(job, { ...base, ...prepared.payload } as z.input<S>, {
        accountId: ctx.accountId,
        orgId: ctx.org.id,
        sittingId: ctx.sitting.id,
      });
      return { ok: true as const, jobId };
    } finally {
      prepared.cleanup?.();
    }
  } finally {
    discardUpload(upload);
  }
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * the `prepare` of a one-sheet import (.xlsx or .csv), judged by content, not by name: an old
 * .xls, a UTF-16 text file or anything else is refused with its own message.
 */
export async function prepareSheet(upload: ReceivedUpload): Promise<PreparedImport<{ kind: "xlsx" | "csv" }>> {
  const kind = await sniffFile(upload.path);
  if (kind === "xlsx") await checkZip(upload.path);
  else if (kind === "xls") throw new AppError("upload.old_xls");
  else if (kind === "utf16") throw new AppError("upload.utf16", { name: upload.name });
  else if (kind !== "csv") throw new AppError("upload.wrong_type", { name: upload.name });
  return {
    path: upload.path,
    name: upload.name,
    contentType: kind === "xlsx" ? XLSX_TYPE : "text/csv",
    payload: { kind },
  };
}

/** A .csv-only import (the score and certificate mailing files, manual §四十 – §四十一): anything else refused with `refusal`. */
export async function prepareCsv(
  upload: ReceivedUpload,
  refusal: MessageKey,
): Promise<PreparedImport<{ kind: "csv" }>> {
  const prepared = await prepareSheet(upload);
  if (prepared.payload.kind !== "csv") throw new AppError(refusal);
  return { ...prepared, payload: { kind: "csv" } };
}
