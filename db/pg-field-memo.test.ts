import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// Decision 0066: patches/pg+8.23.1.patch makes node-postgres reuse a row description's parsers and
// empty row when the same description comes again (a prepared statement's every execution). These
// pin what must not change: a row is parsed by its own columns' types, always.
const require = createRequire(import.meta.url);
const Result = require("pg/lib/result.js") as new (
  rowMode: string | undefined,
  types: unknown,
) => {
  addFields(fields: Field[]): void;
  parseRow(values: (string | null)[]): Record<string, unknown>;
  _parsers: unknown[];
};
const TypeOverrides = require("pg/lib/type-overrides.js") as new () => {
  setTypeParser(oid: number, format: string, parse: (v: string) => unknown): void;
};

interface Field {
  name: string;
  dataTypeID: number;
  format: "text" | "binary";
}
const INT4 = 23;
const TEXT = 25;
const BOOL = 16;
const field = (name: string, dataTypeID: number): Field => ({ name, dataTypeID, format: "text" });
const shape = (middle: number) => [field("id", INT4), field("a", middle), field("b", TEXT), field("z", TEXT)];

describe("node-postgres's row descriptions, reused (decision 0066)", () => {
  it("the same description again reuses its parsers, and its rows parse as before", () => {
    const types = new TypeOverrides();
    const first = new Result(undefined, types);
    first.addFields(shape(INT4));
    const second = new Result(undefined, types);
    second.addFields(shape(INT4));
    expect(second._parsers).toBe(first._parsers);
    expect(second.parseRow(["7", "8", "x", null])).toEqual({ id: 7, a: 8, b: "x", z: null });
    // Rows do not share an object.
    expect(second.parseRow(["1", "2", "y", "w"])).not.toBe(second.parseRow(["1", "2", "y", "w"]));
  });

  it("a description with the same first and last names but another type in between is parsed by its own types", () => {
    const types = new TypeOverrides();
    new Result(undefined, types).addFields(shape(INT4));
    const other = new Result(undefined, types);
    other.addFields(shape(BOOL));
    expect(other.parseRow(["7", "t", "x", "z"])).toEqual({ id: 7, a: true, b: "x", z: "z" });
    // Renamed columns in between too.
    const renamed = new Result(undefined, types);
    renamed.addFields([field("id", INT4), field("c", INT4), field("b", TEXT), field("z", TEXT)]);
    expect(renamed.parseRow(["7", "9", "x", "z"])).toEqual({ id: 7, c: 9, b: "x", z: "z" });
  });

  it("a type parser set on the client after a description was seen applies to the next one", () => {
    const types = new TypeOverrides();
    new Result(undefined, types).addFields(shape(INT4));
    types.setTypeParser(INT4, "text", (v) => `int:${v}`);
    const after = new Result(undefined, types);
    after.addFields(shape(INT4));
    expect(after.parseRow(["7", "8", "x", "z"])).toEqual({ id: "int:7", a: "int:8", b: "x", z: "z" });
  });

  it("another client's types keep their own parsers", () => {
    const plain = new TypeOverrides();
    const custom = new TypeOverrides();
    custom.setTypeParser(INT4, "text", (v) => `int:${v}`);
    new Result(undefined, plain).addFields(shape(INT4));
    const r = new Result(undefined, custom);
    r.addFields(shape(INT4));
    expect(r.parseRow(["7", "8", "x", "z"])).toEqual({ id: "int:7", a: "int:8", b: "x", z: "z" });
  });
});
