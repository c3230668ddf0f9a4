import { describe, expect, it } from "vitest";
import { ACCOUNT_LIMITS, lockedUntil, recordFailure, type ThrottleState } from "./login-throttle";

const t0 = new Date("2026-11-22T00:00:00Z");
const plus = (ms: number) => new Date(t0.getTime() + ms);

describe("failed-login throttling", () => {
  it("locks an account after 5 failures within 15 minutes, for 15 minutes", () => {
    let s: ThrottleState | undefined;
    for (let i = 0; i < 4; i++) s = recordFailure(s, plus(i * 1000), ACCOUNT_LIMITS);
    expect(lockedUntil(s, plus(5000))).toBeNull();
    s = recordFailure(s, plus(5000), ACCOUNT_LIMITS);
    expect(lockedUntil(s, plus(6000))).toEqual(plus(5000 + 15 * 60_000));
    expect(lockedUntil(s, plus(5000 + 15 * 60_000))).toBeNull();
  });

  it("starts counting afresh when the first failure is older than the window", () => {
    let s: ThrottleState | undefined;
    for (let i = 0; i < 4; i++) s = recordFailure(s, plus(i), ACCOUNT_LIMITS);
    s = recordFailure(s, plus(16 * 60_000), ACCOUNT_LIMITS);
    expect(s.failures).toBe(1);
    expect(s.lockedUntil).toBeNull();
  });
});
