import type {
  AccountTable, AuditLogTable, JobTable, LoginThrottleTable, MembershipTable, NoticeTable, OrgSittingTable,
  OrgTable, SessionTable, SittingTable, StoredFileTable, SubjectTable, WindowTable,
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
}
export * from "./tables/index";
