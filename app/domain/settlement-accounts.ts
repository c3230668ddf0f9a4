import type { SettlementAccountType } from "~db/schema";
import type { MessageKey } from "~/i18n";
import { cleanText, toHalfWidth } from "./import-values";

/**
 * FIN-1 (manual §四十五): a site's settlement accounts (分账账户), the bank accounts its registration
 * fees are passed on to. Pure: a typed form in, a value or one message per field out.
 */

/** 账号类型: the code list (labels `accounts.type.<code>` in each language). */
export const ACCOUNT_TYPES = [
  "site_fee",
  "basic",
  "general",
  "special",
] as const satisfies readonly SettlementAccountType[];
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export function isAccountType(s: string): s is AccountType {
  return (ACCOUNT_TYPES as readonly string[]).includes(s);
}

export function accountTypeLabel(type: AccountType): MessageKey {
  return `accounts.type.${type}`;
}

export const BANK_MAX = 100;
export const ACCOUNT_NAME_MAX = 100;
export const REMARK_MAX = 200;
export const BANK_CODE_LENGTH = 12;
export const ACCOUNT_NO_MIN = 8;
export const ACCOUNT_NO_MAX = 32;

export const ACCOUNT_FIELDS = ["bank", "bank_code", "account_name", "account_no", "account_type", "remark"] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

export interface SettlementAccountValue {
  bank: string;
  bank_code: string;
  account_name: string;
  account_no: string;
  account_type: AccountType;
  remark: string;
}

export interface FieldError {
  key: MessageKey;
  params?: Record<string, string | number>;
}
export type AccountFieldErrors = Partial<Record<AccountField, FieldError>>;

export type AccountFormResult =
  { value: SettlementAccountValue; errors?: undefined } | { errors: AccountFieldErrors; value?: undefined };

const ZERO_WIDTH = /[\u200B-\u200D\uFEFF]/g;

/**
 * A number as people type or paste it: full-width digits made half-width, spaces (also the
 * full-width and no-break ones) and invisible characters taken out. Anything else is left for the
 * check to refuse.
 */
export function normaliseDigits(s: string): string {
  return toHalfWidth(s).replace(ZERO_WIDTH, "").replace(/\s+/g, "");
}

const chars = (s: string) => [...s].length;

function text(
  raw: unknown,
  field: "bank" | "account_name" | "remark",
  max: number,
  required: boolean,
  errors: AccountFieldErrors,
) {
  const v = cleanText(typeof raw === "string" ? raw : "");
  if (v === "") {
    if (required) errors[field] = { key: `accounts.err.${field}_required` as MessageKey };
  } else if (chars(v) > max) {
    errors[field] = { key: `accounts.err.${field}_too_long` as MessageKey, params: { max, length: chars(v) } };
  }
  return v;
}

/**
 * FIN-1: normalise and check an account form. Bank, bank code (12 digits), account name, account
 * number (8–32 digits) and account type are required; the remark is optional. Each field gets its
 * own message; nothing is guessed (a letter in a number is refused, not dropped).
 */
export function parseAccountForm(input: Partial<Record<AccountField, unknown>>): AccountFormResult {
  const errors: AccountFieldErrors = {};
  const bank = text(input.bank, "bank", BANK_MAX, true, errors);
  const accountName = text(input.account_name, "account_name", ACCOUNT_NAME_MAX, true, errors);
  const remark = text(input.remark, "remark", REMARK_MAX, false, errors);

  const bankCode = normaliseDigits(typeof input.bank_code === "string" ? input.bank_code : "");
  if (bankCode === "") errors.bank_code = { key: "accounts.err.bank_code_required" };
  else if (!/^\d+$/.test(bankCode)) errors.bank_code = { key: "accounts.err.bank_code_digits" };
  else if (bankCode.length !== BANK_CODE_LENGTH)
    errors.bank_code = {
      key: "accounts.err.bank_code_length",
      params: { length: bankCode.length, expected: BANK_CODE_LENGTH },
    };

  const accountNo = normaliseDigits(typeof input.account_no === "string" ? input.account_no : "");
  if (accountNo === "") errors.account_no = { key: "accounts.err.account_no_required" };
  else if (!/^\d+$/.test(accountNo)) errors.account_no = { key: "accounts.err.account_no_digits" };
  else if (accountNo.length < ACCOUNT_NO_MIN || accountNo.length > ACCOUNT_NO_MAX)
    errors.account_no = {
      key: "accounts.err.account_no_length",
      params: { length: accountNo.length, min: ACCOUNT_NO_MIN, max: ACCOUNT_NO_MAX },
    };

  const type = cleanText(typeof input.account_type === "string" ? input.account_type : "");
  if (type === "") errors.account_type = { key: "accounts.err.account_type_required" };
  else if (!isAccountType(type)) errors.account_type = { key: "accounts.err.account_type_unknown" };

  if (Object.keys(errors).length) return { errors };
  return {
    value: {
      bank,
      bank_code: bankCode,
      account_name: accountName,
      account_no: accountNo,
      account_type: type as AccountType,
      remark,
    },
  };
}

/**
 * FIN-1/X-4: an account number as lists, the finance home page and the audit log show it: its last
 * four digits after a fixed mask, so that neither the number nor its length can be read
 * (`96758110300000111` → `**** **** 0111`).
 */
export function maskAccountNo(accountNo: string): string {
  const digits = accountNo.replace(/\s+/g, "");
  if (digits.length <= 4) return "****";
  return `**** **** ${digits.slice(-4)}`;
}
