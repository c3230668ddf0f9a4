import type { Selectable } from "kysely";

/**
 * CAN-4 (decision 0051): one of the 16 shards of a seat counter (`*` the site total, else a subject
 * code); the shards' capacities add up to the counter's. Written only by the database's seat
 * functions (migration 0033), through db/queries/seats.ts.
 */
export interface SeatShardTable {
  sitting_id: number;
  org_id: number;
  counter: string;
  shard: number;
  capacity: number;
  taken: number;
}

export type SeatShard = Selectable<SeatShardTable>;
