import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB } from "../schema";

/**
 * Many rows inserted as one JSON parameter the database expands (`json_populate_recordset` over the
 * table's own row type), instead of a multi-row VALUES with one parameter a value: 1,000 rows of twenty
 * columns are then one parameter, not 20,000, which PostgreSQL parses and plans as a small statement
 * (issue 21 item 5: the group import's inserts). Columns are those of the first row; every row must
 * name the same ones (a column left out of all of them keeps its default). Values go through
 * JSON.stringify: dates as ISO strings, which timestamptz and date columns read back exactly.
 */
export async function insertJsonRows<T extends keyof DB & string, R extends keyof Selectable<DB[T]> & string = never>(
  db: Kysely<DB> | Transaction<DB>,
  table: T,
  rows: ReadonlyArray<Insertable<DB[T]>>,
  { returning = [], skipConflicts = false }: { returning?: readonly R[]; skipConflicts?: boolean } = {},
): Promise<Array<Pick<Selectable<DB[T]>, R>>> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0] as object);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const r = await sql<Pick<Selectable<DB[T]>, R>>`
    insert into ${sql.table(table)} (${list})
    select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    ${skipConflicts ? sql`on conflict do nothing` : sql``}
    ${returning.length ? sql`returning ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``}`.execute(db);
  return r.rows;
}
