import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import type { Capability } from "~/domain/permissions";
import type { WindowKind } from "~/domain/windows";
import type { JobDefinition } from "~jobs/define";
import {
  canChange,
  getWindowView,
  requireAdminMutation,
  requireCapability,
  requireCapabilityOf,
  requireSite,
} from "~/utils/permissions.server";
import { prepareSheet, startImport, type PreparedImport } from "./start-import.server";
import type { ReceivedUpload } from "./upload.server";

// A one-sheet import's page, server side (student records, rooms …): the site's own, gated by its
// window (WIN-2/WIN-3), its last job read by the one who started it.

type SheetJob<R> = JobDefinition<any, R>;

/** The page's data: the window, whether this user may import now, and their last import of this kind. */
export async function loadSheetImport<R>(
  request: Request,
  job: SheetJob<R>,
  capability: Capability,
  /** null: no window gates this import (the score file, manual §四十). */
  window: WindowKind | null,
) {
  const ctx = await requireCapability(request, capability);
  requireSite(ctx);
  const last = await findLastJobOf(getDb(), job, { orgId: ctx.org.id, accountId: ctx.accountId });
  return {
    window: window
      ? await getWindowView(ctx, window)
      : { kind: "post_exam_downloads" as const, gated: false, status: "open" as const, starts_at: null, ends_at: null },
    writable: canChange(ctx),
    last: last
      ? { id: last.id, status: last.status, created_at: last.created_at, error: last.error, result: last.result }
      : null,
  };
}

/** The upload: inside the window, by a site administrator, judged by content, then queued. */
export async function startSheetImport<R>(
  request: Request,
  job: SheetJob<R>,
  window: WindowKind | null,
  opts: {
    capability?: Capability;
    prepare?: (upload: ReceivedUpload) => Promise<PreparedImport<Record<string, unknown>>>;
  } = {},
) {
  const ctx = await requireAdminMutation(request, { window: window ?? undefined });
  if (opts.capability) requireCapabilityOf(ctx, opts.capability);
  requireSite(ctx);
  return startImport(ctx, request, job, { prepare: opts.prepare ?? prepareSheet });
}
