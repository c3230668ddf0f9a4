import type { ColumnType, Generated, Selectable } from "kysely";
import type { ClassSeating } from "~/domain/allocation";
import type { NullableTimestamp } from "./columns";

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
  /** Decision 0051: the sum of the site total's seat shards (read only; seats change through db/queries/seats.ts). */
  total_taken: ColumnType<number, never, never>;
  per_person_fee_fen: number | null;
  registry_enabled: Generated<boolean>;
  only_province_registry: Generated<boolean>;
  only_site_registry: Generated<boolean>;
  /** ADM-1: the highest admission-number serial the site ever gave this sitting. */
  admission_issued: Generated<number>;
  /** SCH-2: classmates seated together or spread. */
  class_seating: ColumnType<ClassSeating, ClassSeating | undefined, ClassSeating>;
  admission_generated_at: NullableTimestamp;
}

export type SiteSetting = Selectable<SiteSettingTable>;
