import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from "kysely";
import type { DB } from "../schema";

/**
 * `= any($1)`: a list of thousands as one array parameter. An `IN ($1, …, $5000)` list costs node
 * thousands of parameters to build and encode, and PostgreSQL as many to parse and bind, per query.
 */
export const anyText = (xs: readonly string[]) => sql<string>`any(${xs}::text[])`;
export const anyInt = (xs: readonly number[]) => sql<number>`any(${xs}::int[])`;

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
  {
    returning = [],
    skipConflicts = false,
    replaceOn,
  }: {
    returning?: readonly R[];
    skipConflicts?: boolean;
    /** An upsert: on a conflict over these columns, the row's other columns replace the existing ones. */
    replaceOn?: readonly string[];
  } = {},
): Promise<Array<Pick<Selectable<DB[T]>, R>>> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0] as object);
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const r = await sql<Pick<Selectable<DB[T]>, R>>`
    insert into ${sql.table(table)} (${list})
    select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    ${skipConflicts ? sql`on conflict do nothing` : sql``}
    ${
      replaceOn
        ? sql`on conflict (${sql.join(replaceOn.map((c) => sql.ref(c)))}) do update set ${sql.join(
            columns.filter((c) => !replaceOn.includes(c)).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`),
          )}`
        : sql``
    }
    ${returning.length ? sql`returning ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``}`.execute(db);
  return r.rows;
}
