import { describe, expect, it } from "vitest";
import { CBT_FIELDS, cbtRecord, fitGbk, gbkLength, nonGbkCharacters, type CbtRow } from "./cbt-data";

// DOC-6: the CBT file's records, cut by whole characters, and what GBK cannot hold.
const row: CbtRow = {
  admission_no: "1479990102010001",
  registration_id: 42,
  name: "张三",
  gender: "1",
  birth_date: "2005-03-08",
  id_type: "1",
  id_number: "110101200503081234",
  ethnicity: "01",
  subject_code: "14",
  room: "07",
  seq: 3,
  seat: 5,
  exam_date: "2027-03-27",
  start_min: 630,
};

describe("CBT data (DOC-6)", () => {
  it("DOC-6: one record per entry in DOMAIN.md's layout; field names ≤ 10 ASCII characters", () => {
    expect(cbtRecord(row, { sittingCode: "79", siteCode: "990102", photoNaming: "admission_no" })).toEqual({
      ZKZH: "1479990102010001",
      BMH: "79990102000042",
      XM: "张三",
      XB: "1",
      CSRQ: "20050308",
      ZJLX: "1",
      ZJH: "110101200503081234",
      MZ: "01",
      KSKM: "14",
      KDDM: "990102",
      KCH: "07",
      PCH: "03",
      ZWH: "05",
      KSRQ: "20270327",
      KSSJ: "1030",
      ZP: "1479990102010001.jpg",
    });
    for (const f of CBT_FIELDS) expect(f.name).toMatch(/^[A-Z0-9_]{1,10}$/);
  });

  it("DOC-6: a value longer than its field is cut between characters (GBK bytes), never inside one", () => {
    // 16 Chinese characters = 32 GBK bytes; XM holds 30.
    const long = "欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜娜";
    const cut = fitGbk(long, 30);
    expect(cut).toBe(long.slice(0, 15));
    expect(gbkLength(cut)).toBe(30);
    expect(fitGbk("张a三", 4)).toBe("张a"); // 3 bytes fit; 三 would need 2 more
    // Around the shortcut that skips encoding (≤ 2 bytes a UTF-16 unit; ASCII 1 byte).
    expect(fitGbk("张三", 4)).toBe("张三");
    expect(fitGbk("abc", 3)).toBe("abc");
    expect(fitGbk("abcd", 3)).toBe("abc");
    expect(fitGbk("ab张", 4)).toBe("ab张");
    expect(fitGbk("ab张", 3)).toBe("ab");
    expect(
      cbtRecord({ ...row, name: long }, { sittingCode: "79", siteCode: "990102", photoNaming: "id_number" }),
    ).toMatchObject({
      XM: long.slice(0, 15),
      ZP: "110101200503081234.jpg",
    });
  });

  it("DOC-6: characters outside GBK are listed with the names they are in, before anything is written as ?", () => {
    expect(
      nonGbkCharacters([
        { name: "王𠇔", admission_no: "1" },
        { name: "李𠇔", admission_no: "2" },
        { name: "䶮堃喆", admission_no: "3" },
      ]),
    ).toEqual([{ char: "𠇔", codePoint: "U+201D4", names: ["李𠇔", "王𠇔"] }]);
  });
});
