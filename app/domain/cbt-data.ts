// DOC-6 (manual §四十七 机考数据下载): the CBT candidate file `<site code>.DBF`, one record per
// numbered entry, in the layout of shared/DOMAIN.md, in GBK. Pure: the encoder is iconv-lite's, the
// file is written by app/services/cbt-data.server.ts.

import iconv from "iconv-lite";
import { unholdableCharacters } from "./admission-cards";

/** DOMAIN.md's layout: every field a character field (C) of this many bytes; names ≤ 10 ASCII characters. */
export const CBT_FIELDS = [
  { name: "ZKZH", size: 16 }, // 准考证号
  { name: "BMH", size: 14 }, // 报名号
  { name: "XM", size: 30 }, // 姓名
  { name: "XB", size: 1 }, // 性别
  { name: "CSRQ", size: 8 }, // 出生日期 YYYYMMDD
  { name: "ZJLX", size: 1 }, // 证件类型
  { name: "ZJH", size: 18 }, // 证件号
  { name: "MZ", size: 2 }, // 民族
  { name: "KSKM", size: 2 }, // 科目
  { name: "KDDM", size: 6 }, // 考点
  { name: "KCH", size: 2 }, // 考场号
  { name: "PCH", size: 2 }, // 批次号
  { name: "ZWH", size: 2 }, // 座位号
  { name: "KSRQ", size: 8 }, // 考试日期 YYYYMMDD
  { name: "KSSJ", size: 4 }, // 开始时间 HHMM
  { name: "ZP", size: 40 }, // 照片文件名
] as const;
export type CbtFieldName = (typeof CBT_FIELDS)[number]["name"];
export type CbtRecord = Record<CbtFieldName, string>;

export interface CbtRow {
  admission_no: string;
  registration_id: number;
  name: string;
  gender: string;
  birth_date: string;
  id_type: string;
  id_number: string;
  ethnicity: string;
  subject_code: string;
  room: string;
  seq: number;
  seat: number;
  exam_date: string;
  start_min: number;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** A value's GBK bytes. */
export const gbkLength = (s: string) => iconv.encode(s, "gbk").length;

/** Whether a character survives GBK both ways (anything else would be written as "?"). */
export const inGbk = (ch: string) => iconv.decode(iconv.encode(ch, "gbk"), "gbk") === ch;

/** The longest start of `s` that fits `bytes` in GBK, cut between characters, never inside one. */
export function fitGbk(s: string, bytes: number): string {
  // No encoding needed when it surely fits: a UTF-16 unit is at most two GBK bytes (most values are short).
  if (s.length * 2 <= bytes || (s.length <= bytes && /^\p{ASCII}*$/u.test(s))) return s;
  if (gbkLength(s) <= bytes) return s;
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = gbkLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * One entry's record. 报名号 (BMH) is the sitting code, the site code and the registration's id:
 * 14 characters that name the registration across the sitting. The photo is named as in the photo
 * package (DOC-5).
 */
export function cbtRecord(
  r: CbtRow,
  o: { sittingCode: string; siteCode: string; photoNaming: "admission_no" | "id_number" },
): CbtRecord {
  const rec: CbtRecord = {
    ZKZH: r.admission_no,
    BMH: `${o.sittingCode.padStart(2, "0")}${o.siteCode}${String(r.registration_id).padStart(6, "0")}`.slice(-14),
    XM: r.name,
    XB: r.gender,
    CSRQ: r.birth_date.replace(/-/g, ""),
    ZJLX: r.id_type,
    ZJH: r.id_number,
    MZ: r.ethnicity,
    KSKM: r.subject_code,
    KDDM: o.siteCode,
    KCH: r.room,
    PCH: pad2(r.seq),
    ZWH: pad2(r.seat),
    KSRQ: r.exam_date.replace(/-/g, ""),
    KSSJ: `${pad2(Math.floor(r.start_min / 60))}${pad2(r.start_min % 60)}`,
    ZP: `${o.photoNaming === "id_number" ? r.id_number : r.admission_no}.jpg`,
  };
  for (const f of CBT_FIELDS) rec[f.name] = fitGbk(rec[f.name], f.size);
  return rec;
}

/**
 * DOC-6: every character of the records that GBK cannot hold (a rare name character, say), with
 * whose records they are in, so the site fixes them before anything is written as "?".
 */
export const nonGbkCharacters = (rows: ReadonlyArray<Pick<CbtRow, "name" | "admission_no">>) =>
  unholdableCharacters(
    rows.map((r) => ({ who: r.name, texts: [r.name] })),
    inGbk,
  );
