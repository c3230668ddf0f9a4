import { describe, expect, it } from "vitest";
import { CAPABILITIES, capabilitiesOf, fileCapabilities, hasCapabilities, hasCapability, jobRule } from "./permissions";

describe("the permission table (ORG-11)", () => {
  it("ORG-11: administrators hold every capability", () => {
    expect(capabilitiesOf("admin")).toEqual(CAPABILITIES);
  });

  it("ORG-11: finance staff see payments, statistics and the configuration, nothing with personal data, and change nothing", () => {
    expect([...capabilitiesOf("finance")].sort()).toEqual(["overview", "payments", "settings", "statistics"]);
    for (const c of ["personal_data", "audit", "users", "manage"] as const)
      expect(hasCapability("finance", c), c).toBe(false);
  });

  it("ORG-11: a role unknown to the table holds nothing", () => {
    expect(capabilitiesOf("auditor" as never)).toEqual([]);
    expect(hasCapability("auditor" as never, "overview")).toBe(false);
  });

  it("ORG-11: a stored file is downloadable with what creating it took; finance gets no personal-data file", () => {
    for (const kind of ["candidate-export", "cancellation-export", "photo", "upload", "import-errors"]) {
      expect(fileCapabilities(kind), kind).toContain("personal_data");
      expect(hasCapabilities("finance", fileCapabilities(kind)!), kind).toBe(false);
      expect(hasCapabilities("admin", fileCapabilities(kind)!), kind).toBe(true);
    }
    expect(fileCapabilities("audit-export")).toEqual(["audit"]);
    expect(hasCapabilities("finance", fileCapabilities("audit-export")!)).toBe(false);
  });

  it("ORG-11: a file kind or job type nobody listed is refused (null), never allowed by default", () => {
    expect(fileCapabilities("credentials")).toBeNull();
    expect(fileCapabilities("toString")).toBeNull();
    expect(jobRule("made-up")).toBeNull();
    expect(jobRule("constructor")).toBeNull();
  });

  it("ORG-11/ORG-7: every job type needs a capability finance lacks; imports and the photo check write, exports read", () => {
    const types = [
      "audit-export",
      "candidate-export",
      "cancellation-export",
      "student-record-import",
      "group-registration-import",
      "photo-import",
      "photo-check",
      "room-import",
      "allocation",
      "generate-file",
    ];
    for (const type of types) {
      const rule = jobRule(type)!;
      expect(rule, type).not.toBeNull();
      expect(hasCapabilities("finance", rule.capabilities), type).toBe(false);
      expect(hasCapabilities("admin", rule.capabilities), type).toBe(true);
    }
    expect(types.filter((t) => jobRule(t)!.writes)).toEqual([
      "student-record-import",
      "group-registration-import",
      "photo-import",
      "photo-check",
      "room-import",
      "allocation",
    ]);
  });
});
