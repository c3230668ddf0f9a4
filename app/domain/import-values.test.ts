import { describe, expect, it } from "vitest";
import {
  CODE_TABLES,
  EDUCATION_RANK,
  codeOptions,
  lookupCode,
  nameOf,
  type CodeTableName,
} from "~templates/code-tables";
import { ID_TYPES } from "./id-number";
import { cleanText, isEmail, normalisePhone, parseDateValue, toHalfWidth } from "./import-values";

describe("import values", () => {
  it.each([
    ["full-width digits", "３３０１０５", "330105"],
    ["full-width letters and punctuation", "Ａｂｃ（１）－＠．", "Abc(1)-@."],
    ["the ideographic space", "张\u3000三", "张 三"],
    ["Chinese text is left alone", "汉族·维吾尔", "汉族·维吾尔"],
  ])("CAN-3: toHalfWidth converts %s", (_l, s, expected) => {
    expect(toHalfWidth(s)).toBe(expected);
  });

  it.each([
    ["null", null, ""],
    ["undefined", undefined, ""],
    ["a trimmed string", "  张三 ", "张三"],
    ["runs of whitespace, ideographic spaces and line breaks", "张\u3000 三\n李\t四", "张 三 李 四"],
    ["zero-width characters and a BOM", "\uFEFF张\u200B三\u200D", "张三"],
    ["a 12-digit integer", 330105197810, "330105197810"],
    ["a 15-digit integer, without exponent", 123456789012345, "123456789012345"],
    ["a fraction, to Excel's 15 digits", 0.1 + 0.2, "0.3"],
    ["a plain fraction", 12.5, "12.5"],
    ["a boolean", true, "true"],
    ["a Date, by its UTC parts", new Date(Date.UTC(2005, 2, 8)), "2005-03-08"],
    ["rich text", { richText: [{ text: "张" }, { font: { bold: true }, text: "三 " }] }, "张三"],
    ["a hyperlink", { text: "zhangsan@example.com", hyperlink: "mailto:zhangsan@example.com" }, "zhangsan@example.com"],
    [
      "a hyperlink showing rich text",
      { text: { richText: [{ text: "主页" }] }, hyperlink: "https://example.com" },
      "主页",
    ],
    ["a formula with a text result", { formula: "A1&B1", result: " 张三 " }, "张三"],
    ["a formula with a numeric result", { formula: "A1*2", result: 42 }, "42"],
    ["a shared formula", { sharedFormula: "C2", result: "汉族" }, "汉族"],
    ["a formula not yet calculated", { formula: "A1" }, ""],
    ["an error cell", { error: "#N/A" }, ""],
  ])("SR-2: cleanText reads %s", (_l, v, expected) => {
    expect(cleanText(v)).toBe(expected);
  });

  it("SR-2: cleanText's shortcut for text needing nothing answers as the full cleaning does", () => {
    // The full cleaning, as it was before the shortcut (the shortcut skips it for 100,000-row files).
    const full = (s: string) =>
      s
        .replace(/[\u200B-\u200D\uFEFF]/g, "")
        .replace(/\s+/g, " ")
        .trim();
    const parts = [
      "a",
      "张",
      "1",
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\u00A0",
      "\u3000",
      "\u200B",
      "\uFEFF",
      "\u2028",
      "Ａ",
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      let s = "";
      for (let k = next() % 6; k >= 0; k--) s += parts[next() % parts.length];
      expect(cleanText(s), JSON.stringify(s)).toBe(full(s));
    }
    expect(toHalfWidth("１２３ａ\u3000b")).toBe("123a b");
    expect(toHalfWidth("plain")).toBe("plain");
  });

  it.each([
    ["an Excel serial", 38419, "2005-03-08"],
    ["an Excel serial with a time of day", 38419.75, "2005-03-08"],
    ["serial 1", 1, "1900-01-01"],
    ["the day before Excel's fake leap day", 59, "1900-02-28"],
    ["Excel's fake 1900-02-29", 60, null],
    ["the day after it", 61, "1900-03-01"],
    ["the last serial", 2958465, "9999-12-31"],
    ["beyond the last serial", 2958466, null],
    ["serial 0", 0, null],
    ["a negative serial", -5, null],
    ["NaN", Number.NaN, null],
    ["a Date", new Date(Date.UTC(2005, 2, 8)), "2005-03-08"],
    ["a Date at the end of the UTC day", new Date("2005-03-08T23:59:59Z"), "2005-03-08"],
    ["a Date before 1900", new Date(Date.UTC(1899, 11, 31)), null],
    ["an invalid Date", new Date("nonsense"), null],
    ["2005-03-08", "2005-03-08", "2005-03-08"],
    ["2005-3-8", "2005-3-8", "2005-03-08"],
    ["2005/3/8", "2005/3/8", "2005-03-08"],
    ["2005.3.8", "2005.3.8", "2005-03-08"],
    ["20050308", "20050308", "2005-03-08"],
    ["2005年3月8日", "2005年3月8日", "2005-03-08"],
    ["2005年03月08日", "2005年03月08日", "2005-03-08"],
    ["full-width digits", "２００５－０３－０８", "2005-03-08"],
    ["surrounding spaces", " 2005/3/8 ", "2005-03-08"],
    ["an exported time of day", "2005-03-08 00:00:00", "2005-03-08"],
    ["a leap day", "2004-02-29", "2004-02-29"],
    ["February 30", "2005-02-30", null],
    ["February 29 in a common year", "2005-02-29", null],
    ["February 30 as 8 digits", "20050230", null],
    ["month 13", "2005/13/1", null],
    ["a year before 1900", "1899-12-31", null],
    ["mixed separators", "2005-3/8", null],
    ["a two-digit year", "05-03-08", null],
    ["a serial as text", "38419", null],
    ["words", "tomorrow", null],
    ["empty text", "", null],
    ["null", null, null],
    [
      "a formula whose result is a Date",
      { formula: "DATE(2005,3,8)", result: new Date(Date.UTC(2005, 2, 8)) },
      "2005-03-08",
    ],
    ["a formula whose result is a serial", { formula: "A1+1", result: 38419 }, "2005-03-08"],
    ["rich text", { richText: [{ text: "2005-" }, { text: "03-08" }] }, "2005-03-08"],
  ])("SR-2: parseDateValue reads %s", (_l, v, expected) => {
    expect(parseDateValue(v)).toBe(expected);
  });

  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["0086 13812345678", "13812345678"],
    ["+86-10-12345678", "01012345678"], // the international form drops the trunk 0
    ["010-12345678", "01012345678"],
    ["（0755）1234 5678", "075512345678"],
    ["0755—12345678", "075512345678"],
    ["12345678", "12345678"],
    ["1234567", "1234567"],
    ["12812345678", null], // no such mobile prefix
    ["1381234567", null],
    ["138123456789", null],
    ["0123456789012", null],
    ["123456", null],
    ["138 1234 567x", null],
    ["", null],
  ])("SR-2: the phone %j is normalised to %j", (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each([
    ["zhangsan@example.com", true],
    ["zhang.san+ncre@mail.example.edu.cn", true],
    ["ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", true],
    [" zhangsan@example.com ", true],
    ["", false],
    ["zhangsan", false],
    ["zhangsan@", false],
    ["@example.com", false],
    ["zhang san@example.com", false],
    ["zhangsan@example", false],
    ["zhang..san@example.com", false],
    [".zhangsan@example.com", false],
    ["zhangsan@-example.com", false],
    ["zhangsan@example.c", false],
    ["张三@example.com", false],
  ])("SR-2: %j is an e-mail address: %s", (s, ok) => {
    expect(isEmail(s)).toBe(ok);
  });
});

describe("code tables", () => {
  const tables = Object.keys(CODE_TABLES) as CodeTableName[];

  it("SR-2: the tables are DOMAIN.md's, and ID types match the validator's", () => {
    expect(CODE_TABLES.gender.map((e) => e.code)).toEqual(["0", "1", "2", "9"]);
    expect(CODE_TABLES.ethnicity).toHaveLength(58);
    expect(CODE_TABLES.ethnicity[0]).toMatchObject({ code: "01", name: "汉族" });
    expect(CODE_TABLES.ethnicity[55]).toMatchObject({ code: "56", name: "基诺族" });
    expect(CODE_TABLES.ethnicity.slice(56).map((e) => e.code)).toEqual(["97", "98"]);
    expect(CODE_TABLES.education.map((e) => e.code)).toEqual(["10", "20", "30", "40", "60", "70", "80", "90"]);
    expect(CODE_TABLES.occupation.map((e) => e.code)).toEqual(["1", "2", "3", "4", "5", "6", "X", "Y", "S"]);
    expect(CODE_TABLES.trainingType.map((e) => e.name)).toEqual(["自学", "参加社会培训", "学校课程"]);
    expect(CODE_TABLES.idType.map((e) => e.code)).toEqual([...ID_TYPES]);
  });

  it.each(tables)("SR-2: in %s every code, name and alias is unique and finds its own entry", (table) => {
    const codes = CODE_TABLES[table].map((e) => e.code);
    const names = CODE_TABLES[table].flatMap((e) => [e.name, ...(e.aliases ?? [])]);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
    for (const e of CODE_TABLES[table]) {
      for (const v of [e.code, e.name, ...(e.aliases ?? []), `${e.code} ${e.name}`, `${e.name}(${e.code})`]) {
        expect(lookupCode(table, v), v).toBe(e.code);
      }
      expect(nameOf(table, e.code)).toBe(e.name);
    }
  });

  it.each([
    ["gender", "男", "1"],
    ["gender", " 女 ", "2"],
    ["gender", "男性", "1"],
    ["gender", "１", "1"],
    ["gender", "3", null],
    ["gender", "M", null],
    ["ethnicity", "汉族", "01"],
    ["ethnicity", "汉", "01"],
    ["ethnicity", "维吾尔", "05"],
    ["ethnicity", "1", "01"],
    ["ethnicity", "０１", "01"],
    ["ethnicity", "01 汉族", "01"],
    ["ethnicity", "01-汉族", "01"],
    ["ethnicity", "01汉族", "01"],
    ["ethnicity", "汉族(01)", "01"],
    ["ethnicity", "汉族（01）", "01"],
    ["ethnicity", "汉 族", "01"],
    ["ethnicity", "01 蒙古族", null], // code and name disagree
    ["ethnicity", "001", null],
    ["ethnicity", "汉人", null],
    ["education", "本科", "20"],
    ["education", "大学本科", "20"],
    ["education", "大专", "30"],
    ["education", "大学专科", "30"],
    ["education", "中专", "40"],
    ["education", "技校", "40"],
    ["education", "40-中专", "40"],
    ["education", "硕士", "10"],
    ["education", "博士", "10"],
    ["education", "50", null],
    ["occupation", "x", "X"],
    ["occupation", "军人", "X"],
    ["occupation", "s", "S"],
    ["occupation", "学生", "S"],
    ["trainingType", "3 学校课程", "3"],
    ["idType", "a", "A"],
    ["idType", "护照", "A"],
    ["idType", "身份证", "1"],
    ["idType", "c", "C"],
    ["idType", "", null],
    ["idType", "   ", null],
  ] as const)("SR-2: a %s column accepts the code or the name — %j → %s", (table, value, code) => {
    expect(lookupCode(table, value)).toBe(code);
  });

  it("SR-2: a cell's code is the same when asked again, and after thousands of other cells", () => {
    expect(lookupCode("ethnicity", "汉族")).toBe("01");
    for (let i = 0; i < 6000; i++) expect(lookupCode("ethnicity", `火星族${i}`)).toBeNull();
    expect(lookupCode("ethnicity", "汉族")).toBe("01");
    expect(lookupCode("ethnicity", " 01 汉族 ")).toBe("01");
    expect(lookupCode("ethnicity", " 01 汉族 ")).toBe("01");
    expect(lookupCode("ethnicity", "01 蒙古族")).toBeNull();
  });

  it("SR-2: nameOf gives the name, or nothing for an unknown code", () => {
    expect(nameOf("ethnicity", "01")).toBe("汉族");
    expect(nameOf("idType", "a")).toBe("护照");
    expect(nameOf("gender", "5")).toBe("");
  });

  it.each(tables)(
    "X-5: every %s entry has its own English name, shown to English viewers and accepted on import",
    (table) => {
      const en = CODE_TABLES[table].map((e) => e.en);
      for (const name of en) expect(name, table).toMatch(/^[\x20-\x7e]+$/);
      expect(new Set(en).size).toBe(en.length);
      for (const e of CODE_TABLES[table]) {
        expect(nameOf(table, e.code, "en")).toBe(e.en);
        expect(lookupCode(table, e.en)).toBe(e.code);
        expect(lookupCode(table, e.en.toUpperCase())).toBe(e.code);
      }
      expect(codeOptions(table, "en").map((o) => o.name)).toEqual(en);
      expect(codeOptions(table).map((o) => o.name)).toEqual(CODE_TABLES[table].map((e) => e.name));
    },
  );

  it("X-5: a name in the viewer's language, Chinese by default", () => {
    expect(nameOf("ethnicity", "01", "en")).toBe("Han");
    expect(nameOf("ethnicity", "56", "en")).toBe("Jino");
    expect(nameOf("gender", "2", "en")).toBe("Female");
    expect(nameOf("idType", "1", "en")).toBe("Resident ID card");
    expect(nameOf("gender", "2")).toBe("女");
    expect(nameOf("gender", "5", "en")).toBe("");
  });

  it("SR-4: every education level has a rank, 研究生 highest and 其他 lowest", () => {
    expect(Object.keys(EDUCATION_RANK).sort()).toEqual(CODE_TABLES.education.map((e) => e.code).sort());
    const rank = (name: string) => EDUCATION_RANK[lookupCode("education", name)!];
    const descending = ["研究生", "本科", "专科", "中专/职高/技校", "初中", "小学", "其他"];
    for (let i = 1; i < descending.length; i++) expect(rank(descending[i - 1])).toBeGreaterThan(rank(descending[i]));
    expect(rank("高中")).toBeGreaterThan(rank("初中"));
    expect(rank("本科")).toBeGreaterThan(rank("高中"));
  });

  it("SR-4: 中专/职高/技校 and 高中 are the same level, so neither counts as lower than the other", () => {
    expect(EDUCATION_RANK["40"]).toBe(EDUCATION_RANK["60"]);
  });
});
