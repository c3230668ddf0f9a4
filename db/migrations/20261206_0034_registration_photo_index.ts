import { sql, type Kysely } from "kysely";

// PHO-5, PHO-6: deleting a photo makes PostgreSQL look for registrations that still point at it
// (registration.photo_id's foreign key). Without an index that is a scan of the sitting's
// registrations per photo: 10,000 photos took 13 s to delete at a site of 10,000 candidates.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index registration_photo on registration (photo_id) where photo_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists registration_photo`.execute(db);
}
