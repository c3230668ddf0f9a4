import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { GeneratedTimestamp } from "./columns";

export type AccountRole = "admin" | "candidate";

export interface AccountTable {
  id: string;
  email: string | null;
  mobile: string | null;
  name: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  role: Generated<AccountRole>;
  locale: Generated<string>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  /** CAN-1/GRP-4 (decision 0019): proven by a one-time code sent there. */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  mobile_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** ORG-9: a site created or took over the account and handed out its one-time password. */
  site_vouched_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** ORG-9: when the one-time password stops working (must_change_password accounts). */
  otp_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type Account = Selectable<AccountTable>;

export type NewAccount = Insertable<AccountTable>;
