import { afterEach, describe, expect, it } from "vitest";
import { getEnv, paymentProvider, publicUrl, resetEnvCache } from "./env.server";
import { allowedHosts, isAllowedHost } from "./origin";

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["NODE_ENV", "PAYMENT_PROVIDER", "PUBLIC_URL", "PORT", "MESSAGE_PROVIDER"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
});

describe("configuration refusals (issue 12 items 7 and 12)", () => {
  it("CAN-7: a production server with no payment provider chosen refuses to start and names the setting", () => {
    expect(() => paymentProvider("production", undefined)).toThrow(/PAYMENT_PROVIDER/);
    process.env.NODE_ENV = "production";
    process.env.MESSAGE_PROVIDER = "outbox";
    delete process.env.PAYMENT_PROVIDER;
    resetEnvCache();
    expect(() => getEnv()).toThrow(/PAYMENT_PROVIDER/);
  });

  it("CAN-7: production runs the simulated gateway only when it is chosen; development and test default to it", () => {
    expect(paymentProvider("production", "simulated")).toBe("simulated");
    expect(paymentProvider("development", undefined)).toBe("simulated");
    expect(paymentProvider("test", undefined)).toBe("simulated");
  });

  it("CAN-7: absolute URLs come from PUBLIC_URL, or the server's own address", () => {
    process.env.PUBLIC_URL = "https://kaowu.example.cn/";
    resetEnvCache();
    expect(publicUrl("/payments/notify/simulated")).toBe("https://kaowu.example.cn/payments/notify/simulated");
    expect(() => publicUrl("//evil.example")).toThrow();
    delete process.env.PUBLIC_URL;
    process.env.PORT = "3456";
    resetEnvCache();
    expect(publicUrl("/candidate/pay")).toBe("http://localhost:3456/candidate/pay");
  });

  it.each([
    "kaowu.example.cn",
    "https://kaowu.example.cn/portal",
    "ftp://kaowu.example.cn",
    "https://u:p@kaowu.example.cn",
  ])("PUBLIC_URL=%j is refused at start-up", (v) => {
    process.env.PUBLIC_URL = v;
    resetEnvCache();
    expect(() => getEnv()).toThrow(/PUBLIC_URL/);
  });

  it("CAN-7: the Host check accepts the public host only (or localhost on the port without PUBLIC_URL)", () => {
    const pub = allowedHosts("https://kaowu.example.cn", 3000);
    expect(isAllowedHost("kaowu.example.cn", pub)).toBe(true);
    expect(isAllowedHost("kaowu.example.cn:443", pub)).toBe(true);
    expect(isAllowedHost("localhost:3000", pub)).toBe(false);
    expect(isAllowedHost("evil.example", pub)).toBe(false);
    expect(isAllowedHost(undefined, pub)).toBe(false);
    const local = allowedHosts(undefined, 3000);
    expect(["localhost:3000", "127.0.0.1:3000", "[::1]:3000"].every((h) => isAllowedHost(h, local))).toBe(true);
    expect(isAllowedHost("localhost:3001", local)).toBe(false);
    expect(isAllowedHost("kaowu.example.cn", local)).toBe(false);
  });
});
