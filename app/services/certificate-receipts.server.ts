import type { Readable } from "node:stream";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { receiptFileName, receiptGroups, type ReceiptGrouping } from "~/domain/certificate-receipts";
import { AppError } from "~/domain/errors";
import { maskIdNumber } from "~/domain/id-number";
import { drawReceiptForm, type ReceiptLabels } from "~/documents/certificate-receipt-pdf.server";
import { translator, type Locale } from "~/i18n";
import { streamPdfZip } from "./pdf-zip.server";

type Q = Kysely<DB> | Transaction<DB>;

/** DOC-7: the site's entries whose score passed, with class, room and certificate number. */
async function passedEntries(db: Q, sittingId: number, siteId: number) {
  return db
    .selectFrom("score as c")
    .innerJoin("entry as e", "e.id", "c.entry_id")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .innerJoin("subject as s", "s.code", "c.subject_code")
    .leftJoin("exam_batch as b", "b.id", "e.batch_id")
    .leftJoin("room as r", "r.id", "b.room_id")
    .select([
      "e.admission_no",
      "g.name",
      "g.id_number",
      "g.class_name",
      "r.number as room",
      "c.subject_code",
      "s.name as subject_name",
      "c.certificate_no",
    ])
    .where("c.sitting_id", "=", sittingId)
    .where("c.org_id", "=", siteId)
    .where("c.grade_code", ">=", 1)
    .orderBy("e.admission_no")
    .execute();
}

/** What the forms are made from (a changed score, certificate number, name or class marks them stale). */
export async function receiptsVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', c.entry_id, c.grade_code, c.certificate_no, g.name, g.id_number,
        g.class_name, e.batch_id), ',' order by c.entry_id), '')) as v
    from score c join entry e on e.id = c.entry_id join registration g on g.id = c.registration_id
    where c.sitting_id = ${sittingId} and c.org_id = ${siteId}`.execute(db);
  return r.rows[0]?.v ?? "";
}

function receiptLabels(locale: Locale): ReceiptLabels {
  const t = translator(locale);
  return {
    title: t("receipts.pdf_title"),
    site: t("sheets.site"),
    group: t("receipts.group"),
    no: t("receipts.no"),
    name: t("sheets.name"),
    idNumber: t("sheets.id_number"),
    admissionNo: t("sheets.admission_no"),
    subject: t("sheets.subject"),
    certificateNo: t("receipts.certificate_no"),
    signature: t("receipts.signature"),
    date: t("receipts.date"),
    footer: (count) => t("receipts.footer", { count }),
    page: (n, total) => t("sheets.page", { n, total }),
  };
}

/** DOC-7: one PDF per class or room in a zip, drawn and streamed one at a time. */
export async function receiptsZip(
  by: ReceiptGrouping,
  o: { sittingId: number; siteId: number; siteCode: string; locale: Locale; onProgress: (p: number) => Promise<void> },
): Promise<Readable> {
  const db = getDb();
  const t = translator(o.locale);
  const [rows, sitting, site] = await Promise.all([
    passedEntries(db, o.sittingId, o.siteId),
    db.selectFrom("sitting").select("name").where("id", "=", o.sittingId).executeTakeFirstOrThrow(),
    db.selectFrom("org").select("name").where("id", "=", o.siteId).executeTakeFirstOrThrow(),
  ]);
  const groups = receiptGroups(
    rows.map((r) => ({
      className: r.class_name ?? "",
      room: r.room ?? "",
      admissionNo: r.admission_no ?? "",
      name: r.name,
      idNumber: maskIdNumber(r.id_number),
      subject: `(${r.subject_code}) ${r.subject_name}`,
      certificateNo: r.certificate_no ?? "",
    })),
    by,
  );
  const L = receiptLabels(o.locale);
  const noClass = t("receipts.no_class");
  const label = (key: string) => (by === "class" ? key || noClass : t("receipts.room", { room: key }));
  return streamPdfZip(
    groups.map((g, i) => ({ g, i })),
    {
      name: ({ g, i }) => receiptFileName(o.siteCode, { ...g, key: label(g.key) }, noClass, i),
      draw: ({ g }) =>
        drawReceiptForm(
          g,
          { sittingName: sitting.name, siteCode: o.siteCode, siteName: site.name, groupLabel: label(g.key) },
          L,
        ),
      weight: ({ g }) => g.entries.length,
      onProgress: (done, total) => o.onProgress(10 + Math.round((85 * done) / Math.max(1, total))),
    },
  );
}

/** DOC-7: forms exist once scores are in and someone passed. */
export async function refuseUnlessPassed(db: Q, sittingId: number, siteId: number) {
  const r = await db
    .selectFrom("score")
    .select(sql<number>`count(*)`.as("n"))
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .where("grade_code", ">=", 1)
    .executeTakeFirstOrThrow();
  if (Number(r.n) === 0) throw new AppError("receipts.none_passed");
}
