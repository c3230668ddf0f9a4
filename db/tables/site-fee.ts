export interface SiteFeeTable {
  sitting_id: number;
  org_id: number;
  subject_code: string;
  fee_fen: number;
}
