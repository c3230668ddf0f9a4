import { getDb } from "~db/client";
import { countRegistrations, streamRegistrationsForExport, type ScopedFilter } from "~db/queries/candidate-search";
import { translator } from "~/i18n";
import { parseCandidateFilter } from "~/schemas/candidate-filter";
import { listSubtreeSiteIds } from "~db/queries/orgs";
import { idLastFour } from "~/domain/id-number";
import { exportPercent, writeXlsxExport } from "~/exports/xlsx-export.server";
import type { JobContext } from "../define";
import type { CandidateExportPayload } from "./candidate-export";

/**
 * MGT-3 (manual §二十五 7): every result of the candidate search as .xlsx, one row per entry (a
 * candidate without entries gets one row with no subject), with the manual's columns. X-4: the ID
 * number appears only as its last 4 characters. X-2: written by streaming, with progress.
 */
export default async function exportCandidates(p: CandidateExportPayload, ctx: JobContext) {
  const db = getDb();
  const t = translator(p.locale);
  // ORG-2: the sites come from the requester's organisation, now; a `site` filter only narrows them.
  const filter: ScopedFilter = {
    ...parseCandidateFilter(new URLSearchParams(p.filter)),
    sittingId: p.sittingId,
    siteIds: await listSubtreeSiteIds(db, p.scopeOrgId),
  };
  const total = await countRegistrations(db, filter);
  let entries = 0;
  const r = await writeXlsxExport({
    kind: "candidate-export",
    name: t("export.file"),
    owner: { orgId: p.scopeOrgId, sittingId: p.sittingId, createdBy: ctx.accountId },
    sheet: t("export.sheet"),
    columns: [
      { header: t("export.col.seq"), key: "seq", width: 10 },
      { header: t("export.col.name"), key: "name", width: 14 },
      { header: t("export.col.id_last4"), key: "id4", width: 16 },
      { header: t("export.col.site"), key: "site", width: 10 },
      { header: t("export.col.class"), key: "className", width: 18 },
      { header: t("export.col.subject"), key: "subject", width: 40 },
      { header: t("export.col.entry_count"), key: "count", width: 12 },
      { header: t("export.col.entry_seq"), key: "index", width: 12 },
    ],
    pages: streamRegistrationsForExport(db, filter),
    total,
    rowsOf: (r, i) => {
      const base = {
        seq: i + 1,
        name: r.name,
        id4: idLastFour(r.id_number),
        site: r.site_code,
        className: r.class_name,
      };
      if (r.entries.length === 0) return [{ ...base, subject: "", count: 0, index: null }];
      entries += r.entries.length;
      return r.entries.map((e, n) => ({
        ...base,
        subject: `(${e.subject_code}) ${e.subject_name}`,
        count: r.entries.length,
        index: n + 1,
      }));
    },
    progress: (done) => ctx.progress(exportPercent(done, total), { key: "export.progress", params: { done, total } }),
  });
  return { fileId: r.fileId, rows: total, entries, size: r.size };
}
