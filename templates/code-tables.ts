// Code tables from shared/DOMAIN.md ("Code tables"): reference data for the import template's 码表
// sheet, import matching (SR-2: a code column takes the code or the name) and SR-4's education order.
import { cleanText, toHalfWidth } from "../app/domain/import-values";

export interface CodeEntry {
  code: string;
  name: string;
  /** the name shown to an English-speaking viewer (also accepted on import). */
  en: string;
  /** Other spellings people type for the same entry (matched like the name). */
  aliases?: string[];
}

// GB/T 2261.1.
const gender: CodeEntry[] = [
  { code: "0", name: "未知", en: "Unknown" },
  { code: "1", name: "男", en: "Male", aliases: ["男性"] },
  { code: "2", name: "女", en: "Female", aliases: ["女性"] },
  { code: "9", name: "未说明", en: "Not stated" },
];

// GB 3304, in code order: 01 … 56, then 97 and 98.
const ETHNICITY_NAMES = [
  "汉族",
  "蒙古族",
  "回族",
  "藏族",
  "维吾尔族",
  "苗族",
  "彝族",
  "壮族",
  "布依族",
  "朝鲜族",
  "满族",
  "侗族",
  "瑶族",
  "白族",
  "土家族",
  "哈尼族",
  "哈萨克族",
  "傣族",
  "黎族",
  "傈僳族",
  "佤族",
  "畲族",
  "高山族",
  "拉祜族",
  "水族",
  "东乡族",
  "纳西族",
  "景颇族",
  "柯尔克孜族",
  "土族",
  "达斡尔族",
  "仫佬族",
  "羌族",
  "布朗族",
  "撒拉族",
  "毛南族",
  "仡佬族",
  "锡伯族",
  "阿昌族",
  "普米族",
  "塔吉克族",
  "怒族",
  "乌孜别克族",
  "俄罗斯族",
  "鄂温克族",
  "德昂族",
  "保安族",
  "裕固族",
  "京族",
  "塔塔尔族",
  "独龙族",
  "鄂伦春族",
  "赫哲族",
  "门巴族",
  "珞巴族",
  "基诺族",
];

// English names in the same order (the names the State Ethnic Affairs Commission uses in English).
const ETHNICITY_NAMES_EN = [
  "Han",
  "Mongol",
  "Hui",
  "Tibetan",
  "Uyghur",
  "Miao",
  "Yi",
  "Zhuang",
  "Bouyei",
  "Korean",
  "Manchu",
  "Dong",
  "Yao",
  "Bai",
  "Tujia",
  "Hani",
  "Kazakh",
  "Dai",
  "Li",
  "Lisu",
  "Va",
  "She",
  "Gaoshan",
  "Lahu",
  "Shui",
  "Dongxiang",
  "Naxi",
  "Jingpo",
  "Kyrgyz",
  "Tu",
  "Daur",
  "Mulao",
  "Qiang",
  "Blang",
  "Salar",
  "Maonan",
  "Gelao",
  "Xibe",
  "Achang",
  "Pumi",
  "Tajik",
  "Nu",
  "Uzbek",
  "Russian",
  "Evenki",
  "De'ang",
  "Bonan",
  "Yugur",
  "Gin",
  "Tatar",
  "Derung",
  "Oroqen",
  "Hezhen",
  "Monba",
  "Lhoba",
  "Jino",
];

// Every "…族" is also typed without the 族 ("汉", "维吾尔").
const ethnicity: CodeEntry[] = [
  ...ETHNICITY_NAMES.map((name, i) => ({
    code: String(i + 1).padStart(2, "0"),
    name,
    en: ETHNICITY_NAMES_EN[i],
    aliases: [name.slice(0, -1)],
  })),
  { code: "97", name: "其他", en: "Other" },
  { code: "98", name: "外国血统中国籍人士", en: "Chinese citizen of foreign origin" },
];

// GB/T 4658, collapsed for registration.
const education: CodeEntry[] = [
  { code: "10", name: "研究生", en: "Postgraduate", aliases: ["硕士", "博士", "硕士研究生", "博士研究生"] },
  { code: "20", name: "本科", en: "Bachelor's degree", aliases: ["大学本科"] },
  { code: "30", name: "专科", en: "Associate degree", aliases: ["大专", "大学专科"] },
  { code: "40", name: "中专/职高/技校", en: "Vocational secondary", aliases: ["中专", "职高", "技校"] },
  { code: "60", name: "高中", en: "Upper secondary" },
  { code: "70", name: "初中", en: "Lower secondary" },
  { code: "80", name: "小学", en: "Primary" },
  { code: "90", name: "其他", en: "Other" },
];

// GB/T 6565 (1999/2009 edition: major groups 1–6, X, Y), plus S for students.
const occupation: CodeEntry[] = [
  { code: "1", name: "国家机关、党群组织、企业、事业单位负责人", en: "Heads of public bodies and enterprises" },
  { code: "2", name: "专业技术人员", en: "Professional and technical staff" },
  { code: "3", name: "办事人员和有关人员", en: "Clerical staff" },
  { code: "4", name: "商业、服务业人员", en: "Commerce and service workers" },
  { code: "5", name: "农、林、牧、渔、水利业生产人员", en: "Agriculture, forestry, fishery and water workers" },
  { code: "6", name: "生产、运输设备操作人员及有关人员", en: "Production and transport operators" },
  { code: "X", name: "军人", en: "Military" },
  { code: "Y", name: "其他", en: "Other", aliases: ["不便分类的其他从业人员"] },
  { code: "S", name: "学生", en: "Student" },
];

const trainingType: CodeEntry[] = [
  { code: "1", name: "自学", en: "Self-study" },
  { code: "2", name: "参加社会培训", en: "Training course", aliases: ["社会培训"] },
  { code: "3", name: "学校课程", en: "School course" },
];

// Codes as in app/domain/id-number.ts ID_TYPES.
const idType: CodeEntry[] = [
  { code: "1", name: "居民身份证", en: "Resident ID card", aliases: ["身份证"] },
  { code: "6", name: "香港特区护照/身份证明", en: "Hong Kong SAR passport / identity document" },
  { code: "7", name: "澳门特区护照/身份证明", en: "Macao SAR passport / identity document" },
  { code: "8", name: "台湾居民来往大陆通行证", en: "Mainland travel permit for Taiwan residents", aliases: ["台胞证"] },
  { code: "9", name: "外国人永久居留身份证", en: "Foreigner's permanent residence ID card" },
  { code: "A", name: "护照", en: "Passport" },
  { code: "C", name: "港澳台居民居住证", en: "Residence permit for Hong Kong, Macao and Taiwan residents" },
  { code: "Z", name: "其他", en: "Other" },
];

export const CODE_TABLES = { gender, ethnicity, education, occupation, trainingType, idType };
export type CodeTableName = keyof typeof CODE_TABLES;

/**
 * SR-4: higher = more education; a lower level never replaces a higher one. 中专/职高/技校 and 高中
 * are both upper-secondary (GB/T 4658), so neither counts as lower than the other; 其他 is lowest.
 */
export const EDUCATION_RANK: Record<string, number> = {
  "10": 6,
  "20": 5,
  "30": 4,
  "40": 3,
  "60": 3,
  "70": 2,
  "80": 1,
  "90": 0,
};

interface TableIndex {
  byCode: Map<string, string>;
  byName: Map<string, string>;
}

const nameKey = (s: string) => s.replace(/\s/g, "").toLowerCase();

const INDEX = Object.fromEntries(
  (Object.keys(CODE_TABLES) as CodeTableName[]).map((table) => {
    const index: TableIndex = { byCode: new Map(), byName: new Map() };
    for (const e of CODE_TABLES[table]) {
      index.byCode.set(e.code, e.code);
      for (const n of [e.name, e.en, ...(e.aliases ?? [])]) index.byName.set(nameKey(n), e.code);
    }
    return [table, index];
  }),
) as Record<CodeTableName, TableIndex>;

function byCode(table: CodeTableName, raw: string): string | null {
  let code = raw.toUpperCase();
  // Excel drops the leading zero of "01" typed into a number cell.
  if (table === "ethnicity" && /^\d$/.test(code)) code = `0${code}`;
  return INDEX[table].byCode.get(code) ?? null;
}

// "01 汉族", "01-汉族", "01汉族" and "汉族(01)", as the template's 码表 sheet and drop-downs show them.
const CODE_THEN_NAME = /^([0-9A-Za-z]{1,2})\s*[-_:.、,]?\s*([^\s0-9A-Za-z].*)$/;
const NAME_THEN_CODE = /^(.*?)\s*[([]\s*([0-9A-Za-z]{1,2})\s*[)\]]$/;

/** SR-2: the code for a cell that holds the code, the name, an alias or both code and name; null if unknown. */
export function lookupCode(table: CodeTableName, value: string): string | null {
  // The same few names fill a whole column of an import: each distinct cell is judged once.
  const memo = LOOKUPS[table];
  const known = memo.get(value);
  if (known !== undefined) return known;
  const code = judgeCode(table, value);
  if (memo.size < MAX_REMEMBERED) memo.set(value, code);
  return code;
}

const MAX_REMEMBERED = 5_000;
const LOOKUPS = Object.fromEntries(Object.keys(INDEX).map((t) => [t, new Map<string, string | null>()])) as Record<
  CodeTableName,
  Map<string, string | null>
>;

function judgeCode(table: CodeTableName, value: string): string | null {
  const v = cleanText(toHalfWidth(value));
  if (v === "") return null;
  const direct = byCode(table, v) ?? INDEX[table].byName.get(nameKey(v)) ?? null;
  if (direct) return direct;
  const m = CODE_THEN_NAME.exec(v);
  const n = NAME_THEN_CODE.exec(v);
  const [code, name] = m ? [m[1], m[2]] : n ? [n[2], n[1]] : [null, null];
  if (code === null || name === null) return null;
  const fromCode = byCode(table, code);
  // Both halves must name the same entry: "01 蒙古族" is a contradiction, not a guess.
  return fromCode && fromCode === INDEX[table].byName.get(nameKey(name)) ? fromCode : null;
}

const entryName = (e: CodeEntry, locale: string) => (locale === "en" ? e.en : e.name);

/** the display name for a code in the viewer's language ("" if the code is not in the table). */
export function nameOf(table: CodeTableName, code: string, locale = "zh-CN"): string {
  const c = byCode(table, cleanText(toHalfWidth(code)));
  const e = CODE_TABLES[table].find((x) => x.code === c);
  return e ? entryName(e, locale) : "";
}

/** a table's entries as drop-down options, named in the viewer's language. */
export function codeOptions(table: CodeTableName, locale = "zh-CN"): Array<{ code: string; name: string }> {
  return CODE_TABLES[table].map((e) => ({ code: e.code, name: entryName(e, locale) }));
}
