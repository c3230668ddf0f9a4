import { sql, type Kysely } from "kysely";

// SCO-1/SCO-2 (issue 19 item 3): the deployment's own header names for the score and certificate
// mailing files (no official layout is public), set by the centre, beside the built-in names.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("column_map")
    .addColumn("import_kind", "text", (c) => c.notNull().check(sql`import_kind in ('scores', 'mailing')`))
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("names", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("updated_by_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("column_map_pk", ["import_kind", "field"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("column_map").execute();
}
