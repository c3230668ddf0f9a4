import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import {
  ACCOUNT_TYPES,
  accountTypeLabel,
  maskAccountNo,
  normaliseDigits,
  parseAccountForm,
  REMARK_MAX,
} from "./settlement-accounts";

// The manual's example row (§四十五).
const manual = {
  bank: "中国工商银行",
  bank_code: "105617000999",
  account_name: "XXXX大学",
  account_no: "96758110300000111",
  account_type: "site_fee",
  remark: "测试",
};

describe("settlement account form (FIN-1)", () => {
  it("FIN-1: the manual's example is a valid account", () => {
    expect(parseAccountForm(manual)).toEqual({ value: manual });
  });

  it("FIN-1: spaces and full-width digits typed in the numbers are normalised away; texts are trimmed", () => {
    const r = parseAccountForm({
      ...manual,
      bank: "  中国工商银行   北京分行 ",
      bank_code: "１０５６ １７００ ０９９９",
      account_no: "9675 8110\u30003000 0011 1",
      remark: "",
    });
    expect(r.value).toMatchObject({
      bank: "中国工商银行 北京分行",
      bank_code: "105617000999",
      account_no: "96758110300000111",
      remark: "",
    });
    expect(normaliseDigits("６２２２\u00a00211\u200b")).toBe("62220211");
  });

  it("FIN-1: a bank code of 11 digits, or with a letter, is refused with its own message", () => {
    expect(parseAccountForm({ ...manual, bank_code: "10561700099" }).errors).toEqual({
      bank_code: { key: "accounts.err.bank_code_length", params: { length: 11, expected: 12 } },
    });
    expect(parseAccountForm({ ...manual, bank_code: "10561700099A" }).errors?.bank_code?.key).toBe(
      "accounts.err.bank_code_digits",
    );
    const t = translator("zh-CN");
    expect(t("accounts.err.bank_code_length", { length: 11, expected: 12 })).toContain("11");
  });

  it("FIN-1: an account number with letters, too short or too long is refused; 8 and 32 digits are accepted", () => {
    expect(parseAccountForm({ ...manual, account_no: "6222 02AB 1234" }).errors?.account_no?.key).toBe(
      "accounts.err.account_no_digits",
    );
    expect(parseAccountForm({ ...manual, account_no: "6222-0211-1234" }).errors?.account_no?.key).toBe(
      "accounts.err.account_no_digits",
    );
    expect(parseAccountForm({ ...manual, account_no: "1234567" }).errors?.account_no).toEqual({
      key: "accounts.err.account_no_length",
      params: { length: 7, min: 8, max: 32 },
    });
    expect(parseAccountForm({ ...manual, account_no: "1".repeat(33) }).errors?.account_no?.key).toBe(
      "accounts.err.account_no_length",
    );
    expect(parseAccountForm({ ...manual, account_no: "12345678" }).value?.account_no).toBe("12345678");
    expect(parseAccountForm({ ...manual, account_no: "9".repeat(32) }).value?.account_no).toBe("9".repeat(32));
  });

  it("FIN-1: every missing required field gets its own message at once; the remark may be empty", () => {
    const r = parseAccountForm({ remark: "" });
    expect(r.errors).toEqual({
      bank: { key: "accounts.err.bank_required" },
      bank_code: { key: "accounts.err.bank_code_required" },
      account_name: { key: "accounts.err.account_name_required" },
      account_no: { key: "accounts.err.account_no_required" },
      account_type: { key: "accounts.err.account_type_required" },
    });
    expect(parseAccountForm({ ...manual, bank: "   ", account_name: "\u3000" }).errors).toEqual({
      bank: { key: "accounts.err.bank_required" },
      account_name: { key: "accounts.err.account_name_required" },
    });
  });

  it("FIN-1: texts too long and an unknown account type are refused", () => {
    const r = parseAccountForm({
      ...manual,
      bank: "银".repeat(101),
      account_name: "名".repeat(101),
      remark: "备".repeat(REMARK_MAX + 1),
      account_type: "savings",
    });
    expect(r.errors).toEqual({
      bank: { key: "accounts.err.bank_too_long", params: { max: 100, length: 101 } },
      account_name: { key: "accounts.err.account_name_too_long", params: { max: 100, length: 101 } },
      remark: { key: "accounts.err.remark_too_long", params: { max: 200, length: 201 } },
      account_type: { key: "accounts.err.account_type_unknown" },
    });
    expect(parseAccountForm({ ...manual, remark: "备".repeat(REMARK_MAX) }).value?.remark).toHaveLength(200);
  });

  it("FIN-1/X-4: an account number is masked to its last four digits, its length hidden", () => {
    expect(maskAccountNo("96758110300000111")).toBe("**** **** 0111");
    expect(maskAccountNo("12345678")).toBe("**** **** 5678");
    expect(maskAccountNo("123")).toBe("****");
  });

  it("FIN-1: each account type is named in both languages", () => {
    expect(ACCOUNT_TYPES).toEqual(["site_fee", "basic", "general", "special"]);
    const zh = translator("zh-CN");
    const en = translator("en");
    expect(zh(accountTypeLabel("site_fee"))).toBe("考点收费账户");
    for (const type of ACCOUNT_TYPES) {
      expect(zh(accountTypeLabel(type))).not.toBe(accountTypeLabel(type));
      expect(en(accountTypeLabel(type))).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
