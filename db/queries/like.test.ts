import { describe, expect, it } from "vitest";
import { containsPattern } from "./like";

describe("search patterns (VIO-1, SCO-3 lists)", () => {
  it("a typed %, _ or \\ is searched for literally, not as a wildcard", () => {
    expect(containsPattern("张三")).toBe("%张三%");
    expect(containsPattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
  });
});
