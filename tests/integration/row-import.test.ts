import fs from "node:fs";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { CellError } from "../../app/domain/student-record";
import { runRowImport, type RowImport } from "../../app/imports/row-import.server";
import { findStoredFile, localPathOf, storeFile } from "../../app/utils/file-store.server";
import type { JobContext } from "../../jobs/define";
import { orgId } from "../factories";
import { zhCN } from "~/i18n/zh-CN";
import { shown } from "../factories/shown";

// The contract every spreadsheet import plugs into (issue 14 item 3): a made-up "score" import, as the
// violation and score imports to come will be, without the page or the job around it.

const SHEET = "成绩";
const spec = { sheetName: SHEET, headers: ["准考证号", "成绩"], required: ["准考证号", "成绩"] };
type Score = { admission: string; score: number };

function parse(cells: Record<string, unknown>): { value: Score } | { errors: CellError[] } {
  const admission = String(cells["准考证号"] ?? "");
  const score = z.coerce.number().int().min(0).max(100).safeParse(cells["成绩"]);
  if (!score.success)
    return { errors: [{ column: "成绩", value: String(cells["成绩"] ?? ""), key: "form.invalid", params: {} }] };
  return { value: { admission, score: score.data } };
}

async function upload(rows: unknown[][], opts: { formula?: boolean; sheet?: string } = {}) {
  const site = await orgId("990101");
  const f = await storeFile(
    {
      kind: "upload",
      name: "scores.xlsx",
      contentType: "application/octet-stream",
      orgId: site,
      sittingId: null,
      createdBy: null,
    },
    async (abs) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(opts.sheet ?? SHEET);
      ws.addRow(spec.headers);
      for (const r of rows) ws.addRow(r);
      if (opts.formula) ws.getCell("B3").value = { formula: "1+1" } as ExcelJS.CellFormulaValue;
      await wb.xlsx.writeFile(abs);
    },
  );
  return { fileId: f.id, siteId: site, overwrite: false, locale: "en" as const, actorName: "t", ip: null };
}

function context() {
  const steps: number[] = [];
  const ctx: JobContext = {
    jobId: "t",
    accountId: null,
    orgId: null,
    sittingId: null,
    progress: async (p) => void steps.push(p),
  };
  return { ctx, steps };
}

function scoreImport(write: RowImport<Score, { stored: number }>["write"]): RowImport<Score, { stored: number }> {
  return { spec, parse, reading: { every: 1, percent: (n) => n }, reportName: "import.report_name", write };
}

describe("the shared row-import runner (issue 14, SR-3 report shape, X-2 progress)", () => {
  it("SR-3: every row typed → written once, all of them, with the import's own figures and reading progress", async () => {
    const { ctx, steps } = context();
    const written: Score[][] = [];
    const r = await runRowImport(
      await upload([
        ["0101", 61],
        ["0102", 99],
      ]),
      ctx,
      scoreImport(async (rows) => {
        written.push(rows.map((x) => x.value));
        return { ok: true, figures: { stored: rows.length } };
      }),
    );
    expect(r).toEqual({ ok: true, rows: 2, stored: 2 });
    expect(written).toEqual([
      [
        { admission: "0101", score: 61 },
        { admission: "0102", score: 99 },
      ],
    ]);
    expect(steps).toEqual([1, 2]);
  });

  it("SR-3: one bad cell writes nothing; the page gets the failing cells and a downloadable report of all of them", async () => {
    const { ctx } = context();
    let called = false;
    const r = await runRowImport(
      await upload([
        ["0101", 61],
        ["0102", "abc"],
        ["0103", 101],
      ]),
      ctx,
      scoreImport(async () => {
        called = true;
        return { ok: true, figures: { stored: 0 } };
      }),
    );
    expect(called).toBe(false);
    expect(r).toMatchObject({ ok: false, total: 2 });
    expect(r.errors?.map((e) => [e.row, e.column, e.value])).toEqual([
      [3, "成绩", "abc"],
      [4, "成绩", "101"],
    ]);
    const report = await findStoredFile(r.reportFileId!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(localPathOf(report!));
    expect(wb.worksheets[0].rowCount).toBe(3);
  });

  it("SR-3: a write that refuses rows or the whole file reports it as such", async () => {
    const refused = await runRowImport(await upload([["0101", 61]]), context().ctx, {
      ...scoreImport(async () => ({ ok: false, refusals: [{ key: "import.no_rows" }] })),
    });
    // saved as its key, so the starter (English here) and a Chinese viewer each read their own language.
    expect(refused).toMatchObject({ ok: false, fatal: [{ key: "import.no_rows" }], total: 0 });
    expect(shown(refused, "en").fatal).toBe("The file has no data rows.");
    expect(shown(refused).fatal).toBe(zhCN["import.no_rows"]);
    const rowErrors = await runRowImport(await upload([["0101", 61]]), context().ctx, {
      ...scoreImport(async () => ({
        ok: false,
        errors: [{ row: 2, column: "准考证号", value: "0101", key: "form.invalid" }],
      })),
    });
    expect(rowErrors).toMatchObject({ ok: false, total: 1, errors: [{ row: 2, column: "准考证号" }] });
  });

  it("SR-2: a wrong sheet is one clear message; an empty sheet says so; a formula without its value is named", async () => {
    const write = scoreImport(async () => ({ ok: true, figures: { stored: 1 } }));
    const wrong = await runRowImport(await upload([["0101", 61]], { sheet: "Sheet1" }), context().ctx, write);
    expect(wrong.ok).toBe(false);
    expect(shown(wrong).fatal).toMatch(/成绩/);
    expect(await runRowImport(await upload([]), context().ctx, write)).toMatchObject({ ok: false, total: 0 });
    const formula = await runRowImport(
      await upload(
        [
          ["0101", 61],
          ["0102", 50],
        ],
        { formula: true },
      ),
      context().ctx,
      write,
    );
    expect(formula).toMatchObject({ ok: false, total: 1, errors: [{ row: 3, column: "成绩" }] });
  });

  it("X-4: a missing upload is the runner's error, not an empty import", async () => {
    const p = await upload([["0101", 61]]);
    fs.rmSync(localPathOf((await findStoredFile(p.fileId))!));
    await expect(
      runRowImport(
        { ...p, fileId: "00000000-0000-4000-8000-000000000000" },
        context().ctx,
        scoreImport(async () => ({ ok: true, figures: { stored: 1 } })),
      ),
    ).rejects.toThrow(/upload missing/);
  });
});
