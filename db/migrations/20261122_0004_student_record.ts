import { sql, type Kysely } from "kysely";

// SR-1: student records belong to a site and are kept across sittings; the ID number is the key.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("student_record")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("id_type", "text", (c) => c.notNull())
    .addColumn("id_number", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("gender", "text", (c) => c.notNull())
    .addColumn("birth_date", "date", (c) => c.notNull())
    .addColumn("ethnicity", "text", (c) => c.notNull())
    .addColumn("education", "text", (c) => c.notNull())
    .addColumn("occupation", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("training_type", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("student_no", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("department", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("major", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("class_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("phone", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("postcode", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("remark", "text", (c) => c.notNull().defaultTo(""))
    // SET-9: sites the record may register at; null = its own site only (the default), empty = any in its province.
    .addColumn("eligible_site_ids", sql`integer[]`)
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("student_record_org").on("student_record").columns(["org_id", "name"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("student_record").execute();
}
