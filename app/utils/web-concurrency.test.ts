import { afterEach, describe, expect, it } from "vitest";
import { getEnv, resetEnvCache, webProcesses } from "./env.server";
import { restartDelayMs } from "../cluster.server";

// Decision 0047: WEB_CONCURRENCY, the number of web processes `npm start` runs (PostgreSQL only).

const PG = "postgres://kaowu@db/kaowu";
const saved = { WEB_CONCURRENCY: process.env.WEB_CONCURRENCY, DATABASE_URL: process.env.DATABASE_URL };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

describe("WEB_CONCURRENCY (X-7, decision 0047)", () => {
  it("X-7: unset or 1 is one process, as always, with PGlite or PostgreSQL", () => {
    expect(webProcesses(undefined, undefined)).toBe(1);
    expect(webProcesses("", undefined)).toBe(1);
    expect(webProcesses("1", undefined)).toBe(1);
    expect(webProcesses(" 1 ", PG)).toBe(1);
  });

  it("X-7: a number, or auto for one per core (at most 64), on PostgreSQL", () => {
    expect(webProcesses("4", PG)).toBe(4);
    expect(webProcesses("auto", PG, 2)).toBe(2);
    expect(webProcesses("AUTO", PG, 1)).toBe(1);
    expect(webProcesses("auto", PG, 128)).toBe(64);
  });

  it.each(["0", "-1", "two", "2.5", "65", "1e1", "0x2"])("X-7: WEB_CONCURRENCY=%j is refused with a message", (v) => {
    expect(() => webProcesses(v, PG)).toThrow(/WEB_CONCURRENCY must be "auto".* or a number from 1 to 64/);
  });

  it("X-7: several processes on PGlite are refused at start-up, saying why", () => {
    expect(() => webProcesses("2", undefined)).toThrow(/needs PostgreSQL \(DATABASE_URL\).*PGlite.*only one process/);
    expect(() => webProcesses("auto", undefined, 1)).toThrow(/PGlite/);
    process.env.WEB_CONCURRENCY = "2";
    delete process.env.DATABASE_URL;
    resetEnvCache();
    expect(() => getEnv()).toThrow(/WEB_CONCURRENCY=2 needs PostgreSQL/);
    process.env.DATABASE_URL = PG;
    resetEnvCache();
    expect(getEnv().webProcesses).toBe(2);
  });

  it("X-7: a web process that keeps dying is started again later each time, at most every 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
