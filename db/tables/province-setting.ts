import type { Generated } from "kysely";

export interface ProvinceSettingTable {
  sitting_id: number;
  org_id: number;
  preferred_dates_enabled: Generated<boolean>;
}
