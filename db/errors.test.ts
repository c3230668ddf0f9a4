import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isUniqueViolation } from "./errors";

const pgError = (code: string, message = "x") => Object.assign(new Error(message), { code, severity: "FATAL" });

describe("isUniqueViolation", () => {
  it("a unique violation, of any constraint or of the one named", () => {
    const e = Object.assign(new Error('duplicate key value violates unique constraint "payment_batch_one_open"'), {
      code: "23505",
      constraint: "payment_batch_one_open",
    });
    expect(isUniqueViolation(e)).toBe(true);
    expect(isUniqueViolation(e, "payment_batch_one_open")).toBe(true);
    expect(isUniqueViolation(e, "registration_id_number")).toBe(false);
    expect(isUniqueViolation(Object.assign(new Error("x"), { code: "23503" }))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

describe("isDatabaseUnavailable (issue 13 item 1)", () => {
  it("a terminated, refused or timed-out connection is the database being away", () => {
    expect(isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P03", "the database system is starting up"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("3D000", 'database "kaowu" does not exist'))).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("55000", 'database "t" is not currently accepting connections'))).toBe(true);
    const refusedTwice = new AggregateError([Object.assign(new Error("a"), { code: "ECONNREFUSED" })], "all refused");
    expect(isDatabaseUnavailable(refusedTwice)).toBe(true);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: pgError("57P01") }))).toBe(true);
  });

  it("a query the database refused is not", () => {
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key value violates unique constraint"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("40001", "could not serialize access"))).toBe(false);
    expect(
      isDatabaseUnavailable(pgError("55000", "cannot delete from table because it does not have a replica identity")),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });
});
