import { describe, expect, it } from "vitest";
import { readSaveAnswer } from "./entries-form";

// X-7/CAN-4 (issue 21 item 2): how the entries page's script reads its save route's answer.
describe("the entries form's answer (X-7, CAN-4)", () => {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("X-7: a redirect is the saved page (the confirmation page runs the guards for any other)", async () => {
    const r = new Response(null, { status: 302, headers: { Location: "/candidate/entries?saved=1" } });
    expect(await readSaveAnswer(r)).toEqual({ kind: "saved" });
  });

  it("CAN-4: a refusal's message is shown as sent", async () => {
    for (const status of [200, 409])
      expect(await readSaveAnswer(json(status, { error: "科目 24 的名额刚刚报满" }))).toEqual({
        kind: "refused",
        message: "科目 24 的名额刚刚报满",
      });
  });

  it("X-7: a busy answer retries within the last second of its Retry-After (jitter); without one, about 3 s", async () => {
    const busy = (after?: string) =>
      new Response("busy", { status: 503, headers: after ? { "Retry-After": after } : {} });
    expect(await readSaveAnswer(busy("4"), () => 0.25)).toEqual({ kind: "busy", retryInMs: 3750 });
    expect(await readSaveAnswer(busy("4"), () => 0)).toEqual({ kind: "busy", retryInMs: 4000 });
    expect(await readSaveAnswer(busy(), () => 0.5)).toEqual({ kind: "busy", retryInMs: 2500 });
    expect(await readSaveAnswer(busy("junk"), () => 0.5)).toEqual({ kind: "busy", retryInMs: 2500 });
    expect(await readSaveAnswer(busy("86400"), () => 0)).toEqual({ kind: "busy", retryInMs: 60_000 });
  });

  it("X-7: anything else falls back to posting the page (a server error, HTML, JSON without a message)", async () => {
    expect(await readSaveAnswer(json(500, { error: "x" }))).toEqual({ kind: "document" });
    expect(await readSaveAnswer(new Response("<html>", { status: 409 }))).toEqual({ kind: "document" });
    expect(await readSaveAnswer(json(409, { nope: 1 }))).toEqual({ kind: "document" });
    expect(
      await readSaveAnswer(new Response("{", { status: 400, headers: { "Content-Type": "application/json" } })),
    ).toEqual({ kind: "document" });
    expect(await readSaveAnswer(json(200, { ok: true }))).toEqual({ kind: "document" });
  });
});
