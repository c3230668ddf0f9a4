import { describe, expect, it } from "vitest";
import {
  birthDateFromId,
  genderFromId,
  ID_TYPES,
  idCheckCharacter,
  idFacts,
  isIdType,
  looksLikeLostPrecision,
  maskBirthDate,
  maskIdNumber,
  normaliseIdNumber,
  validateIdNumber,
  type IdType,
} from "./id-number";

const now = new Date("2026-05-01T04:00:00Z");
const check = (type: IdType, raw: string) => validateIdNumber(type, normaliseIdNumber(raw), now);

describe("ID numbers", () => {
  it.each([
    ["full-width digits", "３３０１０５１９７８１０２７００２５", "330105197810270025"],
    ["a lower-case x", "11010519491231002x", "11010519491231002X"],
    ["a full-width X", "11010519491231002Ｘ", "11010519491231002X"],
    ["spaces inside and around", "  330105 19781027 0025 ", "330105197810270025"],
    ["ideographic spaces and tabs", "\u3000330105\t197810270025\u3000", "330105197810270025"],
    ["a zero-width space pasted from a web page", "3301051978\u200B10270025", "330105197810270025"],
    ["a lower-case passport", "e12345678", "E12345678"],
  ])("CAN-3: an ID number is normalised before validation and matching — %s", (_l, raw, expected) => {
    expect(normaliseIdNumber(raw)).toBe(expected);
  });

  it.each([
    ["1", "11010519491231002X"],
    ["1", "330105197810270025"],
    ["1", "３３０１０５１９７８１０２７００２５"],
    ["1", "11010519491231002x"],
    ["1", "11010520000229003X"], // 2000 was a leap year
    ["1", "110105190001010036"], // 1900 is the earliest year
    ["C", "810000199001011230"],
    ["C", "820000200002290013"],
    ["C", "830000198506150024"],
    ["6", "H12345678"],
    ["6", "H1234567890"],
    ["7", "M12345678"],
    ["6", "K12345678"], // an HK SAR passport
    ["8", "12345678"],
    ["8", "1234567890"],
    ["9", "USA110190001234"],
    ["9", "911840199001010026"],
    ["A", "E12345678"],
    ["A", "EA1234567"],
    ["A", "G12345678"],
    ["A", "X1234567"], // a foreign passport
    ["Z", "ABC-123"],
  ] as const)("CAN-3: type %s %j is a valid ID number", (type, raw) => {
    expect(check(type, raw)).toBeNull();
  });

  it.each([
    ["an empty ID", "1", "", "id.empty"],
    ["a wrong check digit", "1", "330105197810270024", "id.check_digit"],
    ["a check digit X where a digit is due", "1", "33010519781027002X", "id.check_digit"],
    ["a 15-digit first-generation ID", "1", "330105781027002", "id.format"],
    ["17 digits", "1", "33010519781027002", "id.format"],
    ["19 digits", "1", "3301051978102700251", "id.format"],
    ["a letter inside", "1", "3301051978102700A5", "id.format"],
    ["a birth date in the future", "1", "110105209901010012", "id.birth_date"],
    ["February 30", "1", "110105200502300011", "id.birth_date"],
    ["a birth year before 1900", "1", "110105189912310015", "id.birth_date"],
    ["29 February in a common year", "1", "110105200102290010", "id.birth_date"],
    ["a residence permit with a wrong prefix", "C", "840000199001011230", "id.format"],
    ["a residence permit with a wrong check digit", "C", "810000199001011231", "id.check_digit"],
    ["a resident ID given as a residence permit", "C", "330105197810270025", "id.format"],
    ["an HK permit too short", "6", "H123", "id.format"],
    ["an HK permit with a hyphen", "7", "M1234-5678", "id.format"],
    ["a Taiwan permit of 9 digits", "8", "123456789", "id.format"],
    ["a Taiwan permit with a letter", "8", "T12345678", "id.format"],
    ["a 2017 permanent-residence ID with 11 digits", "9", "USA11019000123", "id.format"],
    ["a 2023 permanent-residence ID with a wrong check digit", "9", "911840199001010027", "id.check_digit"],
    ["a passport of 4 characters", "A", "E123", "id.format"],
    ["a passport of 18 characters", "A", "E12345678901234567", "id.format"],
    ["an 'other' ID with punctuation", "Z", "AB/123", "id.format"],
    ["an 'other' ID of 3 characters", "Z", "AB1", "id.format"],
  ] as const)("CAN-3: %s is rejected", (_l, type, raw, problem) => {
    expect(check(type, raw)).toBe(problem);
  });

  it("CAN-3: the check character follows GB 11643 (weights 7 9 10 5 8 4 2 1 6 3 …, Σ mod 11 → 10X98765432)", () => {
    expect(idCheckCharacter("11010519491231002")).toBe("X");
    expect(idCheckCharacter("33010519781027002")).toBe("5");
  });

  it("CAN-3: a birth date is judged against the given day, so today's birth date is not yet in the future", () => {
    expect(validateIdNumber("1", "110105202605010016", now)).toBeNull();
    expect(validateIdNumber("1", "110105202605020011", now)).toBe("id.birth_date");
  });

  it("CAN-3: idFacts answers in one pass what validateIdNumber, birthDateFromId and genderFromId answer", () => {
    expect(idFacts("1", "110105202605010016", now)).toEqual({ problem: null, born: "2026-05-01", gender: "1" });
    expect(idFacts("1", "11010519491231002X", now)).toEqual({ problem: null, born: "1949-12-31", gender: "2" });
    expect(idFacts("1", "110105202605020011", now)).toEqual({ problem: "id.birth_date", born: null, gender: null });
    expect(idFacts("1", "110105194912310021", now)).toEqual({ problem: "id.check_digit", born: null, gender: null });
    expect(idFacts("A", "E12345678", now)).toEqual({ problem: null, born: null, gender: null });
    expect(idFacts("1", "", now)).toEqual({ problem: "id.empty", born: null, gender: null });
    for (const id of [
      "110105202605010016",
      "11010519491231002X",
      "110105194912310021",
      "E12345678",
      "810000199001010017",
    ])
      for (const type of ["1", "C", "A"] as const)
        expect(idFacts(type, id, now)).toEqual({
          problem: validateIdNumber(type, id, now),
          born: birthDateFromId(type, id, now),
          gender: genderFromId(type, id, now),
        });
  });

  it("CAN-3: every ID type has a rule, and anything else is not an ID type", () => {
    expect(ID_TYPES).toEqual(["1", "6", "7", "8", "9", "A", "C", "Z"]);
    expect(ID_TYPES.every(isIdType)).toBe(true);
    expect(isIdType("2")).toBe(false);
    expect(validateIdNumber("2" as IdType, "330105197810270025", now)).toBe("id.format");
  });

  it.each([
    ["1", "11010519491231002X", "1949-12-31", "2"],
    ["1", "330105197810270025", "1978-10-27", "2"],
    ["1", "110105190001010036", "1900-01-01", "1"],
    ["C", "810000199001011230", "1990-01-01", "1"],
    ["9", "911840199001010026", "1990-01-01", "2"],
    ["9", "USA110190001234", null, null], // the 2017 form carries no GB 11643 birth date
    ["1", "330105197810270024", null, null], // not valid: nothing is read from it
    ["A", "E12345678", null, null],
  ] as const)("CAN-3: type %s %s yields birth date %s and gender %s", (type, id, birth, gender) => {
    expect(birthDateFromId(type, id, now)).toBe(birth);
    expect(genderFromId(type, id, now)).toBe(gender);
  });

  it.each([
    ["330105197810270025", "**************0025"],
    ["11010519491231002X", "**************002X"],
    ["E12345678", "*****5678"],
    ["ABCD", "ABCD"],
    ["", ""],
  ])("X-4: %j is masked as %j (all but the last four, same length)", (id, masked) => {
    expect(maskIdNumber(id)).toBe(masked);
    expect(maskIdNumber(id)).toHaveLength(id.length);
  });

  it("X-4: a list masks the birth date beside the masked ID number (no birth date, last four only)", () => {
    expect(maskBirthDate("1978-10-27")).toBe("****-**-**");
    expect(maskBirthDate("")).toBe("");
    expect(maskBirthDate(null)).toBe("");
    expect(maskIdNumber("330105197810270025")).not.toContain("19781027");
  });

  it.each([
    [Number("330105197810270025"), true], // Excel keeps it as 330105197810270000
    [1e15, true],
    [999_999_999_999_999, false], // 15 digits survive
    ["330105197810270025", false], // a text cell is fine
    [12345678, false],
    [null, false],
  ])("CAN-3: a spreadsheet number %j has lost the ID's last digits: %s", (v, lost) => {
    expect(looksLikeLostPrecision(v)).toBe(lost);
  });
});
