import { sql, type Kysely } from "kysely";

// Issue 17: the deployment's card-token secret when the environment gives none (one for every app
// process, kept with the data), and the candidates' pre-generated cards with their downloads (DOC-3, CAN-9).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("app_secret")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("candidate_card")
    .addColumn("registration_id", "integer", (c) => c.primaryKey().references("registration.id").onDelete("cascade"))
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("file_id", "text", (c) => c.references("stored_file.id").onDelete("set null"))
    .addColumn("inputs_version", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("generated_at", "timestamptz")
    .addColumn("downloads", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_downloaded_at", "timestamptz")
    .addColumn("last_downloaded_at", "timestamptz")
    .execute();
  await db.schema.createIndex("candidate_card_site").on("candidate_card").columns(["sitting_id", "org_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("candidate_card").execute();
  await db.schema.dropTable("app_secret").execute();
}
