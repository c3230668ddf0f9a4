import ExcelJS from "exceljs";
import { translator, type Locale } from "~/i18n";
import type { RowError } from "~/domain/student-record";
import { renderMessage } from "~/utils/i18n.server";
import { storeFile } from "~/utils/file-store.server";

export const ERRORS_ON_PAGE = 1000;

/** Cells shown on the page are cut (a 20,000-character cell would fill the screen); the report keeps them whole. */
export const VALUE_ON_PAGE = 200;

/** The page's copy of a value: cut, with its whole length so the page can say so in the viewer's language. */
export function clipValue(value: string): { value: string; cutFrom?: number } {
  if (value.length <= VALUE_ON_PAGE) return { value };
  return { value: value.slice(0, VALUE_ON_PAGE), cutFrom: value.length };
}

export function errorText(e: RowError, locale: Locale): string {
  return renderMessage(translator(locale), e.key, e.params ?? {});
}

/** SR-3: every failing row, downloadable whole as .xlsx (the page shows the first 1,000). */
export async function writeErrorReport(
  errors: RowError[],
  meta: { locale: Locale; orgId: number; sittingId: number | null; createdBy: string | null; name: string },
) {
  const t = translator(meta.locale);
  return storeFile(
    {
      kind: "import-errors",
      name: `${meta.name}.xlsx`,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      orgId: meta.orgId,
      sittingId: meta.sittingId,
      createdBy: meta.createdBy,
    },
    async (abs) => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: abs, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet(t("import.report_sheet"));
      ws.columns = [
        { header: t("import.col.row"), key: "row", width: 8 },
        { header: t("import.col.column"), key: "column", width: 14 },
        { header: t("import.col.value"), key: "value", width: 24, style: { numFmt: "@" } },
        { header: t("import.col.message"), key: "message", width: 70 },
      ];
      for (const e of errors)
        ws.addRow({ row: e.row, column: e.column, value: e.value, message: errorText(e, meta.locale) }).commit();
      ws.commit();
      await wb.commit();
    },
  );
}
