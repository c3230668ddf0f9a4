import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import { auditFilter, countAudit, streamAudit } from "~db/queries/audit";
import { listSubtreeIds } from "~db/queries/orgs";
import { formatDateTime, translator } from "~/i18n";
import { getEnv } from "~/utils/env.server";
import { storeFile } from "~/utils/file-store.server";
import type { JobContext } from "../define";
import type { AuditExportPayload } from "./audit-export";

/** the audit log of the requester's scope, as .xlsx, written by streaming. */
export default async function exportAudit(p: AuditExportPayload, ctx: JobContext) {
  const db = getDb();
  const t = translator(p.locale);
  const tz = getEnv().timeZone;
  // The requester of the job is the reader: the same filter as the page they counted on.
  const filter = auditFilter(
    { orgIds: await listSubtreeIds(db, p.scopeOrgId), sittingId: p.sittingId, accountId: ctx.accountId },
    p,
  );
  const total = await countAudit(db, filter);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "");
  const stored = await storeFile(
    {
      kind: "audit-export",
      name: `${t("audit.export_file")}-${stamp}.xlsx`,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      orgId: p.scopeOrgId,
      sittingId: p.sittingId,
      createdBy: ctx.accountId,
    },
    async (abs) => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: abs, useSharedStrings: false, useStyles: false });
      const ws = wb.addWorksheet(t("audit.title"));
      ws.columns = [
        { header: t("audit.col.at"), key: "at", width: 18 },
        { header: t("audit.col.actor"), key: "actor", width: 14 },
        { header: t("audit.col.org"), key: "org", width: 24 },
        { header: t("audit.col.action"), key: "action", width: 22 },
        { header: t("audit.col.entity"), key: "entity", width: 22 },
        { header: t("audit.col.changes"), key: "changes", width: 80 },
        { header: "IP", key: "ip", width: 16 },
      ];
      let done = 0;
      for await (const rows of streamAudit(db, filter)) {
        for (const r of rows) {
          ws.addRow({
            at: formatDateTime(r.at, p.locale, tz),
            actor: r.actor_name,
            org: r.org_code ? `${r.org_name} (${r.org_code})` : "",
            action: r.action,
            entity: `${r.entity_type} ${r.entity_id}`,
            changes: JSON.stringify(r.changes),
            ip: r.ip ?? "",
          }).commit();
        }
        done += rows.length;
        await ctx.progress(total ? (done / total) * 95 : 95, `${done} / ${total}`);
      }
      ws.commit();
      await wb.commit();
    },
  );
  return { fileId: stored.id, rows: total, size: stored.size };
}
