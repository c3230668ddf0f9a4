import fs from "node:fs";
import { createRequire } from "node:module";
import type { AgnosticRouteObject as RouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

// X-7 (decision 0056): the server's route matching computes a routes array's ranked branches once
// (patches/@remix-run+router+*.patch, applied by `npm install` / `npm ci`).

const require = createRequire(import.meta.url);
// The CommonJS build, as the server loads it (@remix-run/server-runtime is CommonJS); the browser's ES build is not patched.
const { matchPath, matchRoutes } = require("@remix-run/router") as typeof import("@remix-run/router");

const routes = (): RouteObject[] => [
  {
    id: "root",
    path: "/",
    children: [
      { id: "home", index: true },
      { id: "entries", path: "candidate/entries" },
      { id: "file", path: "files/:id" },
      { id: "sheet", path: "admin/rooms/:roomId?/sheet" },
      { id: "docs", path: "docs/*" },
      { id: "admin", path: "admin", children: [{ id: "photos", path: "photos/import" }] },
    ],
  },
];

const ids = (r: RouteObject[], path: string) => matchRoutes(r, path)?.map((m) => [m.route.id, m.params]) ?? null;

describe("route matching with cached branches (X-7, decision 0056)", () => {
  it("X-7: the installed router carries the patch (npm's postinstall applied it)", () => {
    const file = fs.readFileSync(require.resolve("@remix-run/router"), "utf8");
    expect(file).toContain("const branchesCache = new WeakMap()");
    expect(file).toContain("const compilePathCache = new Map()");
    expect(file).toContain("const matchesCache = new WeakMap()");
  });

  it("X-7: matches, params, index, optional and splat segments are the same on every call", () => {
    const r = routes();
    for (let round = 0; round < 3; round++) {
      expect(ids(r, "/")).toEqual([
        ["root", {}],
        ["home", {}],
      ]);
      expect(ids(r, "/candidate/entries")).toEqual([
        ["root", {}],
        ["entries", {}],
      ]);
      expect(ids(r, "/files/abc-1")).toEqual([
        ["root", { id: "abc-1" }],
        ["file", { id: "abc-1" }],
      ]);
      expect(ids(r, "/FILES/x")).toEqual([
        ["root", { id: "x" }],
        ["file", { id: "x" }],
      ]); // case-insensitive
      expect(ids(r, "/admin/rooms/7/sheet")?.[1]).toEqual(["sheet", { roomId: "7" }]);
      expect(ids(r, "/admin/rooms/sheet")?.[1]).toEqual(["sheet", { roomId: undefined }]);
      expect(ids(r, "/docs/a/b")?.[1]).toEqual(["docs", { "*": "a/b" }]);
      expect(ids(r, "/admin/photos/import")?.map((m) => m[0])).toEqual(["root", "admin", "photos"]);
      expect(ids(r, "/nowhere")).toBeNull();
    }
  });

  it("X-7: a pathname's matches are remembered, but each caller gets its own copy", () => {
    const r = routes();
    const first = matchRoutes(r, "/files/abc")!;
    // Every match of one result shares its params, as the unpatched router makes them.
    expect(first[0].params).toBe(first[1].params);
    (first[1].params as Record<string, string>).id = "changed";
    (first as unknown[]).push("extra");
    const second = matchRoutes(r, "/files/abc")!;
    expect(second).not.toBe(first);
    expect(second.map((m) => [m.route.id, m.params, m.pathname, m.pathnameBase])).toEqual([
      ["root", { id: "abc" }, "/", "/"],
      ["file", { id: "abc" }, "/files/abc", "/files/abc"],
    ]);
    expect(second[0].params).toBe(second[1].params);
    // An encoded pathname is matched decoded, and remembered under the decoded key.
    expect(ids(r, "/files/a%20b")?.[1]).toEqual(["file", { id: "a b" }]);
    expect(ids(r, "/nowhere")).toBeNull();
    expect(ids(r, "/nowhere")).toBeNull();
    // More pathnames than the bound: still right after the map is cleared.
    for (let i = 0; i < 5_100; i++) expect(matchRoutes(r, `/files/${i}`)?.[1].params.id).toBe(String(i));
    expect(ids(r, "/candidate/entries")?.[1]).toEqual(["entries", {}]);
  });

  it("X-7: each routes array has its own branches; patterns compiled once still match as before", () => {
    const a = routes();
    const b: RouteObject[] = [{ id: "only", path: "/only/:x" }];
    expect(ids(a, "/only/1")).toBeNull();
    expect(ids(b, "/only/1")).toEqual([["only", { x: "1" }]]);
    expect(ids(a, "/files/2")?.[1]).toEqual(["file", { id: "2" }]);
    expect(matchPath("/users/:id", "/users/7")?.params).toEqual({ id: "7" });
    expect(matchPath({ path: "/users/:id", caseSensitive: true }, "/USERS/7")).toBeNull();
    expect(matchPath({ path: "/users/:id", caseSensitive: false }, "/USERS/7")?.params).toEqual({ id: "7" });
    expect(matchPath({ path: "/users", end: false }, "/users/7")?.pathnameBase).toBe("/users");
    expect(matchPath({ path: "/users", end: true }, "/users/7")).toBeNull();
  });
});
