// "import.*" messages in English.
import type { importZhCN } from "../zh-CN/import";

export const importEn: Record<keyof typeof importZhCN, string> = {
  "import.formula_no_value":
    "A formula without a cached value (the file was not saved by Excel/WPS): open and save the file in Excel or WPS, then upload it again.",
  "import.csv_tabs":
    "“{name}” is tab-separated text, not a comma-separated CSV: save it in Excel as “CSV UTF-8 (comma delimited)” or as .xlsx and upload again.",
  "import.value_cut": "… ({length} characters in all)",
  "import.required": "Required, but empty.",
  "import.too_long": "Longer than {max} characters.",
  "import.bad_code": "Not a valid code or name (see the code tables).",
  "import.bad_date": "Not a valid date (2005-03-08, 2005/3/8, 20050308 or an Excel date).",
  "import.bad_phone": "Not a valid phone number.",
  "import.bad_email": "Not a valid e-mail address.",
  "import.header_missing": "Missing required columns: {headers}. Use the downloaded template and keep its first row.",
  "import.sheet_missing": "The file has no “{sheet}” sheet (found: {found}). Fill the template's “{sheet}” sheet.",
  "import.xlsx_broken":
    "This Excel file cannot be read; it may be damaged. Open it in Excel, save it as .xlsx and upload again.",
  "import.csv_broken": "This CSV file cannot be read.",
  "import.no_rows": "The file has no data rows.",
  "import.progress_reading": "Checking: {rows, plural, one {# row} other {# rows}} read",
  "import.progress_writing": "All rows valid, writing",
  "import.progress_written": "{rows, plural, one {# row} other {# rows}} written",
  "import.report_sheet": "Errors",
  "import.report_name": "import-errors",
  "import.col.row": "Row",
  "import.col.column": "Column",
  "import.col.value": "Value",
  "import.col.message": "Problem",
};
