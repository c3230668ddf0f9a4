import { getDb } from "~db/client";
import { countCancellations, streamCancellations, type CancellationQuery } from "~db/queries/cancellations";
import { formatDateTime, translator, type MessageKey } from "~/i18n";
import { cancellationQueryOf, parseCancellationFilter } from "~/schemas/cancellation-filter";
import { listSubtreeSiteIds } from "~db/queries/orgs";
import { idLastFour } from "~/domain/id-number";
import { getEnv } from "~/utils/env.server";
import { exportPercent, writeXlsxExport } from "~/exports/xlsx-export.server";
import type { JobContext } from "../define";
import type { CancellationExportPayload } from "./cancellation-export";

/**
 * MGT-5 (manual §二十七 2): the cancellations search as .xlsx, one row per cancellation. X-4: the ID
 * number appears only as its last 4 characters. X-2: written by streaming, with progress.
 */
export default async function exportCancellations(p: CancellationExportPayload, ctx: JobContext) {
  const db = getDb();
  const t = translator(p.locale);
  const tz = getEnv().timeZone;
  const f = parseCancellationFilter(new URLSearchParams(p.filter));
  // ORG-2: the sites come from the requester's organisation, now; a `site` filter only narrows them.
  const query: CancellationQuery = {
    ...cancellationQueryOf(f, tz),
    sittingId: p.sittingId,
    siteIds: await listSubtreeSiteIds(db, p.scopeOrgId),
  };
  const total = await countCancellations(db, query);
  // A few hundred subjects at most: one read, not one per page.
  const names = new Map(
    (await db.selectFrom("subject").select(["code", "name"]).execute()).map((s) => [s.code, s.name]),
  );
  const r = await writeXlsxExport({
    kind: "cancellation-export",
    name: t("cancel.export_file"),
    owner: { orgId: p.scopeOrgId, sittingId: p.sittingId, createdBy: ctx.accountId },
    sheet: t("cancel.sheet"),
    columns: [
      { header: t("cancel.col.seq"), key: "seq", width: 8 },
      { header: t("cancel.col.site"), key: "site", width: 10 },
      { header: t("cancel.col.name"), key: "name", width: 14 },
      { header: t("cancel.col.id_last4"), key: "id4", width: 16 },
      { header: t("cancel.col.class"), key: "className", width: 18 },
      { header: t("cancel.col.channel"), key: "channel", width: 12 },
      { header: t("cancel.col.subjects"), key: "subjects", width: 50 },
      { header: t("cancel.col.paid"), key: "paid", width: 14 },
      { header: t("cancel.col.reason"), key: "reason", width: 40 },
      { header: t("cancel.col.by"), key: "by", width: 14 },
      { header: t("cancel.col.at"), key: "at", width: 18 },
    ],
    pages: streamCancellations(db, query),
    total,
    rowsOf: (r, i) => [
      {
        seq: i + 1,
        site: r.site_code,
        name: r.name,
        id4: idLastFour(r.id_number),
        className: r.class_name,
        channel: t(`cancel.channel.${r.channel}` as MessageKey),
        subjects: r.subject_codes.map((c) => `(${c}) ${names.get(c) ?? ""}`.trim()).join(t("cancel.sep")),
        paid: r.paid_fen / 100,
        reason: r.reason,
        by: r.cancelled_by_name,
        at: formatDateTime(r.cancelled_at, p.locale, tz),
      },
    ],
    progress: (done) => ctx.progress(exportPercent(done, total), { key: "export.progress", params: { done, total } }),
  });
  return { fileId: r.fileId, rows: total, size: r.size };
}
