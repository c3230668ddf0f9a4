import { sql, type Kysely } from "kysely";

// Pre-registration setup (SET-1 … SET-10). Money is kept in fen (integer) to stay exact.
export async function up(db: Kysely<any>): Promise<void> {
  // The centre's offered subjects per sitting, with their exam date ranges.
  await db.schema
    .createTable("sitting_subject")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("subject_code", "text", (c) => c.notNull().references("subject.code"))
    .addColumn("exam_start", "date", (c) => c.notNull())
    .addColumn("exam_end", "date", (c) => c.notNull())
    .addPrimaryKeyConstraint("sitting_subject_pk", ["sitting_id", "subject_code"])
    .addCheckConstraint("sitting_subject_range", sql`exam_end >= exam_start`)
    .execute();

  // A province's offered subset, ranges inside the centre's.
  await db.schema
    .createTable("province_subject")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("subject_code", "text", (c) => c.notNull().references("subject.code"))
    .addColumn("exam_start", "date", (c) => c.notNull())
    .addColumn("exam_end", "date", (c) => c.notNull())
    .addPrimaryKeyConstraint("province_subject_pk", ["sitting_id", "org_id", "subject_code"])
    .addCheckConstraint("province_subject_range", sql`exam_end >= exam_start`)
    .execute();

  await db.schema
    .createTable("province_setting")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("preferred_dates_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint("province_setting_pk", ["sitting_id", "org_id"])
    .execute();

  // One row per site and sitting: the site's own settings (SET-1, SET-4 total, SET-6, SET-8) and
  // the ones its province sets for it (SET-3 per-person fee, SET-9 eligibility).
  await db.schema
    .createTable("site_setting")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("open", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("group_registration", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("group_payment", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("review_required", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("class_required", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("max_entries", "integer", (c) =>
      c
        .notNull()
        .defaultTo(3)
        .check(sql`max_entries between 1 and 3`),
    )
    .addColumn("self_print", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("class_options", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("online_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("online_starts_at", "timestamptz")
    .addColumn("online_ends_at", "timestamptz")
    .addColumn("total_capacity", "integer")
    .addColumn("total_taken", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("per_person_fee_fen", "integer")
    .addColumn("registry_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("only_province_registry", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("only_site_registry", "boolean", (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint("site_setting_pk", ["sitting_id", "org_id"])
    // SET-4: the database itself never lets a capacity fall below what is taken.
    .addCheckConstraint(
      "site_total_capacity",
      sql`total_capacity is null or (total_capacity between 100 and 99999 and total_capacity >= total_taken)`,
    )
    .addCheckConstraint("site_online_range", sql`online_ends_at is null or online_starts_at < online_ends_at`)
    .addCheckConstraint("site_fee_range", sql`per_person_fee_fen is null or per_person_fee_fen between 0 and 10000000`)
    .execute();

  // SET-2 offered subjects, SET-4 per-subject capacity and the counter of entries taken (CAN-4).
  await db.schema
    .createTable("site_subject")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("subject_code", "text", (c) => c.notNull().references("subject.code"))
    .addColumn("exam_start", "date", (c) => c.notNull())
    .addColumn("exam_end", "date", (c) => c.notNull())
    .addColumn("capacity", "integer")
    .addColumn("taken", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("site_subject_pk", ["sitting_id", "org_id", "subject_code"])
    .addCheckConstraint("site_subject_range", sql`exam_end >= exam_start`)
    .addCheckConstraint(
      "site_subject_capacity",
      sql`capacity is null or (capacity between 0 and 99999 and capacity >= taken)`,
    )
    .execute();

  // SET-3 per-subject fees, set by the province for each site.
  await db.schema
    .createTable("site_fee")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("subject_code", "text", (c) => c.notNull().references("subject.code"))
    .addColumn("fee_fen", "integer", (c) => c.notNull().check(sql`fee_fen between 0 and 10000000`))
    .addPrimaryKeyConstraint("site_fee_pk", ["sitting_id", "org_id", "subject_code"])
    .execute();

  // SET-5 preferred-date quotas and how many candidates chose each day.
  await db.schema
    .createTable("preferred_date_quota")
    .addColumn("sitting_id", "integer", (c) => c.notNull().references("sitting.id"))
    .addColumn("org_id", "integer", (c) => c.notNull().references("org.id"))
    .addColumn("exam_date", "date", (c) => c.notNull())
    .addColumn("quota", "integer", (c) => c.notNull())
    .addColumn("taken", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("preferred_date_quota_pk", ["sitting_id", "org_id", "exam_date"])
    .addCheckConstraint("preferred_date_quota_taken", sql`quota >= 1 and quota >= taken`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "preferred_date_quota",
    "site_fee",
    "site_subject",
    "site_setting",
    "province_setting",
    "province_subject",
    "sitting_subject",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
