import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { isAppError } from "~/domain/errors";
import {
  parseStudentRecordRow,
  STUDENT_RECORD_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
} from "~/domain/student-record";
import { readXlsxRows, uncomputedErrors, type RawRow, type SheetSpec } from "~/imports/read-rows.server";
import { checkZip } from "~/imports/sniff.server";
import { DEFAULT_XLSX_LIMITS, isDateFormat, resolveTarget, serialToDate } from "~/imports/xlsx-reader.server";
import { readZipParts, writeZip, type Part } from "../../tests/fixtures/zip-parts";

const WRITERS = path.join(__dirname, "../../tests/fixtures/writers");
const SPEC: SheetSpec = {
  sheetName: STUDENT_RECORD_SHEET,
  headers: STUDENT_RECORD_COLUMNS,
  required: STUDENT_RECORD_REQUIRED,
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-xlsx-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rows(file: string, limits = DEFAULT_XLSX_LIMITS): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of readXlsxRows(file, SPEC, limits)) out.push(r);
  return out;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.key : `not an AppError: ${String(e)}`;
  }
  return "no error";
}

/** The two data rows every writer fixture holds (make_fixtures.py, make-exceljs.ts). */
function expectTheTwoStudents(got: RawRow[]) {
  expect(got.map((r) => r.row)).toEqual([2, 3]);
  const values = got.map((r) => {
    const p = parseStudentRecordRow(r.cells);
    expect(p.errors ?? []).toEqual([]);
    return p.value!;
  });
  expect(values.map((v) => [v.name, v.gender, v.birth_date, v.id_number, v.ethnicity, v.student_no])).toEqual([
    // Gender and ethnicity as their codes (男 1, 女 2, 汉族 01).
    ["学生甲", "1", "2005-03-08", "110105200503081017", "01", "20230001"],
    ["学生乙", "2", "2005-03-08", "110105200503081025", "01", "20230002"],
  ]);
}

/** The data sheet's part of a writer fixture, by name. */
async function partsWithSheet(file: string, sheetPart: string, sheet: (p: Part) => Part): Promise<Part[]> {
  return (await readZipParts(file)).map((p) => (p.name === sheetPart ? sheet(p) : p));
}

function bigSheet(rowsCount: number): Buffer {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  const head = STUDENT_RECORD_COLUMNS.map(
    (h, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${h}</t></is></c>`,
  ).join("");
  out.push(`<row r="1">${head}</row>`);
  const filler = "学".repeat(100);
  for (let i = 2; i <= rowsCount; i++)
    out.push(`<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>${filler}</t></is></c></row>`);
  out.push("</sheetData></worksheet>");
  return Buffer.from(out.join(""), "utf8");
}

describe("our own .xlsx reader: every writer's file reads the same (SR-2, GRP-1)", () => {
  it("SR-2/GRP-1: openpyxl (absolute relationship targets, inline strings, a date cell and a serial) reads both rows", async () => {
    expectTheTwoStudents(await rows(path.join(WRITERS, "openpyxl.xlsx")));
  });

  it("SR-2/GRP-1: XlsxWriter (shared strings, a custom 年月日 date format, a formula with its cached value) reads both rows", async () => {
    expectTheTwoStudents(await rows(path.join(WRITERS, "xlsxwriter.xlsx")));
  });

  it("SR-2/GRP-1: dates in a 1904 workbook (date1904) read as the same calendar dates", async () => {
    expectTheTwoStudents(await rows(path.join(WRITERS, "xlsxwriter-1904.xlsx")));
  });

  it("SR-2/GRP-1: a LibreOffice-style file (shared strings, YYYY\\-MM\\-DD format 164, Content_Types last) reads both rows", async () => {
    expectTheTwoStudents(await rows(path.join(WRITERS, "libreoffice-style.xlsx")));
  });

  it("SR-2/GRP-1: Excel-style ordering with workbook.xml last, prefixed XML, inline rich text with a phonetic run and an ISO date cell", async () => {
    expectTheTwoStudents(await rows(path.join(WRITERS, "excel-order-inline.xlsx")));
  });

  it("SR-2/GRP-1: the app's own exceljs template, filled by exceljs (workbook.xml last), reads every time (exceljs#3064)", async () => {
    for (let i = 0; i < 6; i++) expectTheTwoStudents(await rows(path.join(WRITERS, "exceljs-template.xlsx")));
  });

  it("SR-2/X-3: a formula saved without its value (openpyxl) is named as such, not as an empty required field", async () => {
    const got = await rows(path.join(WRITERS, "openpyxl-formula.xlsx"));
    const row3 = got.find((r) => r.row === 3)!;
    expect(row3.uncomputed).toEqual(["民族"]);
    const parsed = parseStudentRecordRow(row3.cells);
    const { formulaErrors, rest } = uncomputedErrors(row3, parsed.errors ?? []);
    expect(formulaErrors).toEqual([{ column: "民族", value: '="汉"&"族"', key: "import.formula_no_value" }]);
    expect(rest.filter((e) => e.column === "民族")).toEqual([]);
  });
});

describe("a reader that trusts nothing (X-2, X-3)", () => {
  it("X-2: corrupt deflate data behind an intact zip directory is refused as damaged within seconds (no hang)", async () => {
    const file = path.join(dir, "corrupt.xlsx");
    // The exceljs-written template with its data sheet damaged half-way (exceljs's reader never settled on this one).
    writeZip(
      file,
      await partsWithSheet(path.join(WRITERS, "exceljs-template.xlsx"), "xl/worksheets/sheet1.xml", (p) => {
        const bad = zlib.deflateRawSync(p.data);
        bad.fill(0xff, Math.floor(bad.length / 2), Math.floor(bad.length / 2) + 8);
        return { ...p, compressed: bad };
      }),
    );
    await checkZip(file); // the directory is intact: the checks before the reader pass
    const hang = new Promise<string>((resolve) => setTimeout(() => resolve("still running after 5 s"), 5000).unref());
    expect(await Promise.race([failure(rows(file)), hang])).toBe("import.xlsx_broken");
  }, 20_000);

  it("X-3: a sheet that declares 2 KB but inflates to 20 MB is refused as a zip bomb while inflating", async () => {
    const file = path.join(dir, "lying.xlsx");
    writeZip(
      file,
      await partsWithSheet(path.join(WRITERS, "xlsxwriter.xlsx"), "xl/worksheets/sheet2.xml", (p) => ({
        ...p,
        data: bigSheet(70_000),
        declaredSize: 2048,
      })),
    );
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    await checkZip(file); // declared sizes look harmless
    expect(await failure(rows(file))).toBe("upload.zip_bomb");
  }, 30_000);

  it("X-3: the per-part, total and ratio limits are judged on the bytes actually inflated", async () => {
    const file = path.join(dir, "honest-big.xlsx");
    writeZip(
      file,
      await partsWithSheet(path.join(WRITERS, "xlsxwriter.xlsx"), "xl/worksheets/sheet2.xml", (p) => ({
        ...p,
        data: bigSheet(20_000),
      })),
    );
    const MB = 1024 * 1024;
    expect(await failure(rows(file, { ...DEFAULT_XLSX_LIMITS, maxPartBytes: 2 * MB }))).toBe("upload.zip_bomb");
    expect(await failure(rows(file, { ...DEFAULT_XLSX_LIMITS, maxTotalBytes: 3 * MB }))).toBe("upload.zip_bomb");
    expect(await failure(rows(file, { ...DEFAULT_XLSX_LIMITS, maxRatio: 20 }))).toBe("upload.zip_bomb");
    // Parts held in memory have their own, lower limit (here the shared strings of the XlsxWriter file).
    expect(
      await failure(rows(path.join(WRITERS, "xlsxwriter.xlsx"), { ...DEFAULT_XLSX_LIMITS, maxHeldBytes: 200 })),
    ).toBe("upload.zip_bomb");
    // Within the limits the same file reads (its rows lack the required columns' values, which is the parser's business).
    expect((await rows(file)).length).toBe(19_999);
  }, 30_000);

  it("X-3: a sheet that is not XML is refused as damaged", async () => {
    const file = path.join(dir, "not-xml.xlsx");
    writeZip(
      file,
      await partsWithSheet(path.join(WRITERS, "xlsxwriter.xlsx"), "xl/worksheets/sheet2.xml", (p) => ({
        ...p,
        data: Buffer.from("<worksheet><sheetData><row><c><v>1</v></row>"),
      })),
    );
    expect(await failure(rows(file))).toBe("import.xlsx_broken");
  });
});

describe("reader details", () => {
  it("SR-2: relationship targets resolve relative to the workbook or from the package root", () => {
    expect(resolveTarget("xl/workbook.xml", "worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolveTarget("xl/workbook.xml", "/xl/worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolveTarget("xl/workbook.xml", "../xl/worksheets/Sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolveTarget("", "xl/workbook.xml")).toBe("xl/workbook.xml");
  });

  it("SR-2: date formats are told from number formats", () => {
    for (const f of ["yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "YYYY\\-MM\\-DD", "[$-804]yyyy/m/d", "m/d/yy h:mm"])
      expect(isDateFormat(f), f).toBe(true);
    for (const f of ["0", "0.00", "#,##0", "@", "General", '"ID "0', "0.00E+00", "[Red]0.0"])
      expect(isDateFormat(f), f).toBe(false);
  });

  it("SR-2: serials in the 1900 system (with its 1900-02-29) and the 1904 one", () => {
    expect(serialToDate(38419, false).toISOString().slice(0, 10)).toBe("2005-03-08");
    expect(serialToDate(36957, true).toISOString().slice(0, 10)).toBe("2005-03-08");
    expect(serialToDate(1, false).toISOString().slice(0, 10)).toBe("1900-01-01");
    expect(serialToDate(61, false).toISOString().slice(0, 10)).toBe("1900-03-01");
  });
});
