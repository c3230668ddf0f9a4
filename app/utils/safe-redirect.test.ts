import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safe redirects (redirects stay on the site)", () => {
  it.each([
    ["a path", "/candidate/pay", "/candidate/pay"],
    ["a path with a query", "/admin/candidates?q=%E5%BC%A0&page=2", "/admin/candidates?q=%E5%BC%A0&page=2"],
    ["a path with a fragment", "/admin#top", "/admin#top"],
    ["dot segments are resolved", "/admin/../candidate", "/candidate"],
    ["non-ASCII is percent-encoded", "/candidate?q=张", "/candidate?q=%E5%BC%A0"],
  ])("keeps %s", (_l, to, expected) => {
    expect(safeRedirect(to, "/fallback")).toBe(expected);
  });

  it.each([
    ["protocol-relative", "//evil.example"],
    ["slash backslash", "/\\evil.example"],
    ["backslash slash", "\\/evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["tab between slashes", "/\t/evil.example"],
    ["newline between slashes", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["leading space", " //evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["absolute https", "https://evil.example/"],
    ["absolute http", "http://evil.example"],
    ["scheme-less host", "evil.example"],
    ["javascript:", "javascript:alert(1)"],
    ["JavaScript: with spaces", " JavaScript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["encoded //", "%2F%2Fevil.example"],
    ["slash then encoded /", "/%2Fevil.example"],
    ["slash then encoded backslash", "/%5Cevil.example"],
    ["slash then encoded tab and slash", "/%09/evil.example"],
    ["double-encoded //", "/%252Fevil.example"],
    ["broken percent-encoding", "/%E0%A4%A"],
    ["empty", ""],
    ["relative path", "candidate"],
    ["backslash inside the path", "/admin\\..\\\\evil.example"],
  ])("refuses %s", (_l, to) => {
    expect(safeRedirect(to, "/fallback")).toBe("/fallback");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirect(null, "/x")).toBe("/x");
    expect(safeRedirect(undefined, "/x")).toBe("/x");
    expect(safeRedirect(["/a"], "/x")).toBe("/x");
  });

  it("keeps the target under a prefix when asked", () => {
    expect(safeRedirect("/admin/stats", "/admin", { under: "/admin" })).toBe("/admin/stats");
    expect(safeRedirect("/admin", "/admin", { under: "/admin" })).toBe("/admin");
    expect(safeRedirect("/administrator", "/admin", { under: "/admin" })).toBe("/admin");
    expect(safeRedirect("/admin/../candidate", "/admin", { under: "/admin" })).toBe("/admin");
    expect(safeRedirect("/candidate", "/admin", { under: "/admin" })).toBe("/admin");
  });
});
