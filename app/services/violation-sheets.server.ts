import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import { subjectNames } from "~db/queries/cancellations";
import {
  VIOLATION_COLUMNS,
  VIOLATION_KINDS,
  VIOLATION_REQUIRED,
  VIOLATION_SHEET,
  kindLabel,
} from "~/domain/violations";
import { violationTable } from "~/domain/violations";
import { translator, type Locale } from "~/i18n";
import { listViolations, violationCounts } from "./violations.server";

// VIO-1/VIO-2 spreadsheets: the import template, the list export (ID numbers masked, X-4) and the
// statistics export.

const ZH_KINDS = ["缺考", "违纪", "作弊", "其他违规"];

/** VIO-1: the import template: admission numbers as text (16 digits exceed a number cell), the kind as a list. */
export async function buildViolationTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const data = wb.addWorksheet(VIOLATION_SHEET);
  const help = wb.addWorksheet("填写说明");
  data.columns = VIOLATION_COLUMNS.map((h) => ({
    header: VIOLATION_REQUIRED.includes(h) ? `${h}*` : h,
    key: h,
    width: h === "准考证号" ? 20 : h === "备注" ? 40 : 12,
    style: h === "准考证号" ? { numFmt: "@" } : undefined,
  }));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: "frozen", ySplit: 1 }];
  for (let r = 2; r <= 1000; r++)
    data.getCell(r, 3).dataValidation = {
      type: "list",
      allowBlank: true,
      formulae: [`"${ZH_KINDS.join(",")}"`],
    };
  help.columns = [{ header: "填写说明", key: "t", width: 100 }];
  [
    `1. 只有“${VIOLATION_SHEET}”工作表会被导入，每行一条违规信息（一个准考证号，即一名考生的一个科目）。`,
    "2. 准考证号：必填，本考点本考次已编排的准考证号；请保持文本格式（16 位数字存成数字会丢失末位）。",
    "3. 姓名：可以为空；填写时必须与报名信息一致，用来发现填错的准考证号。",
    "4. 违纪类型：必填，缺考、违纪、作弊或其他违规（也可写 absent / misconduct / cheating / other）。",
    "5. 备注：最多 200 个字，可以为空。",
    "6. 同一准考证号已有违规信息且类型不同时，勾选“覆盖”才会改成文件中的类型和备注。",
    "7. 导入要么全部成功，要么全部不导入：有任何错误时会列出每一行每一列的错误。",
    "8. 处理依据《考务工作规则》第七部分：违纪者当次该科目成绩无效；作弊者视情节当次全部科目成绩无效。",
  ].forEach((line) => help.addRow({ t: line }));
  help.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheetOf(wb: ExcelJS.Workbook, name: string, header: string[], rows: Array<Array<string | number>>) {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.views = [{ state: "frozen", ySplit: 1 }];
  header.forEach((_, i) => (ws.getColumn(i + 1).width = i === 0 ? 20 : 14));
  return ws;
}

/** VIO-1: the site's violations as .xlsx in the viewer's language; ID numbers keep their last four. */
export async function exportViolations(locale: Locale, sittingId: number, site: { id: number; code: string }) {
  const t = translator(locale);
  const { rows } = await listViolations(getDb(), sittingId, site.id, { limit: 1_000_000 });
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const ws = sheetOf(
    wb,
    t("violations.title"),
    [
      t("violations.col_no"),
      t("violations.col_name"),
      t("violations.col_id"),
      t("violations.col_subject"),
      t("violations.col_kind"),
      t("violations.col_remark"),
      t("violations.col_source"),
      t("violations.col_by"),
    ],
    rows.map((r) => [
      r.admission_no,
      r.name,
      r.id_number,
      `(${r.subject_code}) ${r.subject_name}`,
      t(kindLabel(r.kind)),
      r.remark,
      t(`violations.source.${r.source}`),
      r.created_by_name,
    ]),
  );
  ws.getColumn(1).numFmt = "@";
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    fileName: `${t("violations.title")}-${site.code}.xlsx`,
  };
}

/** VIO-2: counts by subject and kind for a scope's sites, with per-site rows when there are several. */
export async function violationStatistics(sittingId: number, sites: ReadonlyArray<{ id: number }>) {
  const db = getDb();
  const counts = await violationCounts(
    db,
    sittingId,
    sites.map((s) => s.id),
  );
  const table = violationTable(counts);
  const names = await subjectNames(
    db,
    table.subjects.map((s) => s.code),
  );
  const bySite = new Map<number, ReturnType<typeof violationTable>["total"]>();
  for (const s of sites) bySite.set(s.id, violationTable(counts.filter((c) => c.org_id === s.id)).total);
  return {
    subjects: table.subjects.map((s) => ({ ...s, name: names.get(s.code) ?? "" })),
    total: table.total,
    bySite,
  };
}

export async function exportViolationStatistics(
  locale: Locale,
  sittingId: number,
  scope: { root: { code: string }; sites: ReadonlyArray<{ id: number; code: string; name: string }> },
) {
  const t = translator(locale);
  const stats = await violationStatistics(sittingId, scope.sites);
  const kinds = VIOLATION_KINDS.map((k) => t(kindLabel(k)));
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const count = (c: (typeof stats)["total"]) => [...VIOLATION_KINDS.map((k) => c[k]), c.total];
  sheetOf(
    wb,
    t("violations.stats_by_subject"),
    [t("violations.col_subject"), ...kinds, t("violations.col_total")],
    [
      ...stats.subjects.map((s) => [`(${s.code}) ${s.name}`, ...count(s)]),
      [t("violations.col_total"), ...count(stats.total)],
    ],
  );
  if (scope.sites.length > 1)
    sheetOf(
      wb,
      t("violations.stats_by_site"),
      [t("violations.col_site"), ...kinds, t("violations.col_total")],
      [
        ...scope.sites.map((s) => [`(${s.code}) ${s.name}`, ...count(stats.bySite.get(s.id)!)]),
        [t("violations.col_total"), ...count(stats.total)],
      ],
    );
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    fileName: `${t("violations.stats_title")}-${scope.root.code}.xlsx`,
  };
}
