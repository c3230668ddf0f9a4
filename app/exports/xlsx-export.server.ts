import ExcelJS from "exceljs";
import { compactStamp } from "~/domain/windows";
import { getEnv } from "~/utils/env.server";
import { storeFile } from "~/utils/file-store.server";
import { XLSX_TYPE } from "~/imports/start-import.server";

export interface XlsxColumn<K extends string> {
  header: string;
  key: K;
  width: number;
}

/** Who a generated file belongs to (its downloads are checked against this, X-4). */
export interface ExportOwner {
  orgId: number;
  sittingId: number | null;
  createdBy: string | null;
}

/**
 * every .xlsx export is written the same way: streamed page by page from a query (never the
 * whole result in memory), one sheet, fixed columns, each source item giving one or more rows,
 * progress reported after each page up to 95 % (storing the file is the rest). The file name gets
 * a timestamp in the display zone (WIN-7) so downloads of the same export do not overwrite one another.
 */
export async function writeXlsxExport<T, K extends string>(o: {
  kind: string;
  /** The file name without its extension; the timestamp is added. */
  name: string;
  owner: ExportOwner;
  sheet: string;
  columns: ReadonlyArray<XlsxColumn<K>>;
  pages: AsyncIterable<readonly T[]>;
  /** The rows one item becomes (codes stay text: "0012" keeps its zeros). */
  rowsOf: (item: T, index: number) => Array<Partial<Record<K, unknown>>>;
  /** Items in all, for the progress bar. */
  total: number;
  progress: (done: number, total: number) => Promise<void>;
}): Promise<{ fileId: string; size: number; items: number; rows: number }> {
  const stamp = compactStamp(new Date(), getEnv().timeZone);
  let items = 0;
  let rows = 0;
  const stored = await storeFile(
    { kind: o.kind, name: `${o.name}(${stamp}).xlsx`, contentType: XLSX_TYPE, ...o.owner },
    async (abs) => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: abs, useSharedStrings: false, useStyles: false });
      const ws = wb.addWorksheet(o.sheet);
      ws.columns = o.columns.map((c) => ({ ...c }));
      for await (const page of o.pages) {
        for (const item of page) {
          for (const row of o.rowsOf(item, items)) {
            ws.addRow(row).commit();
            rows++;
          }
          items++;
        }
        await o.progress(items, o.total);
      }
      ws.commit();
      await wb.commit();
    },
  );
  return { fileId: stored.id, size: stored.size, items, rows };
}

/** Progress of an export as the job shows it: 0–95 % while writing. */
export const exportPercent = (done: number, total: number) => (total ? (done / total) * 95 : 95);
