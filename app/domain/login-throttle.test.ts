import { describe, expect, it } from "vitest";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  attemptWaitMs,
  delayAfter,
  KNOWN_PAIR_MS,
  PAIR_RULE,
  recordFailure,
  waitMs,
  type ThrottleState,
} from "./login-throttle";

const t0 = new Date("2026-12-04T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

/** An attacker who always waits exactly as long as told, `n` failures from one address; returns the states and the clock. */
function attack(n: number, start = t0) {
  let pair: ThrottleState | undefined;
  let account: ThrottleState | undefined;
  let address: ThrottleState | undefined;
  let now = start;
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = attemptWaitMs({ pair, account, address }, now);
    waits.push(w);
    now = new Date(now.getTime() + w);
    pair = recordFailure(pair, now, PAIR_RULE);
    account = recordFailure(account, now, ACCOUNT_RULE);
    address = recordFailure(address, now, ADDRESS_RULE);
  }
  return { pair, account, address, now, waits };
}

describe("login throttling (growing delays, no lock-out)", () => {
  it("X-1/CAN-1: delays grow with each failure beyond the free ones, up to a cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => delayAfter(n, PAIR_RULE))).toEqual([0, 0, 0, 2_000, 4_000, 8_000, 16_000]);
    expect(delayAfter(40, PAIR_RULE)).toBe(PAIR_RULE.capMs);
    expect(delayAfter(1_000, ACCOUNT_RULE)).toBe(ACCOUNT_RULE.capMs);
    const { waits } = attack(15);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]);
    expect(waits.at(-1)).toBe(PAIR_RULE.capMs);
  });

  it("the attacker's own address is slowed for a long time after 50 failures", () => {
    const { pair, account, address, now } = attack(50);
    expect(attemptWaitMs({ pair, account, address }, now)).toBe(PAIR_RULE.capMs);
  });

  it("the owner gets in after an attacker's 50 failures from another address: at once from a known address", () => {
    const { account, now } = attack(50);
    // The owner's own address has no failures of its own and logged in there last week.
    expect(attemptWaitMs({ account, knownSince: at(-7 * 24 * 3600_000) }, now)).toBe(0);
  });

  it("…and after at most the account rule's short cap from a new address", () => {
    const { account, now } = attack(50);
    const w = attemptWaitMs({ account }, now);
    expect(w).toBeGreaterThan(0);
    expect(w).toBeLessThanOrEqual(ACCOUNT_RULE.capMs);
    expect(attemptWaitMs({ account }, new Date(now.getTime() + ACCOUNT_RULE.capMs))).toBe(0);
  });

  it("a known pair stops counting as known after its time", () => {
    const { account, now } = attack(50);
    expect(attemptWaitMs({ account, knownSince: new Date(now.getTime() - KNOWN_PAIR_MS - 1) }, now)).toBeGreaterThan(0);
  });

  it("many failures from one address (a school behind one NAT address) cost others at most a few seconds", () => {
    let address: ThrottleState | undefined;
    for (let i = 0; i < 200; i++) address = recordFailure(address, t0, ADDRESS_RULE);
    expect(attemptWaitMs({ address }, t0)).toBeLessThanOrEqual(ADDRESS_RULE.capMs);
    let few: ThrottleState | undefined;
    for (let i = 0; i < 30; i++) few = recordFailure(few, t0, ADDRESS_RULE);
    expect(attemptWaitMs({ address: few }, t0)).toBe(0);
  });

  it("a quiet period forgets the failures", () => {
    const { pair, now } = attack(20);
    expect(waitMs(pair, new Date(now.getTime() + PAIR_RULE.forgetMs + 1), PAIR_RULE)).toBe(0);
    expect(recordFailure(pair, new Date(now.getTime() + PAIR_RULE.forgetMs + 1), PAIR_RULE).failures).toBe(1);
  });
});
