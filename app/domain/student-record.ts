import { lookupCode } from "~templates/code-tables";
import type { MessageKey } from "~/i18n";
import { idFacts, looksLikeLostPrecision, normaliseIdNumber, type IdType } from "./id-number";
import { cleanText, isEmail, normalisePhone, parseDateValue } from "./import-values";

/** SR-2: the data sheet of the student-record template and its columns (DOMAIN.md). */
export const STUDENT_RECORD_SHEET = "学籍信息";
export const STUDENT_RECORD_COLUMNS = [
  "序号",
  "姓名",
  "性别",
  "出生日期",
  "证件类型",
  "证件号码",
  "民族",
  "文化程度",
  "职业",
  "培训类型",
  "学号",
  "院系",
  "专业",
  "班级",
  "联系电话",
  "电子邮箱",
  "通讯地址",
  "邮政编码",
  "备注",
] as const;
export type StudentRecordColumn = (typeof STUDENT_RECORD_COLUMNS)[number];

/**
 * SET-9: the sites a record's candidate may register at ("可报考考点"). Only the registry's own
 * template and page carry it (a group registration is not a record); an old template without the
 * column still imports, every record then at its own site.
 */
export const ELIGIBLE_SITES_COLUMN = "可报考考点";
export const STUDENT_RECORD_IMPORT_COLUMNS = [...STUDENT_RECORD_COLUMNS, ELIGIBLE_SITES_COLUMN] as const;

/** null: its own site only (the default); []: any site of its province; otherwise these site codes. */
export type EligibleSites = readonly string[] | null;
/** What a user writes for "any site of the province". */
export const ANY_SITE_WORDS = ["全省", "全部", "任意", "any", "all", "*"] as const;

/**
 * SET-9: a cell of the eligible-sites column: empty → its own site; "全省" (or "any") → any site of
 * the province; otherwise six-digit site codes separated by commas, 、, semicolons or spaces.
 */
export function parseEligibleSites(v: unknown): { value: EligibleSites } | { error: MessageKey } {
  // NFKC: full-width digits and commas typed with a Chinese input method read as ASCII.
  const s = cleanText(v).normalize("NFKC");
  if (s === "") return { value: null };
  if ((ANY_SITE_WORDS as readonly string[]).includes(s.toLowerCase())) return { value: [] };
  const codes = [...new Set(s.split(/[\s,，、;；]+/).filter(Boolean))];
  if (codes.length > 200 || codes.some((c) => !/^\d{6}$/.test(c))) return { error: "records.eligible_sites_format" };
  return { value: codes };
}

/** SET-9: a record's eligible sites as the edit form shows them (what parseEligibleSites reads back). */
export function formatEligibleSites(codes: EligibleSites, locale: "zh-CN" | "en"): string {
  if (codes === null) return "";
  return codes.length === 0 ? (locale === "en" ? "any" : "全省") : codes.join(",");
}
export const STUDENT_RECORD_REQUIRED: readonly StudentRecordColumn[] = [
  "姓名",
  "性别",
  "出生日期",
  "证件类型",
  "证件号码",
  "民族",
  "文化程度",
];

export interface StudentRecordValue {
  id_type: IdType;
  id_number: string;
  name: string;
  gender: string;
  birth_date: string;
  ethnicity: string;
  education: string;
  occupation: string;
  training_type: string;
  student_no: string;
  department: string;
  major: string;
  class_name: string;
  phone: string;
  email: string;
  address: string;
  postcode: string;
  remark: string;
}

export interface CellError {
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** A cell's rule: the typed value, or why the cell is refused. */
type Refusal = { fail: MessageKey; params?: Record<string, string | number> };
type FieldRule = (v: unknown) => string | Refusal;
const refuse = (fail: MessageKey, params: Record<string, string | number> = {}): Refusal => ({ fail, params });

const text =
  (max: number, required = false): FieldRule =>
  (v) => {
    const s = cleanText(v);
    if (required && !s) return refuse("import.required");
    if (s.length > max) return refuse("import.too_long", { max });
    return s;
  };

const code =
  (table: Parameters<typeof lookupCode>[0], required: boolean): FieldRule =>
  (v) => {
    const s = cleanText(v);
    if (!s) return required ? refuse("import.required") : "";
    return lookupCode(table, s) ?? refuse("import.bad_code");
  };

/**
 * SR-2/SR-3 and CAN-3: the rule of each column of the student-record template, in the template's
 * order. Code columns take the code or the name; dates take Excel dates and the usual text forms;
 * ID numbers are normalised and checked by their type (with the row, in `parseStudentRecordRow`).
 * Plain functions, not a schema library's: 18 cells a row, 100,000 rows an import (issue 21).
 */
const FIELD_RULES: Record<Exclude<StudentRecordColumn, "序号">, FieldRule> = {
  姓名: text(50, true),
  性别: code("gender", true),
  出生日期: (v) => {
    if (cleanText(v) === "") return refuse("import.required");
    return parseDateValue(v) ?? refuse("import.bad_date");
  },
  证件类型: code("idType", true),
  证件号码: (v) => {
    // An 18-digit ID typed into Excel as a number has lost its last digits: never guess them.
    if (looksLikeLostPrecision(v)) return refuse("id.lost_precision");
    const s = normaliseIdNumber(cleanText(v));
    return s || refuse("import.required");
  },
  民族: code("ethnicity", true),
  文化程度: code("education", true),
  职业: code("occupation", false),
  培训类型: code("trainingType", false),
  学号: text(30),
  院系: text(50),
  专业: text(50),
  班级: text(50),
  联系电话: (v) => {
    const s = cleanText(v);
    if (!s) return "";
    return normalisePhone(s) ?? refuse("import.bad_phone");
  },
  电子邮箱: (v) => {
    const s = cleanText(v);
    if (!s) return "";
    return isEmail(s) ? s.toLowerCase() : refuse("import.bad_email");
  },
  通讯地址: text(200),
  邮政编码: (v) => {
    const s = cleanText(v);
    return !s || /^\d{6}$/.test(s) ? s : refuse("org.postcode_format");
  },
  备注: text(200),
};
type TypedColumn = keyof typeof FIELD_RULES;
const FIELDS = Object.entries(FIELD_RULES) as Array<[TypedColumn, FieldRule]>;

/**
 * One row of the template typed into a value, or every mistake it holds, each naming its column (in
 * the template's order, then those between columns): a resident ID's birth date and gender must
 * agree with the row's.
 */
export function parseStudentRecordRow(
  cells: Record<string, unknown>,
): { value: StudentRecordValue; errors?: undefined } | { errors: CellError[]; value?: undefined } {
  const r: Partial<Record<TypedColumn, string>> = {};
  let errors: CellError[] | null = null;
  const refused = (column: TypedColumn, key: MessageKey, params?: Record<string, string | number>) =>
    (errors ??= []).push({ column, value: cleanText(cells[column]), key, params });
  for (const [column, rule] of FIELDS) {
    const out = rule(cells[column]);
    if (typeof out === "string") r[column] = out;
    else refused(column, out.fail, out.params);
  }
  // A column that failed holds nothing: judge only what typed.
  const type = r.证件类型 as IdType | undefined;
  const id = r.证件号码;
  if (type && id) {
    const { problem, born, gender } = idFacts(type, id);
    if (problem) refused("证件号码", problem);
    else {
      if (born && r.出生日期 && born !== r.出生日期) refused("出生日期", "id.birth_mismatch", { born });
      if (gender && (r.性别 === "1" || r.性别 === "2") && gender !== r.性别) refused("性别", "id.gender_mismatch");
    }
  }
  if (errors) return { errors };
  return {
    value: {
      id_type: r.证件类型 as IdType,
      id_number: r.证件号码!,
      name: r.姓名!,
      gender: r.性别!,
      birth_date: r.出生日期!,
      ethnicity: r.民族!,
      education: r.文化程度!,
      occupation: r.职业!,
      training_type: r.培训类型!,
      student_no: r.学号!,
      department: r.院系!,
      major: r.专业!,
      class_name: r.班级!,
      phone: r.联系电话!,
      email: r.电子邮箱!,
      address: r.通讯地址!,
      postcode: r.邮政编码!,
      remark: r.备注!,
    },
  };
}

/** A row of the registry's own template: the personal columns and the eligible sites (SET-9). */
export type StudentRecordImportValue = StudentRecordValue & { eligible_sites: EligibleSites };

export function parseStudentRecordImportRow(
  cells: Record<string, unknown>,
): { value: StudentRecordImportValue; errors?: undefined } | { errors: CellError[]; value?: undefined } {
  const personal = parseStudentRecordRow(cells);
  const sites = parseEligibleSites(cells[ELIGIBLE_SITES_COLUMN]);
  if (personal.value && "value" in sites) return { value: { ...personal.value, eligible_sites: sites.value } };
  const errors = [...(personal.errors ?? [])];
  if ("error" in sites)
    errors.push({ column: ELIGIBLE_SITES_COLUMN, value: cleanText(cells[ELIGIBLE_SITES_COLUMN]), key: sites.error });
  return { errors };
}

/** The same schema serves the add/edit form: its fields carry the value's names. */
export const FORM_TO_COLUMN: Record<keyof StudentRecordValue, StudentRecordColumn> = {
  id_type: "证件类型",
  id_number: "证件号码",
  name: "姓名",
  gender: "性别",
  birth_date: "出生日期",
  ethnicity: "民族",
  education: "文化程度",
  occupation: "职业",
  training_type: "培训类型",
  student_no: "学号",
  department: "院系",
  major: "专业",
  class_name: "班级",
  phone: "联系电话",
  email: "电子邮箱",
  address: "通讯地址",
  postcode: "邮政编码",
  remark: "备注",
};

export interface ExistingRecord {
  org_id: number;
  education: string;
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * SR-3/SR-4: what an import would do, or why it cannot. The same ID twice in the file is an error;
 * the same ID at this site needs "overwrite"; the same ID at another site is replaced, unless that
 * would lower the recorded education level.
 */
export function planStudentRecordImport(
  rows: ReadonlyArray<{ row: number; value: Pick<StudentRecordValue, "id_number" | "education"> }>,
  existing: ReadonlyMap<string, ExistingRecord>,
  siteId: number,
  overwrite: boolean,
  educationRank: Readonly<Record<string, number>>,
): { errors: RowError[]; inserts: number; sameSite: number; otherSite: number } {
  const planner = studentRecordPlanner(siteId, overwrite, educationRank);
  planner.add(rows, existing);
  return planner.plan;
}

/**
 * The same plan a part at a time, while the file is still being read (decision 0010): which ID
 * number came first, the errors and the counts are kept across parts.
 */
export function studentRecordPlanner(
  siteId: number,
  overwrite: boolean,
  educationRank: Readonly<Record<string, number>>,
) {
  const plan = { errors: [] as RowError[], inserts: 0, sameSite: 0, otherSite: 0 };
  const firstRow = new Map<string, number>();
  const add = (
    rows: ReadonlyArray<{ row: number; value: Pick<StudentRecordValue, "id_number" | "education"> }>,
    existing: ReadonlyMap<string, ExistingRecord>,
  ) => {
    for (const { row, value } of rows) {
      const seen = firstRow.get(value.id_number);
      if (seen !== undefined) {
        plan.errors.push({
          row,
          column: "证件号码",
          value: value.id_number,
          key: "records.duplicate_in_file",
          params: { first: seen },
        });
        continue;
      }
      firstRow.set(value.id_number, row);
      const old = existing.get(value.id_number);
      if (!old) {
        plan.inserts++;
      } else if (old.org_id === siteId) {
        if (!overwrite)
          plan.errors.push({ row, column: "证件号码", value: value.id_number, key: "records.exists_same_site" });
        else plan.sameSite++;
      } else if ((educationRank[value.education] ?? 0) < (educationRank[old.education] ?? 0)) {
        plan.errors.push({ row, column: "文化程度", value: value.education, key: "records.lower_education" });
      } else {
        plan.otherSite++;
      }
    }
  };
  return { plan, add };
}

/** The add/edit form goes through the same row schema as the import (one place per rule). */
export function parseStudentRecordForm(
  fields: Record<string, string>,
): { value: StudentRecordImportValue } | { errors: CellError[] } {
  const cells: Record<string, unknown> = { [ELIGIBLE_SITES_COLUMN]: fields.eligible_sites ?? "" };
  for (const [k, column] of Object.entries(FORM_TO_COLUMN)) cells[column] = fields[k] ?? "";
  const r = parseStudentRecordImportRow(cells);
  return r.value ? { value: r.value } : { errors: r.errors! };
}
