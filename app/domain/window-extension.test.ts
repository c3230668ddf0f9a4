import { describe, expect, it } from "vitest";
import { extensionReasonProblem, extensionRequestRefusal, extensionUntilProblem } from "./window-extension";

describe("window extension requests (WIN-5)", () => {
  it("WIN-5: a closed or unset gated window may be extended on request; an open one, the centre's or an ungated one not", () => {
    expect(extensionRequestRefusal({ gated: true, status: "closed" }, "site")).toBeNull();
    expect(extensionRequestRefusal({ gated: true, status: "not_set" }, "city")).toBeNull();
    expect(extensionRequestRefusal({ gated: true, status: "open" }, "site")).toBe("window.extension_not_closed");
    expect(extensionRequestRefusal({ gated: false, status: "open" }, "site")).toBe("window.extension_not_closed");
    expect(extensionRequestRefusal({ gated: true, status: "closed" }, "centre")).toBe("window.extension_no_superior");
  });

  it("WIN-5: a request says why, briefly; an approval ends in the future", () => {
    expect(extensionReasonProblem("  ")).toBe("window.extension_reason_required");
    expect(extensionReasonProblem("x".repeat(501))).toBe("window.extension_reason_long");
    expect(extensionReasonProblem("三名考生补报")).toBeNull();
    const now = new Date("2026-12-05T08:00:00Z");
    expect(extensionUntilProblem(null, now)).toBe("window.extension_until_past");
    expect(extensionUntilProblem(new Date("2026-12-05T07:00:00Z"), now)).toBe("window.extension_until_past");
    expect(extensionUntilProblem(new Date("2026-12-06T08:00:00Z"), now)).toBeNull();
  });
});
