import ExcelJS from "exceljs";
import { sql } from "kysely";
import { getDb } from "~db/client";
import { subjectNames } from "~db/queries/cancellations";
import { rate, SCORE_BUCKETS, scoreTable, type BucketCounts } from "~/domain/scores";
import { translator, type Locale } from "~/i18n";

// SCO-3 (manual §四十四): score statistics of a scope's sites, aggregated in SQL (one row per site,
// subject and grade code), with the manual's columns, counts and rates; never window-gated.

export async function scoreStatistics(sittingId: number, sites: ReadonlyArray<{ id: number }>) {
  const ids = sites.map((s) => s.id);
  if (ids.length === 0)
    return { subjects: [], total: scoreTable([]).total, people: 0, bySite: new Map<number, BucketCounts>() };
  const db = getDb();
  const [counts, people] = await Promise.all([
    db
      .selectFrom("score as c")
      .select(["c.org_id", "c.subject_code", "c.grade_code", sql<number>`count(*)`.as("n")])
      .where("c.sitting_id", "=", sittingId)
      .where("c.org_id", "in", ids)
      .groupBy(["c.org_id", "c.subject_code", "c.grade_code"])
      .execute(),
    db
      .selectFrom("score as c")
      .select(sql<number>`count(distinct c.registration_id)`.as("n"))
      .where("c.sitting_id", "=", sittingId)
      .where("c.org_id", "in", ids)
      .executeTakeFirstOrThrow(),
  ]);
  const rows = counts.map((r) => ({ ...r, n: Number(r.n) }));
  const table = scoreTable(rows);
  const names = await subjectNames(
    db,
    table.subjects.map((s) => s.code),
  );
  const bySite = new Map<number, BucketCounts>();
  for (const id of ids) bySite.set(id, scoreTable(rows.filter((r) => r.org_id === id)).total);
  return {
    subjects: table.subjects.map((s) => ({ ...s, name: names.get(s.code) ?? "" })),
    total: table.total,
    people: Number(people.n),
    bySite,
  };
}

/** SCO-3: the statistics as .xlsx: by subject (counts, then rates), and by site for a superior. */
export async function exportScoreStatistics(
  locale: Locale,
  sittingId: number,
  scope: { root: { code: string }; sites: ReadonlyArray<{ id: number; code: string; name: string }> },
) {
  const t = translator(locale);
  const stats = await scoreStatistics(sittingId, scope.sites);
  const buckets = SCORE_BUCKETS.map((b) => t(`scores.bucket.${b}`));
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const line = (c: BucketCounts) => [
    ...SCORE_BUCKETS.map((b) => c[b]),
    c.total,
    ...SCORE_BUCKETS.slice(0, 4).map((b) => rate(c[b], c.total)),
  ];
  const head = [
    ...buckets,
    t("scores.col_entries"),
    ...SCORE_BUCKETS.slice(0, 4).map((b) => t("scores.rate_of", { bucket: t(`scores.bucket.${b}`) })),
  ];
  const sheet = (name: string, first: string, rows: Array<Array<string | number>>) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([first, ...head]).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.views = [{ state: "frozen", ySplit: 1, xSplit: 1 }];
    ws.getColumn(1).width = 28;
  };
  sheet(t("scores.stats_by_subject"), t("scores.col_subject"), [
    ...stats.subjects.map((s) => [`(${s.code}) ${s.name}`, ...line(s)]),
    [t("scores.col_total"), ...line(stats.total)],
    [t("scores.col_people"), stats.people],
  ]);
  if (scope.sites.length > 1)
    sheet(t("scores.stats_by_site"), t("scores.col_site"), [
      ...scope.sites.map((s) => [`(${s.code}) ${s.name}`, ...line(stats.bySite.get(s.id)!)]),
      [t("scores.col_total"), ...line(stats.total)],
    ]);
  return {
    body: Buffer.from(await wb.xlsx.writeBuffer()),
    fileName: `${t("scores.stats_title")}-${scope.root.code}.xlsx`,
  };
}
