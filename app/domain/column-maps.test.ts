import { describe, expect, it } from "vitest";
import { checkColumnMap, parseNames, withOwnNames } from "./column-maps";

describe("column names of the score files (SCO-1, SCO-2)", () => {
  it("SCO-1: names split on commas of either width, 、 and new lines; blanks and repeats dropped", () => {
    expect(parseNames(" 分数，卷面分、分数\n\n考生成绩 ")).toEqual(["分数", "卷面分", "考生成绩"]);
    expect(parseNames("")).toEqual([]);
  });

  it("SCO-1: a name may not also name another field (its code, a built-in name, another box), nor be too long or too many", () => {
    expect(checkColumnMap("scores", { CJ: ["分数"], XM: ["考生姓名"] })).toEqual([]);
    expect(checkColumnMap("scores", { CJ: ["准考证号"] }).map((p) => p.key)).toEqual(["columns.taken"]);
    expect(checkColumnMap("scores", { CJ: ["zkzh"] }).map((p) => p.key)).toEqual(["columns.taken"]);
    expect(checkColumnMap("scores", { CJ: ["分数"], DJ: ["分数"] }).map((p) => [p.field, p.key])).toEqual([
      ["DJ", "columns.taken"],
    ]);
    expect(checkColumnMap("scores", { CJ: ["x".repeat(41)] }).map((p) => p.key)).toEqual(["columns.too_long"]);
    expect(checkColumnMap("scores", { CJ: Array.from({ length: 11 }, (_, i) => `n${i}`) }).map((p) => p.key)).toEqual([
      "columns.too_many",
    ]);
    expect(checkColumnMap("mailing", { NOPE: ["x"] }).map((p) => p.key)).toEqual(["columns.unknown_field"]);
  });

  it("SCO-1: an import matches the built-in names and the deployment's own", () => {
    expect(withOwnNames("scores", { CJ: ["分数"] }).CJ).toEqual(["成绩", "总分", "score", "分数"]);
  });
});
