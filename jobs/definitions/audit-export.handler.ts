import { getDb } from "~db/client";
import { auditEntityNames, auditFilter, countAudit, streamAudit } from "~db/queries/audit";
import { listSubtreeIds } from "~db/queries/orgs";
import { formatDateTime, isMessageKey, translator } from "~/i18n";
import { getEnv } from "~/utils/env.server";
import { exportPercent, writeXlsxExport } from "~/exports/xlsx-export.server";
import type { JobContext } from "../define";
import type { AuditExportPayload } from "./audit-export";

/** the audit log of the requester's scope, as .xlsx, written by streaming. */
export default async function exportAudit(p: AuditExportPayload, ctx: JobContext) {
  const db = getDb();
  const t = translator(p.locale);
  const tz = getEnv().timeZone;
  const label = (key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);
  // The requester of the job is the reader: the same filter as the page they counted on.
  const filter = auditFilter(
    { orgIds: await listSubtreeIds(db, p.scopeOrgId), sittingId: p.sittingId, accountId: ctx.accountId },
    p,
  );
  const total = await countAudit(db, filter);
  const r = await writeXlsxExport({
    kind: "audit-export",
    name: t("audit.export_file"),
    owner: { orgId: p.scopeOrgId, sittingId: p.sittingId, createdBy: ctx.accountId },
    sheet: t("audit.title"),
    columns: [
      { header: t("audit.col.at"), key: "at", width: 18 },
      { header: t("audit.col.actor"), key: "actor", width: 14 },
      { header: t("audit.col.org"), key: "org", width: 24 },
      { header: t("audit.col.action"), key: "action", width: 22 },
      { header: t("audit.col.action_code"), key: "action_code", width: 22 },
      { header: t("audit.col.entity"), key: "entity", width: 22 },
      { header: t("audit.col.changes"), key: "changes", width: 80 },
      { header: "IP", key: "ip", width: 16 },
    ],
    pages: withEntityNames(streamAudit(db, filter)),
    total,
    rowsOf: (r) => [
      {
        at: formatDateTime(r.at, p.locale, tz),
        actor: r.actor_name,
        org: r.org_code ? `${r.org_name} (${r.org_code})` : t("audit.no_org"),
        action: label(`audit.action.${r.action}`, r.action),
        action_code: r.action,
        entity: [label(`audit.entity.${r.entity_type}`, r.entity_type), r.entity_name].filter(Boolean).join(" · "),
        changes: JSON.stringify(r.changes),
        ip: r.ip ?? "",
      },
    ],
    progress: (done) =>
      ctx.progress(exportPercent(done, total), { key: "export.progress_rows", params: { done, total } }),
  });
  return { fileId: r.fileId, rows: total, size: r.size };
}

/** Issue 15 item 4: each page of the log with what its rows are about, by name (as the page shows them). */
async function* withEntityNames(pages: ReturnType<typeof streamAudit>) {
  for await (const rows of pages) {
    const names = await auditEntityNames(getDb(), rows);
    yield rows.map((r) => ({ ...r, entity_name: names[`${r.entity_type}:${r.entity_id}`] ?? "" }));
  }
}
