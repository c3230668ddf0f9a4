import type { Generated, Insertable, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

/** FIN-1: the account types of a settlement account (the code list of app/domain/settlement-accounts.ts). */
export type SettlementAccountType = "site_fee" | "basic" | "general" | "special";

/** FIN-1 (manual §四十五): one of a site's settlement accounts in one sitting. */
export interface SettlementAccountTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  /** 开户行 */
  bank: string;
  /** 银行行号: 12 digits. */
  bank_code: string;
  account_name: string;
  /** Digits only, 8–32; unique per site and sitting. Shown masked except on the edit form. */
  account_no: string;
  account_type: SettlementAccountType;
  remark: Generated<string>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export type SettlementAccount = Selectable<SettlementAccountTable>;

export type NewSettlementAccount = Insertable<SettlementAccountTable>;
