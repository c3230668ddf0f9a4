import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import {
  CandidateActionSchema,
  CandidateListActionSchema,
  MGT_INTENT,
  ReviewActionSchema,
} from "./candidate-management";
import {
  DetailsFormSchema,
  EntriesFormSchema,
  PayActionSchema,
  SiteDraftSchema,
  StatusActionSchema,
} from "./candidate";
import { PaymentBatchActionSchema } from "./group-payment";
import { PhotoCheckActionSchema } from "./photos";
import { SittingSwitchSchema } from "./sittings";
import { RecordActionSchema } from "./student-records";

// Issue 14 item 4: every action reads its form through one schema; a forged intent or id is a form
// message (one of our keys), never a crash and never zod's own English text.
const messageOf = (r: { success: boolean; error?: ZodError }) => r.error?.issues[0]?.message;

describe("action schemas", () => {
  it("GRP-6: payment batch actions need a positive id; the lock filter's fields default to empty", () => {
    expect(PaymentBatchActionSchema.parse({ intent: "pay", paymentBatchId: "12" })).toEqual({
      intent: "pay",
      paymentBatchId: 12,
    });
    expect(PaymentBatchActionSchema.parse({ intent: "lock" })).toEqual({
      intent: "lock",
      channel: "",
      subject: "",
      className: "",
    });
    expect(PaymentBatchActionSchema.safeParse({ intent: "delete", paymentBatchId: "-1" }).success).toBe(false);
    expect(messageOf(PaymentBatchActionSchema.safeParse({ intent: "steal", paymentBatchId: "1" }))).toBe(
      "form.invalid",
    );
  });

  it("MGT-4: a failed review needs one of the three failure types; an unknown action says so", () => {
    expect(ReviewActionSchema.parse({ intent: "fail", failureType: "photo", reason: "背景" })).toEqual({
      intent: "fail",
      failureType: "photo",
      reason: "背景",
    });
    expect(messageOf(ReviewActionSchema.safeParse({ intent: "fail", failureType: "mood" }))).toBe(
      "mgt.failure_type_required",
    );
    expect(messageOf(ReviewActionSchema.safeParse({ intent: "fail" }))).toBe("mgt.failure_type_required");
    expect(messageOf(ReviewActionSchema.safeParse({ intent: "drop" }))).toBe("mgt.unknown_action");
  });

  it("MGT-1/MGT-2: the list's update carries every non-key field (empty when left out); cancel keeps its reason", () => {
    const u = CandidateListActionSchema.parse({ intent: MGT_INTENT.update, department: "计算机系", id_number: "x" });
    expect(u).toMatchObject({ intent: "update", department: "计算机系", major: "" });
    expect(u).not.toHaveProperty("id_number");
    expect(CandidateListActionSchema.parse({ intent: "cancel", reason: "重复" })).toEqual({
      intent: "cancel",
      reason: "重复",
    });
    expect(messageOf(CandidateListActionSchema.safeParse({ intent: "pass" }))).toBe("mgt.unknown_action");
  });

  it("MGT-2/ORG-9/CAN-7: the candidate page's actions, and nothing else", () => {
    for (const intent of Object.values(MGT_INTENT).filter((i) => i !== "update"))
      expect(CandidateActionSchema.safeParse({ intent, failureType: "other" }).success, intent).toBe(true);
    expect(messageOf(CandidateActionSchema.safeParse({ intent: "update" }))).toBe("mgt.unknown_action");
  });

  it("CAN-3/CAN-5/CAN-4/CAN-7/CAN-9: the candidate forms", () => {
    expect(SiteDraftSchema.parse({ idNumber: "11010519491231002X" })).toEqual({
      idType: "",
      idNumber: "11010519491231002X",
      name: "",
    });
    const d = DetailsFormSchema.parse({ site: "3", name: "张三" });
    expect(d).toMatchObject({ site: 3, name: "张三", phone: "" });
    expect(EntriesFormSchema.parse({})).toEqual({});
    expect(EntriesFormSchema.parse({ preferredDate: "" })).toEqual({ preferredDate: "" });
    expect(PayActionSchema.safeParse({ intent: "refund" }).success).toBe(false);
    expect(StatusActionSchema.safeParse({ intent: "submit_review" }).success).toBe(true);
    expect(messageOf(StatusActionSchema.safeParse({}))).toBe("form.invalid");
  });

  it("SR-5/PHO-5/ORG-7: records, the photo check and the sitting switch", () => {
    expect(RecordActionSchema.parse({ intent: "delete-all", count: "3" })).toEqual({ intent: "delete-all", count: 3 });
    expect(RecordActionSchema.parse({ intent: "edit", id: "7", name: "李四" })).toMatchObject({ id: 7, name: "李四" });
    expect(RecordActionSchema.safeParse({ intent: "delete", id: "abc" }).success).toBe(false);
    expect(PhotoCheckActionSchema.parse({ intent: "delete-unmatched" })).toEqual({
      intent: "delete-unmatched",
      jobId: "",
    });
    expect(SittingSwitchSchema.parse({ sittingId: "2" })).toEqual({ sittingId: 2, redirectTo: "" });
  });
});

describe("setup and account schemas", () => {
  it("SET-3/SET-4/WIN-1: rows named by a prefix are read by key; a checkbox is ticked only when present", async () => {
    const { CapacityActionSchema, FeesSchema, SettingsActionSchema, WindowsActionSchema, fieldsWithPrefix } =
      await import("./setup");
    const cap = CapacityActionSchema.parse({ intent: "capacity", total: "300", cap_14: "100", cap_15: "50" });
    expect(fieldsWithPrefix(cap, "cap_")).toEqual({ "14": "100", "15": "50" });
    const fees = FeesSchema.parse({ siteId: "9", per_person: "10", fee_14: "75.5" });
    expect([fees.siteId, fieldsWithPrefix(fees, "fee_")]).toEqual([9, { "14": "75.5" }]);
    expect(FeesSchema.safeParse({ siteId: "x" }).error?.issues[0].message).toBe("form.invalid");
    const s = SettingsActionSchema.parse({ intent: "settings", open: "on", max_entries: "3" });
    expect(s).toMatchObject({ open: true, group_payment: false, max_entries: "3" });
    expect(WindowsActionSchema.safeParse({ kind: "holiday", intent: "save" }).error?.issues[0].message).toBe(
      "form.invalid",
    );
    const w = WindowsActionSchema.parse({ kind: "registration", intent: "save", orgIds: "self,12", start_12: "x" });
    expect(fieldsWithPrefix(w, "start_")["12"]).toBe("x");
  });

  it("CAN-1/X-5: the account forms default missing fields to empty, as the browser sends them", async () => {
    const { CodeStepSchema, LogInSchema, LocaleSchema } = await import("./auth");
    expect(LogInSchema.parse({ login: "a@b.cn" })).toEqual({ login: "a@b.cn", password: "", redirectTo: "" });
    expect(CodeStepSchema.parse({ intent: "verify", ticket: "t" })).toEqual({
      intent: "verify",
      ticket: "t",
      sentTo: "",
      code: "",
    });
    expect(LocaleSchema.parse({ locale: "en" })).toEqual({ locale: "en", redirectTo: "" });
  });
});
