import { describe, expect, it } from "vitest";
import { prepareFrequentStatements, statementCounter, type PrepareOptions } from "./prepared";

// Decision 0053 (X-7): which statements a connection prepares, without a database.
describe("prepared statements (X-7, decision 0053)", () => {
  const fakeClient = () => {
    const sent: unknown[][] = [];
    return { sent, client: { query: (...args: never[]) => sent.push(args) } };
  };
  const opts: PrepareOptions = { threshold: 3, perConnection: 2, maxCounted: 3, maxValues: 64 };

  it("X-7: a text is named from its third use on, on every connection; each connection names its own", () => {
    const count = statementCounter(opts);
    const a = fakeClient();
    const b = fakeClient();
    prepareFrequentStatements(a.client, count, opts);
    prepareFrequentStatements(b.client, count, opts);
    const q = "select * from entry where id = $1";
    a.client.query(...([q, [1]] as never[]));
    b.client.query(...([q, [2]] as never[]));
    a.client.query(...([q, [3]] as never[]));
    b.client.query(...([q, [4]] as never[]));
    expect(a.sent).toEqual([[q, [1]], [{ name: "kaowu_1", text: q, values: [3] }]]);
    expect(b.sent).toEqual([[q, [2]], [{ name: "kaowu_1", text: q, values: [4] }]]);
  });

  it("X-7: statements without values, with a callback or as a config pass through; a connection names at most perConnection", () => {
    const count = statementCounter(opts);
    const { sent, client } = fakeClient();
    prepareFrequentStatements(client, count, opts);
    const cb = () => undefined;
    for (let i = 0; i < 4; i++) {
      client.query(...(["begin", []] as never[]));
      client.query(...(["select $1", [i], cb] as never[]));
      client.query(...([{ text: "select $1", values: [i] }] as never[]));
    }
    expect(sent.every((args) => !(typeof args[0] === "object" && args[0] && "name" in args[0]))).toBe(true);
    for (const q of ["select 1 where $1", "select 2 where $1", "select 3 where $1"])
      for (let i = 0; i < 3; i++) client.query(...([q, [i]] as never[]));
    const named = sent.filter((a) => typeof a[0] === "object" && a[0] !== null && "name" in a[0]);
    // maxCounted 3: "begin" is never counted (no values); the three selects are; the third is past perConnection.
    expect(named.map((a) => (a[0] as { name: string }).name)).toEqual(["kaowu_1", "kaowu_2"]);
  });

  it("X-7: bulk statements (more than maxValues values) are never prepared, however often they are sent", () => {
    const count = statementCounter(opts);
    const { sent, client } = fakeClient();
    prepareFrequentStatements(client, count, opts);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);
    const inList = (n: number) =>
      `select id from registration where id_number in (${ids(n).map((_, i) => `$${i + 1}`)})`;
    for (let i = 0; i < 10; i++) {
      client.query(...([inList(500), ids(500)] as never[]));
      client.query(...([inList(64), ids(64)] as never[]));
    }
    const named = sent.filter((a) => typeof a[0] === "object" && a[0] !== null && "name" in a[0]);
    expect(named.length).toBe(8); // the 64-value list from its third use on; the 500-value one never
    expect(named.every((a) => (a[0] as { values: unknown[] }).values.length === 64)).toBe(true);
  });

  it("X-7: beyond maxCounted distinct texts, new ones are never prepared (dynamic SQL cannot grow the table)", () => {
    const count = statementCounter({ ...opts, maxCounted: 2 });
    for (const q of ["a", "b", "c"]) count(q);
    expect([count("a"), count("b"), count("c"), count("c")]).toEqual([2, 2, 1, 1]);
  });

  it("X-7: a statement whose table changed shape is prepared afresh under a new name after its one failure", async () => {
    const count = statementCounter(opts);
    const sent: unknown[][] = [];
    let fail = false;
    const client = {
      query: (...args: never[]) => {
        sent.push(args);
        if (!fail) return Promise.resolve({ rows: [] });
        fail = false;
        return Promise.reject(Object.assign(new Error("cached plan must not change result type"), { code: "0A000" }));
      },
    };
    prepareFrequentStatements(client, count, opts);
    const q = "select * from entry where id = $1";
    for (let i = 0; i < 3; i++) await client.query(...([q, [i]] as never[]));
    fail = true;
    await expect(client.query(...([q, [3]] as never[]))).rejects.toThrow("cached plan");
    await client.query(...([q, [4]] as never[]));
    expect(sent.slice(2).map((a) => (a[0] as { name: string }).name)).toEqual(["kaowu_1", "kaowu_1", "kaowu_2"]);
  });

  it("X-7: threshold 0 leaves the client alone", () => {
    const { client } = fakeClient();
    const before = client.query;
    prepareFrequentStatements(client, statementCounter(opts), { ...opts, threshold: 0 });
    expect(client.query).toBe(before);
  });
});
