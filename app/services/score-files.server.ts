import { Readable } from "node:stream";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { fitGbk } from "~/domain/cbt-data";
import { AppError } from "~/domain/errors";
import { gbkDbfZip } from "./cbt-data.server";

type Q = Kysely<DB> | Transaction<DB>;

// SCO-3 (manual §四十三): a site's scores as .dbf (GBK, through the CBT data's writer) and .csv
// (UTF-8 with BOM), in the score file's own fields (DOMAIN.md), so that either goes back to the
// marking system or into Excel. Both carry the ID number whole, as the marking system's file does:
// they are made and downloaded only by those who hold personal data, inside the post-exam window.

/** DOMAIN.md's score file fields; C sizes in GBK bytes. */
export const SCORE_FILE_FIELDS = [
  { name: "ZKZH", type: "C", size: 20 },
  { name: "ZJH", type: "C", size: 18 },
  { name: "XM", type: "C", size: 30 },
  { name: "KSKM", type: "C", size: 2 },
  { name: "CJ", type: "N", size: 3, decimalPlaces: 0 },
  { name: "DJ", type: "C", size: 2 },
  { name: "ZSBH", type: "C", size: 14 },
  { name: "KSKM1CJ", type: "N", size: 3, decimalPlaces: 0 },
  { name: "KSKM2CJ", type: "N", size: 3, decimalPlaces: 0 },
  { name: "BZ", type: "C", size: 60 },
] as const satisfies ReadonlyArray<{ name: string; type: "C" | "N"; size: number; decimalPlaces?: number }>;

const PAGE = 10_000;

function scorePage(db: Q, sittingId: number, siteId: number, after: string | null) {
  let q = db
    .selectFrom("score as c")
    .innerJoin("entry as e", "e.id", "c.entry_id")
    .innerJoin("registration as g", "g.id", "e.registration_id")
    .select([
      "e.admission_no",
      "g.id_number",
      "g.name",
      "c.subject_code",
      "c.score",
      "c.grade_code",
      "c.certificate_no",
      "c.part1",
      "c.part2",
      "c.remark",
    ])
    .where("c.sitting_id", "=", sittingId)
    .where("c.org_id", "=", siteId)
    .orderBy("e.admission_no")
    .limit(PAGE);
  if (after !== null) q = q.where("e.admission_no", ">", after);
  return q.execute();
}

async function* scorePages(sittingId: number, siteId: number) {
  const db = getDb();
  let after: string | null = null;
  for (;;) {
    const rows = await scorePage(db, sittingId, siteId, after);
    yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].admission_no;
  }
}

type ScoreFileRow = Awaited<ReturnType<typeof scorePage>>[number];

function record(r: ScoreFileRow) {
  return {
    ZKZH: r.admission_no ?? "",
    ZJH: r.id_number,
    XM: r.name,
    KSKM: r.subject_code,
    CJ: r.score,
    DJ: String(r.grade_code),
    ZSBH: r.certificate_no ?? "",
    KSKM1CJ: r.part1,
    KSKM2CJ: r.part2,
    BZ: r.remark,
  };
}

/** SCO-3: only a site with scores imported can generate its files (manual §四十三 2). */
export async function refuseUnlessScores(db: Q, sittingId: number, siteId: number) {
  const r = await db
    .selectFrom("score")
    .select(sql<number>`count(*)`.as("n"))
    .where("sitting_id", "=", sittingId)
    .where("org_id", "=", siteId)
    .executeTakeFirstOrThrow();
  if (Number(r.n) === 0) throw new AppError("scores.none_imported");
}

/** What the files are made from: every score and the name and ID beside it. */
export async function scoreFilesVersion(db: Q, sittingId: number, siteId: number) {
  const r = await sql<{ v: string | null }>`
    select md5(coalesce(string_agg(concat_ws(':', c.entry_id, c.score, c.grade_code, c.certificate_no, c.part1, c.part2,
        c.remark, g.name, g.id_number), ',' order by c.entry_id), '')) as v
    from score c join registration g on g.id = c.registration_id
    where c.sitting_id = ${sittingId} and c.org_id = ${siteId}`.execute(db);
  return r.rows[0]?.v ?? "";
}

/** `<site code>_CJ.DBF` in a zip, through the one DBF writer (names and remarks cut to their GBK bytes). */
export async function scoreDbfZip(o: { sittingId: number; siteId: number; siteCode: string }) {
  async function* records() {
    for await (const rows of scorePages(o.sittingId, o.siteId))
      yield rows.map((r) => {
        const x = record(r);
        return { ...x, XM: fitGbk(x.XM, 30), BZ: fitGbk(x.BZ, 60) };
      });
  }
  return gbkDbfZip(
    `${o.siteCode}_CJ.DBF`,
    SCORE_FILE_FIELDS.map((f) => ({ ...f })),
    records(),
  );
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // Quoted when it holds a separator; a leading = + - @ is kept from being read as a formula.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d+$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The same fields as .csv, UTF-8 with a BOM (Excel opens it as UTF-8; the import reads it back). */
export function scoreCsv(o: { sittingId: number; siteId: number }): Readable {
  async function* lines() {
    yield `\uFEFF${SCORE_FILE_FIELDS.map((f) => f.name).join(",")}\r\n`;
    for await (const rows of scorePages(o.sittingId, o.siteId))
      yield (
        rows
          .map((r) =>
            Object.values(record(r))
              .map((v) => csvCell(v))
              .join(","),
          )
          .join("\r\n") + (rows.length ? "\r\n" : "")
      );
  }
  return Readable.from(lines());
}
