import { Readable } from "node:stream";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { generateFileJob } from "~jobs/definitions/generate-file";
import { enqueueJob } from "~jobs/runner";
import type { AdminContext } from "~/utils/auth.server";
import { roomDataVersion } from "~db/queries/rooms";
import type { DB } from "~db/schema";
import { translator, type Locale, type MessageKey } from "~/i18n";
import { storeStream } from "~/utils/file-store.server";
import { XLSX_TYPE } from "./registration-statistics.server";
import { buildRoomsWorkbook } from "./export-rooms.server";
import { cardDataVersion, cbtDataVersion, photoPackageVersion, roomSheetsVersion } from "~db/queries/admission-cards";
import { roomSheetsZip, type RoomSheetKind } from "./room-sheets.server";
import { cbtDataZip, refuseUnlessCbtReady } from "./cbt-data.server";
import { refuseUnlessScores, scoreCsv, scoreDbfZip, scoreFilesVersion } from "./score-files.server";
import { receiptsVersion, receiptsZip, refuseUnlessPassed } from "./certificate-receipts.server";
import type { ReceiptGrouping } from "~/domain/certificate-receipts";
import { photoPackageZip, refuseUnlessPhotosReady } from "./photo-package.server";
import type { CardOrder } from "~/domain/admission-cards";
import type { GeneratedKindName } from "./generated-file-kinds";
import { cardsZip, loadCards, refuseUnlessCardsReady } from "./admission-cards.server";

type Q = Kysely<DB> | Transaction<DB>;

/**
 * Issue 16 item 5: the generated-file pattern, built once for every document to come (cards, CBT
 * data, sign-in sheets …). A kind says how to build its file and which data it is made from; the
 * page shows the latest file's time, size and maker, and says when the data changed since.
 */
export interface BuildContext {
  locale: Locale;
  sittingId: number;
  siteId: number;
  siteCode: string;
  /** The kind's own option (the cards' order). */
  order?: CardOrder;
  onProgress: (percent: number) => Promise<void>;
}

interface GeneratedKind {
  /** The stored file's kind (what downloading it takes: app/domain/permissions.ts). */
  fileKind: string;
  fileName: MessageKey;
  extension: "xlsx" | "zip" | "csv";
  contentType: string;
  version(db: Q, sittingId: number, siteId: number): Promise<string>;
  /** Refuses (an AppError) when the data is not ready for this file; runs when asked and again in the job. */
  check?(db: Q, c: Omit<BuildContext, "onProgress">): Promise<unknown>;
  build(c: BuildContext): Promise<Buffer | Readable>;
}

const cards = (size: "small" | "large"): GeneratedKind => ({
  fileKind: "admission-cards",
  fileName: size === "small" ? "cards.small_file" : "cards.large_file",
  extension: "zip",
  contentType: "application/zip",
  version: cardDataVersion,
  check: (db, c) => refuseUnlessCardsReady(db, c.sittingId, c.siteId),
  build: async (c) =>
    cardsZip(await loadCards(getDb(), c.sittingId, c.siteId, c.locale), size, c.order ?? "admission_no", {
      locale: c.locale,
      siteCode: c.siteCode,
      onProgress: (done, total) => c.onProgress(10 + Math.round((85 * done) / Math.max(1, total))),
    }),
});

const roomSheets = (kind: RoomSheetKind): GeneratedKind => ({
  fileKind: kind === "sign_in" ? "sign-in-sheets" : "seating-charts",
  fileName: kind === "sign_in" ? "sheets.sign_in_file" : "sheets.chart_file",
  extension: "zip",
  contentType: "application/zip",
  version: roomSheetsVersion,
  check: (db, c) => refuseUnlessCardsReady(db, c.sittingId, c.siteId, "photopkg.no_numbers"),
  build: (c) =>
    roomSheetsZip(kind, {
      ...c,
      onProgress: (done, total) => c.onProgress(10 + Math.round((85 * done) / Math.max(1, total))),
    }),
});

const receipts = (by: ReceiptGrouping): GeneratedKind => ({
  fileKind: "certificate-receipts",
  fileName: by === "class" ? "receipts.class_file" : "receipts.room_file",
  extension: "zip",
  contentType: "application/zip",
  version: receiptsVersion,
  check: (db, c) => refuseUnlessPassed(db, c.sittingId, c.siteId),
  build: (c) => receiptsZip(by, c),
});

export const GENERATED_KINDS = {
  /** ADM-2 (§三十三): rooms, batches, subjects and allocated counts. */
  room_statistics: {
    fileKind: "room-statistics",
    fileName: "roomstats.file",
    extension: "xlsx",
    contentType: XLSX_TYPE,
    version: roomDataVersion,
    build: (c) => buildRoomsWorkbook(c.locale, c.sittingId, c.siteId, true),
  },
  /** DOC-1 (§三十四): six cards a page, one PDF per room. */
  small_cards: cards("small"),
  /** DOC-2 (§三十五): one card a page with the candidate instructions. */
  large_cards: cards("large"),
  /** DOC-6 (§四十七): `<site code>.DBF`, one GBK record per numbered entry. */
  cbt_data: {
    fileKind: "cbt-data",
    fileName: "cbt.file",
    extension: "zip",
    contentType: "application/zip",
    version: cbtDataVersion,
    check: (db, c) => refuseUnlessCbtReady(db, c.sittingId, c.siteId),
    build: (c) => cbtDataZip(c),
  },
  /** DOC-5 (§四十六): every numbered entry's photo, as stored. */
  photo_package: {
    fileKind: "photo-package",
    fileName: "photopkg.file",
    extension: "zip",
    contentType: "application/zip",
    version: photoPackageVersion,
    check: (db, c) => refuseUnlessPhotosReady(db, c.sittingId, c.siteId),
    build: (c) =>
      photoPackageZip({
        ...c,
        onProgress: (done, total) => c.onProgress(10 + Math.round((85 * done) / Math.max(1, total))),
      }),
  },
  /** DOC-7 (§五十): per room and batch, the candidates in seat order with photos and a box to sign. */
  sign_in_sheets: roomSheets("sign_in"),
  /** DOC-7 (§五十一): per room and batch, the seats as the room is laid out. */
  seating_charts: roomSheets("seating"),
  /** SCO-3 (§四十三): the scores in the score file's fields, as .dbf (GBK) … */
  score_dbf: {
    fileKind: "score-files",
    fileName: "scores.dbf_file",
    extension: "zip",
    contentType: "application/zip",
    version: scoreFilesVersion,
    check: (db, c) => refuseUnlessScores(db, c.sittingId, c.siteId),
    build: (c) => scoreDbfZip(c),
  },
  /** … and as .csv. */
  score_csv: {
    fileKind: "score-files",
    fileName: "scores.csv_file",
    extension: "csv",
    contentType: "text/csv; charset=utf-8",
    version: scoreFilesVersion,
    check: (db, c) => refuseUnlessScores(db, c.sittingId, c.siteId),
    build: async (c) => scoreCsv(c),
  },
  /** DOC-7 (§五十二): certificate receipt forms, one PDF per class … */
  receipts_by_class: receipts("class"),
  /** … or per room. */
  receipts_by_room: receipts("room"),
} satisfies Record<GeneratedKindName, GeneratedKind>;

export type { GeneratedKindName };

/** What a generated-file page shows for a site: the latest file of the kind and the job making one. */
export async function generatedFileState(db: Q, kind: GeneratedKindName, sittingId: number, siteId: number) {
  const [file, job] = await Promise.all([
    generatedFileView(db, kind, sittingId, siteId),
    findLastJobOf(db, generateFileJob, { orgId: siteId, sittingId, kind }),
  ]);
  return { file, job: job ? { id: job.id, status: job.status } : null };
}

/**
 * Starts the job that makes the acting site's file of a kind (the caller checked role, scope and
 * window). The kind's own check refuses here, with its message, before a job is queued (and again
 * in the job, on the data as it is then).
 */
export async function startGeneratedFile(ctx: AdminContext, kind: GeneratedKindName, order?: CardOrder) {
  const k: GeneratedKind = GENERATED_KINDS[kind];
  await k.check?.(getDb(), {
    locale: ctx.locale,
    sittingId: ctx.sitting.id,
    siteId: ctx.org.id,
    siteCode: ctx.org.code,
    order,
  });
  await enqueueJob(
    generateFileJob,
    { kind, order, siteId: ctx.org.id, siteCode: ctx.org.code, locale: ctx.locale, actorName: ctx.name },
    { accountId: ctx.accountId, orgId: ctx.org.id, sittingId: ctx.sitting.id },
  );
}

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
    order?: CardOrder;
    onProgress?: (percent: number) => Promise<void>;
  },
) {
  const k: GeneratedKind = GENERATED_KINDS[kind];
  const db = getDb();
  // Both read the data as it is before building (a change meanwhile marks the new file stale).
  const [, version] = await Promise.all([k.check?.(db, o), k.version(db, o.sittingId, o.siteId)]);
  const body = await k.build({ ...o, onProgress: o.onProgress ?? (async () => {}) });
  const name = `${translator(o.locale)(k.fileName)}-${o.siteCode}.${k.extension}`;
  const stored = await storeStream(
    {
      kind: k.fileKind,
      name,
      contentType: k.contentType,
      orgId: o.siteId,
      sittingId: o.sittingId,
      createdBy: o.accountId,
    },
    Buffer.isBuffer(body) ? Readable.from([body]) : body,
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
