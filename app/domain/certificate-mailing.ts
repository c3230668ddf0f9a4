import type { MessageKey } from "~/i18n";
import { cleanText, normalisePhone, toHalfWidth } from "./import-values";
import { normaliseAdmissionNo } from "./violations";

// SCO-2 (manual §四十一): the certificate mailing file (证书直邮信息), a .csv from the certificate
// centre saying where and how each passed candidate's certificate was sent. No official layout is
// public: columns by pinyin-initial code or Chinese name, in any order, as the score file (decision 0042).

export const MAILING_COLUMNS = {
  ZKZH: ["准考证号", "admission_no"],
  ZSBH: ["证书编号", "certificate_no"],
  SJR: ["收件人", "收件人姓名", "recipient"],
  LXDH: ["联系电话", "收件人电话", "电话", "phone"],
  YJDZ: ["邮寄地址", "收件地址", "地址", "address"],
  YZBM: ["邮政编码", "邮编", "postcode"],
  KDGS: ["快递公司", "承运公司", "courier"],
  YJDH: ["邮件单号", "快递单号", "运单号", "tracking_no"],
  JCRQ: ["寄出日期", "邮寄日期", "mailed_on"],
  YJZT: ["邮寄状态", "状态", "status"],
} as const;
export type MailingColumn = keyof typeof MAILING_COLUMNS;
export const MAILING_HEADERS = Object.keys(MAILING_COLUMNS) as MailingColumn[];
export const MAILING_REQUIRED: readonly MailingColumn[] = ["ZKZH", "YJDH"];

export type MailingRow = {
  admissionNo: string;
  certificateNo: string | null;
  recipient: string;
  phone: string;
  address: string;
  postcode: string;
  courier: string;
  trackingNo: string;
  mailedOn: string;
  status: string;
};

export interface MailingCellError {
  column: string;
  value: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

const LIMITS: Partial<Record<MailingColumn, number>> = { SJR: 30, YJDZ: 200, KDGS: 30, YJDH: 40, YJZT: 30 };

export function parseMailingRow(
  cells: Record<string, unknown>,
): { value: MailingRow; errors?: undefined } | { errors: MailingCellError[]; value?: undefined } {
  const errors: MailingCellError[] = [];
  const text = (c: MailingColumn) => {
    const v = cleanText(cells[c]);
    const max = LIMITS[c];
    if (max && v.length > max) errors.push({ column: c, value: v, key: "mailing.too_long", params: { max } });
    return v;
  };
  const rawNo = cleanText(cells.ZKZH);
  const admissionNo = normaliseAdmissionNo(rawNo);
  if (!rawNo) errors.push({ column: "ZKZH", value: "", key: "import.required" });
  else if (!admissionNo) errors.push({ column: "ZKZH", value: rawNo, key: "violations.number_format" });
  const cert = toHalfWidth(cleanText(cells.ZSBH)).replace(/\s+/g, "");
  if (cert && !/^\d{14}$/.test(cert)) errors.push({ column: "ZSBH", value: cert, key: "scores.certificate_format" });
  const tracking = toHalfWidth(text("YJDH")).replace(/\s+/g, "");
  if (!tracking) errors.push({ column: "YJDH", value: "", key: "import.required" });
  const rawPhone = cleanText(cells.LXDH);
  const phone = rawPhone ? normalisePhone(rawPhone) : "";
  if (phone === null) errors.push({ column: "LXDH", value: rawPhone, key: "mailing.phone_format" });
  const postcode = toHalfWidth(cleanText(cells.YZBM));
  if (postcode && !/^\d{6}$/.test(postcode))
    errors.push({ column: "YZBM", value: postcode, key: "mailing.postcode_format" });
  const value = {
    recipient: text("SJR"),
    address: text("YJDZ"),
    courier: text("KDGS"),
    mailedOn: text("JCRQ").slice(0, 20),
    status: text("YJZT"),
  };
  if (errors.length) return { errors };
  return {
    value: {
      admissionNo: admissionNo!,
      certificateNo: cert || null,
      phone: phone ?? "",
      postcode,
      trackingNo: tracking,
      ...value,
    },
  };
}

/** What the plan knows of each number: the entry and the certificate its score carries (null: not passed). */
export interface MailingTarget {
  entryId: number;
  certificateNo: string | null;
  passed: boolean;
}

/**
 * SCO-2: all or nothing. Every number is one of the site's entries (ORG-2), once in the file, whose
 * imported score passed; a certificate number given must be the one the score file gave.
 */
export function planMailingImport(
  rows: ReadonlyArray<{ row: number; value: MailingRow }>,
  targets: ReadonlyMap<string, MailingTarget>,
) {
  const errors: Array<MailingCellError & { row: number }> = [];
  const firstRow = new Map<string, number>();
  for (const { row, value } of rows) {
    const first = firstRow.get(value.admissionNo);
    if (first !== undefined) {
      errors.push({
        row,
        column: "ZKZH",
        value: value.admissionNo,
        key: "violations.duplicate_row",
        params: { row: first },
      });
      continue;
    }
    firstRow.set(value.admissionNo, row);
    const t = targets.get(value.admissionNo);
    if (!t) errors.push({ row, column: "ZKZH", value: value.admissionNo, key: "scores.no_such_entry" });
    else if (!t.passed) errors.push({ row, column: "ZKZH", value: value.admissionNo, key: "mailing.not_passed" });
    else if (value.certificateNo && t.certificateNo && value.certificateNo !== t.certificateNo)
      errors.push({
        row,
        column: "ZSBH",
        value: value.certificateNo,
        key: "mailing.certificate_mismatch",
        params: { no: t.certificateNo },
      });
  }
  return errors;
}
