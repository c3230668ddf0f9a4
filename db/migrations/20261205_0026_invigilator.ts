import { sql, type Kysely } from "kysely";

// DOC-9 (issue 19 item 1): a site's invigilators: members who check candidates in and nothing else.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["membership", "invitation"]) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_role_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_role_check`)}
      check (role in ('admin', 'finance', 'invigilator'))`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["membership", "invitation"]) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_role_check`)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_role_check`)}
      check (role in ('admin', 'finance'))`.execute(db);
  }
}
