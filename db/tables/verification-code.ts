import type { ColumnType, Generated } from "kysely";
import type { GeneratedTimestamp, NullableTimestamp, Timestamp } from "./columns";

export interface VerificationCodeTable {
  id: string;
  purpose: "signup" | "recover";
  channel: "email" | "sms";
  /** Normalised e-mail (lower case) or mobile (11 digits). */
  target: string;
  account_id: string | null;
  code_hash: string;
  /** A pending sign-up: the name and password hash the account will be made with. */
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  attempts: Generated<number>;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
  ip: string | null;
  created_at: GeneratedTimestamp;
}
