import { describe, expect, it } from "vitest";
import { cardFiles, missingCharacters, sortCards, type AdmissionCard } from "./admission-cards";

// DOC-1 … DOC-4: ordering, files and the characters a card font lacks.
const base: AdmissionCard = {
  entryId: 0,
  sittingName: "第79次",
  admissionNo: "",
  name: "",
  gender: "男",
  idType: "居民身份证",
  idNumber: "110101199003078515",
  subject: "(14) 一级",
  examDate: "2027-03-27",
  examTime: "08:00–10:00",
  room: "01",
  seat: "01",
  siteName: "考点",
  siteAddress: "地址",
  className: "",
  photoPath: null,
  qrText: "",
};
const c = (o: Partial<AdmissionCard>): AdmissionCard => ({ ...base, ...o });

describe("admission cards (DOC-1, DOC-4)", () => {
  const cards = [
    c({ entryId: 1, admissionNo: "0003", name: "张三", room: "02", seat: "01", className: "会计2401" }),
    c({ entryId: 2, admissionNo: "0001", name: "安娜", room: "01", seat: "02", className: "" }),
    c({ entryId: 3, admissionNo: "0002", name: "李四", room: "01", seat: "01", className: "计科2401" }),
    c({
      entryId: 4,
      admissionNo: "0004",
      name: "王五",
      room: "01",
      seat: "10",
      className: "会计2401",
      examTime: "10:30–12:30",
    }),
  ];
  const ids = (list: AdmissionCard[]) => list.map((x) => x.entryId);

  it("DOC-1: the four orderings of the manual: admission number, room and seat, class (none last), name (pinyin)", () => {
    expect(ids(sortCards(cards, "admission_no"))).toEqual([2, 3, 1, 4]);
    expect(ids(sortCards(cards, "room_seat"))).toEqual([3, 2, 4, 1]);
    // 会计2401 (kuaiji: wang before zhang), 计科2401, then no class.
    expect(ids(sortCards(cards, "class"))).toEqual([4, 1, 3, 2]);
    // an → li → wang → zhang
    expect(ids(sortCards(cards, "name"))).toEqual([2, 3, 4, 1]);
  });

  it("DOC-1: one file per room, at most 500 cards each, rooms in order, the chosen order kept inside", () => {
    const many = Array.from({ length: 1203 }, (_, i) =>
      c({ entryId: i, admissionNo: String(i).padStart(4, "0"), room: i < 1201 ? "07" : "03" }),
    );
    const files = cardFiles(sortCards(many, "admission_no"));
    expect(files.map((f) => [f.name, f.cards.length])).toEqual([
      ["03", 2],
      ["07", 500],
      ["07-2", 500],
      ["07-3", 201],
    ]);
    expect(files[1].cards[0].entryId).toBe(0);
  });

  it("DOC-4: characters the font lacks are listed with the candidates they belong to, once each", () => {
    const has = (cp: number) => cp < 0x20000; // a font without Extension B
    const list = missingCharacters(
      [c({ name: "王𠇔" }), c({ name: "李𠇔" }), c({ name: "赵钱", siteAddress: "路𡒄号" }), c({ name: "孙李" })],
      has,
    );
    expect(list).toEqual([
      { char: "𠇔", codePoint: "U+201D4", names: ["李𠇔", "王𠇔"] },
      { char: "𡒄", codePoint: "U+21484", names: ["赵钱"] },
    ]);
    expect(missingCharacters([c({ name: "张三" })], has)).toEqual([]);
  });
});
