import type { Generated, Insertable, Selectable } from "kysely";
import type { DateOnly, GeneratedTimestamp } from "./columns";

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
