import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import {
  CAPACITY_INTENT,
  CapacityActionSchema,
  EligibilitySchema,
  FeesSchema,
  fieldsWithPrefix,
  NoticeSchema,
  SETTINGS_INTENT,
  SettingsActionSchema,
  WINDOWS_INTENT,
  WindowsActionSchema,
} from "./setup";

// A forged intent or a missing required field is a form message (one of our keys), never zod's English.
const messageOf = (r: { success: boolean; error?: ZodError }) => r.error?.issues[0]?.message;

describe("setup schemas", () => {
  it("SET-1/SET-8: the settings page's three forms; missing text is empty and an absent checkbox is off", () => {
    expect(SettingsActionSchema.parse({ intent: SETTINGS_INTENT.settings, open: "on" })).toEqual({
      intent: "settings",
      max_entries: "",
      open: true,
      group_registration: false,
      group_payment: false,
      review_required: false,
      class_required: false,
      self_print: false,
    });
    expect(SettingsActionSchema.parse({ intent: SETTINGS_INTENT.classes })).toEqual({
      intent: "classes",
      class_options: "",
    });
    expect(
      SettingsActionSchema.parse({ intent: SETTINGS_INTENT.online, enabled: "on", start: "2026-03-01T09:00" }),
    ).toEqual({ intent: "online", enabled: true, start: "2026-03-01T09:00", end: "" });
    expect(messageOf(SettingsActionSchema.safeParse({ intent: "drop-table" }))).toBe("form.invalid");
    expect(messageOf(SettingsActionSchema.safeParse({}))).toBe("form.invalid");
  });

  it("SET-4/SET-5: capacity and quota rows are read by their prefix; a forged intent is rejected", () => {
    const cap = CapacityActionSchema.parse({ intent: CAPACITY_INTENT.capacity, cap_14: "100", quota_x: "1" });
    expect(cap.intent === CAPACITY_INTENT.capacity && cap.total).toBe("");
    expect(fieldsWithPrefix(cap, "cap_")).toEqual({ "14": "100" });
    const q = CapacityActionSchema.parse({ intent: CAPACITY_INTENT.quotas, "quota_2026-06-07": "40" });
    expect(fieldsWithPrefix(q, "quota_")).toEqual({ "2026-06-07": "40" });
    expect(CapacityActionSchema.parse({ intent: CAPACITY_INTENT.preferredEnabled })).toEqual({
      intent: "preferred-enabled",
      enabled: false,
    });
    expect(messageOf(CapacityActionSchema.safeParse({ intent: "capacityX", total: "1" }))).toBe("form.invalid");
  });

  it("SET-3: fees need a positive site id; amounts stay text for parseYuan", () => {
    const fees = FeesSchema.parse({ siteId: "9", fee_14: "75.5" });
    expect([fees.siteId, fees.per_person, fieldsWithPrefix(fees, "fee_")]).toEqual([9, "", { "14": "75.5" }]);
    expect(messageOf(FeesSchema.safeParse({ per_person: "10" }))).toBe("form.invalid");
    expect(messageOf(FeesSchema.safeParse({ siteId: "-1" }))).toBe("form.invalid");
    expect(messageOf(FeesSchema.safeParse({ siteId: "abc" }))).toBe("form.invalid");
  });

  it("SET-9: eligibility needs a positive site id; the switches are checkboxes", () => {
    expect(EligibilitySchema.parse({ siteId: "3", registry_enabled: "on" })).toEqual({
      siteId: 3,
      registry_enabled: true,
      only_province_registry: false,
      only_site_registry: false,
    });
    expect(messageOf(EligibilitySchema.safeParse({ registry_enabled: "on" }))).toBe("form.invalid");
  });

  it("SET-7: a notice's missing body is empty (saveNotice judges it)", () => {
    expect(NoticeSchema.parse({})).toEqual({ body: "" });
    expect(NoticeSchema.parse({ body: "Bring your ID." })).toEqual({ body: "Bring your ID." });
  });

  it("WIN-1: the window grid needs a known kind and intent; rows are read by their prefix", () => {
    const w = WindowsActionSchema.parse({
      kind: "registration",
      intent: WINDOWS_INTENT.save,
      orgIds: "self,12",
      start_12: "2026-03-01T09:00",
      orig_start_12: "",
    });
    expect([w.level, w.start_all, w.end_all]).toEqual(["", "", ""]);
    // start_all is a key too ("all"), as formString(form, "start_" + id) would have read it; no org id is "all".
    expect(fieldsWithPrefix(w, "start_")).toEqual({ "12": "2026-03-01T09:00", all: "" });
    expect(fieldsWithPrefix(w, "orig_start_")).toEqual({ "12": "" });
    expect(WindowsActionSchema.parse({ kind: "registration", intent: WINDOWS_INTENT.setAll }).intent).toBe("set-all");
    expect(messageOf(WindowsActionSchema.safeParse({ kind: "registration", intent: "delete" }))).toBe("form.invalid");
    expect(messageOf(WindowsActionSchema.safeParse({ kind: "holiday", intent: "save" }))).toBe("form.invalid");
    expect(messageOf(WindowsActionSchema.safeParse({ intent: "save" }))).toBe("form.invalid");
  });
});
