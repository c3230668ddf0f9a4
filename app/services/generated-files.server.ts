import { Readable } from "node:stream";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { roomDataVersion } from "~db/queries/rooms";
import type { DB } from "~db/schema";
import { translator, type Locale, type MessageKey } from "~/i18n";
import { storeStream } from "~/utils/file-store.server";
import { XLSX_TYPE } from "./registration-statistics.server";
import { buildRoomsWorkbook } from "./export-rooms.server";

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Issue 16 item 5: the generated-file pattern, built once for every document to come (cards, CBT
 * data, sign-in sheets …). A kind says how to build its file and which data it is made from; the
 * page shows the latest file's time, size and maker, and says when the data changed since.
 */
interface GeneratedKind {
  /** The stored file's kind (what downloading it takes: app/domain/permissions.ts). */
  fileKind: string;
  fileName: MessageKey;
  contentType: string;
  version(db: Q, sittingId: number, siteId: number): Promise<string>;
  build(locale: Locale, sittingId: number, siteId: number): Promise<Buffer>;
}

export const GENERATED_KINDS = {
  /** ADM-2 (§三十三): rooms, batches, subjects and allocated counts. */
  room_statistics: {
    fileKind: "room-statistics",
    fileName: "roomstats.file",
    contentType: XLSX_TYPE,
    version: roomDataVersion,
    build: (locale, sittingId, siteId) => buildRoomsWorkbook(locale, sittingId, siteId, true),
  },
} satisfies Record<string, GeneratedKind>;
export type GeneratedKindName = keyof typeof GENERATED_KINDS;

/** The latest file of a kind for a site: when, by whom, its size, and whether its data changed since. */
export async function generatedFileView(db: Q, kind: GeneratedKindName, sittingId: number, siteId: number) {
  const row = await db
    .selectFrom("generated_file as g")
    .innerJoin("stored_file as f", "f.id", "g.file_id")
    .select(["g.file_id", "g.inputs_version", "g.generated_at", "g.generated_by_name", "f.size", "f.name"])
    .where("g.sitting_id", "=", sittingId)
    .where("g.org_id", "=", siteId)
    .where("g.kind", "=", kind)
    .executeTakeFirst();
  if (!row) return null;
  const now = await GENERATED_KINDS[kind].version(db, sittingId, siteId);
  return {
    fileId: row.file_id,
    name: row.name,
    size: Number(row.size),
    generatedAt: row.generated_at,
    by: row.generated_by_name,
    stale: now !== row.inputs_version,
  };
}

/**
 * Builds the file from the data as it is now, stores it, and makes it the site's latest of its kind.
 * The version is read before building, so a change made meanwhile marks the new file stale.
 */
export async function generateFile(
  kind: GeneratedKindName,
  o: {
    sittingId: number;
    siteId: number;
    siteCode: string;
    locale: Locale;
    actorName: string;
    accountId: string | null;
  },
) {
  const k = GENERATED_KINDS[kind];
  const db = getDb();
  const version = await k.version(db, o.sittingId, o.siteId);
  const body = await k.build(o.locale, o.sittingId, o.siteId);
  const name = `${translator(o.locale)(k.fileName)}-${o.siteCode}.xlsx`;
  const stored = await storeStream(
    {
      kind: k.fileKind,
      name,
      contentType: k.contentType,
      orgId: o.siteId,
      sittingId: o.sittingId,
      createdBy: o.accountId,
    },
    Readable.from([body]),
  );
  await db
    .insertInto("generated_file")
    .values({
      sitting_id: o.sittingId,
      org_id: o.siteId,
      kind,
      file_id: stored.id,
      inputs_version: version,
      generated_by_name: o.actorName,
    })
    .onConflict((oc) =>
      oc.columns(["sitting_id", "org_id", "kind"]).doUpdateSet({
        file_id: stored.id,
        inputs_version: version,
        generated_by_name: o.actorName,
        generated_at: sql`now()`,
      }),
    )
    .execute();
  return { fileId: stored.id, size: stored.size };
}
