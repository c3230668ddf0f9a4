// DOC-8 (manual §四十八, §四十九): a site's CBT mock-exam report packages and CBT exception files, as
// pure rules: their states, who may move them, and what the report says of a package.

import type { CbtUploadKind, CbtUploadStatus } from "~db/schema";

export const CBT_UPLOAD_KINDS = ["mock_report", "exception"] as const satisfies readonly CbtUploadKind[];

/** DOC-8: a mock-exam report is generated (生成报告中 → 报告已生成, or failed); an exception file is handled. */
export const MOCK_REPORT_STATES = ["generating", "done", "failed"] as const satisfies readonly CbtUploadStatus[];
export const EXCEPTION_STATES = ["not_started", "processing", "done"] as const satisfies readonly CbtUploadStatus[];
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

export const firstStatus = (kind: CbtUploadKind): CbtUploadStatus =>
  kind === "mock_report" ? "generating" : "not_started";

/** §四十八 3: no new mock-exam package while a report is being generated. */
export const canUploadMockReport = (statuses: readonly CbtUploadStatus[]) => !statuses.includes("generating");

/** §四十九 4: the site deletes its exception files, except one its superiors are handling right now. */
export const canDeleteException = (status: CbtUploadStatus) => status !== "processing";

/** An exception file's handling is set by a superior of the site (the province, city or centre that handles it). */
export const isExceptionState = (s: string): s is ExceptionState => (EXCEPTION_STATES as readonly string[]).includes(s);

export interface PackageEntry {
  name: string;
  size: number;
}

export interface MockReport {
  files: number;
  totalBytes: number;
  /** Files and bytes per extension ("dbf", "log", "" for none), most bytes first. */
  byType: Array<{ type: string; files: number; bytes: number }>;
  /** The first files of the package (at most 200), as listed. */
  listed: PackageEntry[];
}

/**
 * DOC-8: what the report says of an uploaded mock-exam package: its files, sizes and kinds of file
 * (no official layout of the package is public, so the report describes what arrived).
 */
export function mockReport(entries: readonly PackageEntry[]): MockReport {
  const byType = new Map<string, { files: number; bytes: number }>();
  let totalBytes = 0;
  const files = entries.filter((e) => !e.name.endsWith("/"));
  for (const e of files) {
    const base = e.name.split("/").pop() ?? "";
    const dot = base.lastIndexOf(".");
    const type = dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
    const t = byType.get(type) ?? { files: 0, bytes: 0 };
    t.files++;
    t.bytes += e.size;
    byType.set(type, t);
    totalBytes += e.size;
  }
  return {
    files: files.length,
    totalBytes,
    byType: [...byType.entries()]
      .map(([type, t]) => ({ type, ...t }))
      .sort((a, b) => b.bytes - a.bytes || a.type.localeCompare(b.type)),
    listed: files.slice(0, 200).map((e) => ({ name: e.name, size: e.size })),
  };
}

/** DOC-8: a superior's view of one site: its latest report's state, and its exception files by state. */
export interface SiteCbtStatus {
  siteId: number;
  report: CbtUploadStatus | null;
  reportAt: Date | null;
  exceptions: Record<ExceptionState, number>;
}

export function siteCbtStatuses(
  siteIds: readonly number[],
  rows: ReadonlyArray<{ org_id: number; kind: CbtUploadKind; status: CbtUploadStatus; uploaded_at: Date; id: number }>,
): SiteCbtStatus[] {
  const out = new Map<number, SiteCbtStatus>(
    siteIds.map((id) => [
      id,
      { siteId: id, report: null, reportAt: null, exceptions: { not_started: 0, processing: 0, done: 0 } },
    ]),
  );
  const latestReport = new Map<number, number>();
  for (const r of rows) {
    const s = out.get(r.org_id);
    if (!s) continue;
    if (r.kind === "mock_report") {
      if ((latestReport.get(r.org_id) ?? -1) < r.id) {
        latestReport.set(r.org_id, r.id);
        s.report = r.status;
        s.reportAt = r.uploaded_at;
      }
    } else if (isExceptionState(r.status)) s.exceptions[r.status]++;
  }
  return [...out.values()];
}
