import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

// One interface per table; Selectable/Insertable/Updateable types beside each.
// Timestamps are timestamptz (WIN-7) and come back as Date on both backends.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export type OrgLevel = "centre" | "province" | "city" | "site";
export type AccountRole = "admin" | "candidate";
export type MemberRole = "admin" | "finance";
export type ReviewState = "pending" | "reviewed";
export type JobStatus = "queued" | "running" | "done" | "failed";

export interface SittingTable {
  id: Generated<number>;
  code: string;
  name: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  is_current: Generated<boolean>;
  created_at: GeneratedTimestamp;
}
export type Sitting = Selectable<SittingTable>;
export type NewSitting = Insertable<SittingTable>;

export interface OrgTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: OrgLevel;
  parent_id: number | null;
  created_at: GeneratedTimestamp;
}
export type Org = Selectable<OrgTable>;
export type NewOrg = Insertable<OrgTable>;

/** Per-sitting state of an organisation (ORG-4, ORG-5, ORG-6). */
export interface OrgSittingTable {
  org_id: number;
  sitting_id: number;
  enabled: Generated<boolean>;
  review_state: Generated<ReviewState>;
  address: Generated<string>;
  postcode: Generated<string>;
  contact_name: Generated<string>;
  contact_phone: Generated<string>;
  contact_email: Generated<string>;
  remark: Generated<string>;
}
export type OrgSitting = Selectable<OrgSittingTable>;
export type OrgSittingUpdate = Updateable<OrgSittingTable>;

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

/** An administrator's or finance user's binding to one organisation in one sitting (ORG-1, ORG-6, ORG-11). */
export interface MembershipTable {
  id: Generated<number>;
  account_id: string;
  org_id: number;
  sitting_id: number;
  role: MemberRole;
  name: string;
  phone: Generated<string>;
  created_at: GeneratedTimestamp;
}
export type Membership = Selectable<MembershipTable>;

export interface SessionTable {
  id: string;
  account_id: string;
  expires_at: Timestamp;
  sitting_id: number | null;
  /** SESSION_MAX_HOURS counts from here (migration 20261204_0011_hardening). */
  created_at: GeneratedTimestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failed_at: Timestamp;
  /** No password check before this instant (decision 0021). */
  locked_until: NullableTimestamp;
  last_failed_at: NullableTimestamp;
}

export interface WindowTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  kind: string;
  starts_at: Timestamp;
  ends_at: NullableTimestamp;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}
export type WindowRow = Selectable<WindowTable>;

export interface AuditLogTable {
  id: Generated<number>;
  at: GeneratedTimestamp;
  account_id: string | null;
  actor_name: string;
  org_id: number | null;
  sitting_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: Json<Record<string, [unknown, unknown]>>;
  ip: string | null;
}
export type AuditEntry = Selectable<AuditLogTable>;

export interface JobTable {
  id: string;
  type: string;
  payload: Json<unknown>;
  status: Generated<JobStatus>;
  progress: Generated<number>;
  message: Generated<string>;
  result: Json<unknown> | null;
  error: string | null;
  account_id: string | null;
  org_id: number | null;
  sitting_id: number | null;
  created_at: GeneratedTimestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  /** Starts so far: a job is not started a third time. */
  attempts: Generated<number>;
}
export type JobRow = Selectable<JobTable>;

export interface StoredFileTable {
  id: string;
  kind: string;
  name: string;
  path: string;
  size: ColumnType<number, number, number>;
  content_type: string;
  org_id: number | null;
  sitting_id: number | null;
  created_by: string | null;
  created_at: GeneratedTimestamp;
}
export type StoredFile = Selectable<StoredFileTable>;

export interface SubjectTable {
  code: string;
  name: string;
  level: number;
  minutes: number;
  requires: string | null;
  retired: Generated<boolean>;
}
export type Subject = Selectable<SubjectTable>;

/** SET-7: the current province or site notice of a sitting. */
export interface NoticeTable {
  sitting_id: number;
  org_id: number;
  body: string;
  updated_at: GeneratedTimestamp;
  updated_by: string | null;
}

// Pre-registration setup (SET-1 … SET-10)
export interface SittingSubjectTable {
  sitting_id: number;
  subject_code: string;
  exam_start: DateOnly;
  exam_end: DateOnly;
}

export interface ProvinceSubjectTable extends SittingSubjectTable {
  org_id: number;
}

export interface ProvinceSettingTable {
  sitting_id: number;
  org_id: number;
  preferred_dates_enabled: Generated<boolean>;
}

export interface SiteSettingTable {
  sitting_id: number;
  org_id: number;
  open: Generated<boolean>;
  group_registration: Generated<boolean>;
  group_payment: Generated<boolean>;
  review_required: Generated<boolean>;
  class_required: Generated<boolean>;
  max_entries: Generated<number>;
  self_print: Generated<boolean>;
  class_options: Generated<string>;
  online_enabled: Generated<boolean>;
  online_starts_at: NullableTimestamp;
  online_ends_at: NullableTimestamp;
  total_capacity: number | null;
  total_taken: Generated<number>;
  per_person_fee_fen: number | null;
  registry_enabled: Generated<boolean>;
  only_province_registry: Generated<boolean>;
  only_site_registry: Generated<boolean>;
}
export type SiteSetting = Selectable<SiteSettingTable>;

export interface SiteSubjectTable {
  sitting_id: number;
  org_id: number;
  subject_code: string;
  exam_start: DateOnly;
  exam_end: DateOnly;
  capacity: number | null;
  taken: Generated<number>;
  created_at: GeneratedTimestamp;
}
export type SiteSubject = Selectable<SiteSubjectTable>;

export interface SiteFeeTable {
  sitting_id: number;
  org_id: number;
  subject_code: string;
  fee_fen: number;
}

export interface PreferredDateQuotaTable {
  sitting_id: number;
  org_id: number;
  exam_date: DateOnly;
  quota: number;
  taken: Generated<number>;
}

/** SR-1: a student record, per site, across sittings; the ID number is unique. */
export interface StudentRecordTable {
  id: Generated<number>;
  org_id: number;
  id_type: string;
  id_number: string;
  name: string;
  gender: string;
  birth_date: DateOnly;
  ethnicity: string;
  education: string;
  occupation: Generated<string>;
  training_type: Generated<string>;
  student_no: Generated<string>;
  department: Generated<string>;
  major: Generated<string>;
  class_name: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  address: Generated<string>;
  postcode: Generated<string>;
  remark: Generated<string>;
  eligible_site_ids: number[] | null;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export type StudentRecord = Selectable<StudentRecordTable>;

// Online registration (CAN-1 … CAN-10), photos (PHO-6), payments (CAN-7)
export type Channel = "online" | "group";
export type ReviewStatus = "none" | "pending" | "passed" | "failed";
export type PaymentStatus = "pending" | "paid" | "failed" | "expired" | "refund_due";

/** PHO-6: one stored photo per ID number per site and sitting. */
export interface PhotoTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  id_number: string;
  file_id: string;
  width: number;
  height: number;
  bytes: number;
  created_at: GeneratedTimestamp;
}
export type Photo = Selectable<PhotoTable>;

export interface RegistrationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  account_id: string | null;
  channel: Channel;
  id_type: string;
  id_number: string;
  name: string;
  gender: string;
  birth_date: DateOnly;
  ethnicity: string;
  education: string;
  occupation: Generated<string>;
  department: Generated<string>;
  major: Generated<string>;
  class_name: Generated<string>;
  student_no: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  address: Generated<string>;
  postcode: Generated<string>;
  extra_info: Generated<string>;
  remark: Generated<string>;
  registry_candidate: Generated<boolean>;
  preferred_date: ColumnType<string | null, string | null | undefined, string | null>;
  photo_id: ColumnType<number | null, number | null | undefined, number | null>;
  locked: Generated<boolean>;
  review_status: Generated<ReviewStatus>;
  review_failure_type: ColumnType<string | null, string | null | undefined, string | null>;
  review_reason: Generated<string>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  person_fee_paid: Generated<boolean>;
  hold_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Kept by the `entry_counts` trigger (migration 0007): never written by the app. */
  entry_count: Generated<number>;
  paid_count: Generated<number>;
  paid_fen: Generated<number>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}
export type Registration = Selectable<RegistrationTable>;
export type NewRegistration = Insertable<RegistrationTable>;

export interface EntryTable {
  id: Generated<number>;
  registration_id: number;
  sitting_id: number;
  org_id: number;
  subject_code: string;
  paid: Generated<boolean>;
  fee_fen: ColumnType<number | null, number | null | undefined, number | null>;
  payment_id: ColumnType<string | null, string | null | undefined, string | null>;
  paid_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hold_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** GRP-6: the group payment batch (not deleted) holding this entry. */
  batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: GeneratedTimestamp;
}
export type Entry = Selectable<EntryTable>;

export interface PaymentTable {
  id: string;
  sitting_id: number;
  org_id: number;
  registration_id: number | null;
  account_id: string | null;
  provider: string;
  amount_fen: number;
  per_person_fen: number;
  entry_ids: number[];
  subject_codes: string[];
  status: Generated<PaymentStatus>;
  provider_txn_id: ColumnType<string | null, string | null | undefined, string | null>;
  redirect_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** GRP-6: set when the payment pays a group payment batch (registration_id is then null). */
  batch_id: ColumnType<number | null, number | null | undefined, number | null>;
  note: Generated<string>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  finished_at: NullableTimestamp;
}
export type Payment = Selectable<PaymentTable>;

export interface PaymentNotificationTable {
  id: Generated<number>;
  provider: string;
  payment_id: string | null;
  provider_txn_id: string | null;
  status: string;
  amount_fen: number | null;
  outcome: string;
  received_at: GeneratedTimestamp;
}

export interface SimGatewayTxnTable {
  id: string;
  merchant_order_id: string;
  amount_fen: number;
  description: Generated<string>;
  status: Generated<"open" | "paid" | "failed">;
  notify_url: string;
  return_url: string;
  created_at: GeneratedTimestamp;
  settled_at: NullableTimestamp;
}

// Group registration (GRP-1 … GRP-6), ORG-9 credentials sheets
export type BatchStatus = "open" | "paid" | "deleted";

export interface PaymentBatchTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  status: Generated<BatchStatus>;
  candidate_count: number;
  entry_count: number;
  per_person_count: number;
  per_person_fen: number;
  subject_fen: number;
  amount_fen: number;
  subject_codes: string[];
  delete_reason: Generated<string>;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  finished_at: NullableTimestamp;
}
export type PaymentBatch = Selectable<PaymentBatchTable>;

export interface CredentialSheetTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  file_id: string | null;
  accounts: number;
  created_by: string | null;
  created_at: GeneratedTimestamp;
  downloaded_at: NullableTimestamp;
  downloaded_by: string | null;
}

// Candidate management (MGT-2, MGT-5)
export interface CancellationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  registration_id: number;
  account_id: string | null;
  channel: Channel;
  id_type: string;
  id_number: string;
  name: string;
  class_name: Generated<string>;
  registration: ColumnType<Record<string, unknown>, string, string>;
  entries: ColumnType<CancelledEntry[], string, string>;
  subject_codes: string[];
  paid_fen: number;
  reason: string;
  cancelled_by: string | null;
  cancelled_by_name: Generated<string>;
  cancelled_at: GeneratedTimestamp;
}
export interface CancelledEntry {
  subject_code: string;
  paid: boolean;
  fee_fen: number | null;
  paid_at: string | null;
  payment_id: string | null;
}
export type Cancellation = Selectable<CancellationTable>;

// Issue 12 privacy (SR-6, X-4): migration 20261204_0010_privacy.
export interface CandidateDraftTable {
  account_id: string;
  sitting_id: number;
  id_type: string;
  id_number: string;
  name: string;
  updated_at: GeneratedTimestamp;
}
export interface IdLookupThrottleTable {
  account_id: string;
  window_start: Timestamp;
  count: number;
}
export interface PrivateSearchTable {
  token: string;
  account_id: string;
  fields: Json<Record<string, string>>;
  created_at: GeneratedTimestamp;
}

// Account ownership (CAN-1, GRP-4, ORG-9): migration 20261204_0008_accounts.
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
export interface OutboxMessageTable {
  id: Generated<number>;
  channel: "email" | "sms";
  recipient: string;
  subject: string;
  body: string;
  created_at: GeneratedTimestamp;
}

// ORG-2/ORG-3 (issue 12): an existing account joins an organisation only by accepting an invitation
// (migration 20261204_0009_invitations).
export type InvitationStatus = "pending" | "accepted" | "declined" | "withdrawn";
export interface InvitationTable {
  id: Generated<number>;
  sitting_id: number;
  org_id: number;
  account_id: string;
  login: string;
  name: string;
  phone: Generated<string>;
  role: MemberRole;
  status: Generated<InvitationStatus>;
  invited_by: string | null;
  invited_by_name: Generated<string>;
  created_at: GeneratedTimestamp;
  expires_at: Timestamp;
  answered_at: NullableTimestamp;
}
export type Invitation = Selectable<InvitationTable>;
