import type {
  AccountTable,
  ExamBatchTable,
  GeneratedFileTable,
  AppSecretTable,
  CandidateCardTable,
  RoomTable,
  CbtUploadTable,
  AttendanceTable,
  ViolationTable,
  SettlementAccountTable,
  ScoreTable,
  CertificateMailingTable,
  ColumnMapTable,
  RefundTable,
  GatewayRecordTable,
  GatewayFetchTable,
  PaymentDifferenceTable,
  SimGatewayRefundTable,
  AuditLogTable,
  JobTable,
  LoginThrottleTable,
  MembershipTable,
  NoticeTable,
  OrgSittingTable,
  PreferredDateQuotaTable,
  ProvinceSettingTable,
  StudentRecordTable,
  ProvinceSubjectTable,
  SiteFeeTable,
  SiteSettingTable,
  SiteSubjectTable,
  SeatShardTable,
  SittingSubjectTable,
  OrgTable,
  SessionTable,
  PhotoTable,
  RegistrationTable,
  EntryTable,
  PaymentTable,
  PaymentNotificationTable,
  SimGatewayTxnTable,
  PaymentBatchTable,
  CredentialSheetTable,
  CancellationTable,
  SittingTable,
  StoredFileTable,
  SubjectTable,
  WindowTable,
  CandidateDraftTable,
  IdLookupThrottleTable,
  PrivateSearchTable,
  InvitationTable,
  WindowExtensionRequestTable,
  VerificationCodeTable,
  OutboxMessageTable,
} from "./tables/index";

export interface DB {
  sitting: SittingTable;
  org: OrgTable;
  org_sitting: OrgSittingTable;
  account: AccountTable;
  membership: MembershipTable;
  session: SessionTable;
  login_throttle: LoginThrottleTable;
  window: WindowTable;
  audit_log: AuditLogTable;
  job: JobTable;
  stored_file: StoredFileTable;
  subject: SubjectTable;
  notice: NoticeTable;
  sitting_subject: SittingSubjectTable;
  province_subject: ProvinceSubjectTable;
  province_setting: ProvinceSettingTable;
  site_setting: SiteSettingTable;
  site_subject: SiteSubjectTable;
  seat_shard: SeatShardTable;
  site_fee: SiteFeeTable;
  preferred_date_quota: PreferredDateQuotaTable;
  student_record: StudentRecordTable;
  photo: PhotoTable;
  registration: RegistrationTable;
  entry: EntryTable;
  payment: PaymentTable;
  payment_notification: PaymentNotificationTable;
  sim_gateway_txn: SimGatewayTxnTable;
  payment_batch: PaymentBatchTable;
  credential_sheet: CredentialSheetTable;
  cancellation: CancellationTable;
  invitation: InvitationTable;
  window_extension_request: WindowExtensionRequestTable;
  verification_code: VerificationCodeTable;
  outbox_message: OutboxMessageTable;
  candidate_draft: CandidateDraftTable;
  id_lookup_throttle: IdLookupThrottleTable;
  private_search: PrivateSearchTable;
  room: RoomTable;
  cbt_upload: CbtUploadTable;
  attendance: AttendanceTable;
  violation: ViolationTable;
  settlement_account: SettlementAccountTable;
  score: ScoreTable;
  certificate_mailing: CertificateMailingTable;
  column_map: ColumnMapTable;
  refund: RefundTable;
  gateway_record: GatewayRecordTable;
  gateway_fetch: GatewayFetchTable;
  payment_difference: PaymentDifferenceTable;
  sim_gateway_refund: SimGatewayRefundTable;
  exam_batch: ExamBatchTable;
  generated_file: GeneratedFileTable;
  app_secret: AppSecretTable;
  candidate_card: CandidateCardTable;
}
export * from "./tables/index";
