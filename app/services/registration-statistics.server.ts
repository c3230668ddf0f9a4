import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import {
  listCandidatesBySite,
  listCapacityBySite,
  listEntriesBySubject,
  listPaidStateBySite,
  listPaymentsBySite,
  listPreferredDatesBySite,
  listSitesUnder,
  type CapacityRow,
  type StatsSite,
} from "~db/queries/statistics";
import type { Org } from "~db/schema";
import { AppError } from "~/domain/errors";
import { isRowId } from "~/domain/row-id";
import {
  STATS_VIEWS,
  capacityFigure,
  groupBy,
  percent,
  sumByKey,
  sumCapacity,
  sumRows,
  rowsWithCitySubtotals,
  type CapacityFigure,
  type StatsView,
} from "~/domain/statistics";
import { translator, type MessageKey, type Translate } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";
import { requireOrgInScope } from "~/utils/permissions.server";

/**
 * MGT-6 registration statistics (manual §二十八 报考统计 · 支付统计 · 考生统计, §二十九 科目容量统计).
 * Read-only and never window-gated (WIN-6): available to administrators and finance staff (ORG-11)
 * whenever there is data. The scope is the viewer's subtree (ORG-2): a site sees itself; a city,
 * province or the centre sees the sum over its sites and one row per site to drill down into,
 * optionally narrowed to one organisation of its subtree with `?site=<id>` (checked by
 * requireOrgInScope). Each view is one or two aggregate queries (db/queries/statistics.ts).
 */

export interface SiteRef {
  id: number;
  code: string;
  name: string;
  city: string | null;
}

export interface StatsScope {
  /** The organisation the figures are summed over. */
  root: { id: number; code: string; name: string; level: Org["level"] };
  /** True when narrowed below the viewer's own organisation with `?site=`. */
  narrowed: boolean;
  /** Superiors get one row per site. */
  drillDown: boolean;
  sites: SiteRef[];
}

// ---- entries by subject (报考统计) ----
export interface EntryFigures {
  entries: number;
  paid: number;
  unpaid: number;
}
export interface EntriesView {
  view: "entries";
  total: EntryFigures & { paidRate: number | null };
  subjects: Array<{ code: string; name: string } & EntryFigures & { paidRate: number | null }>;
  sites: Array<{ site: SiteRef; bySubject: Record<string, number> } & EntryFigures>;
}

// ---- payments (支付统计) ----
const PAYMENT_KEYS = [
  "paid_payments",
  "individual_payments",
  "group_payments",
  "individual_fen",
  "group_fen",
  "paid_fen",
  "per_person_fen",
  "pending_payments",
  "refund_due_payments",
  "refund_due_fen",
  "candidates",
  "fully_paid",
  "partly_paid",
  "unpaid",
  "no_entries",
  "paid_entries",
  "unpaid_entries",
  "subject_fen",
] as const;
export type PaymentFigures = Record<(typeof PAYMENT_KEYS)[number], number>;
export interface PaymentsView {
  view: "payments";
  total: PaymentFigures;
  sites: Array<{ site: SiteRef } & PaymentFigures>;
}

// ---- candidates (考生统计) ----
const CANDIDATE_KEYS = ["candidates", "online", "group", "male", "female", "registry", "public"] as const;
export type CandidateFigures = Record<(typeof CANDIDATE_KEYS)[number], number>;
export interface CandidatesView {
  view: "candidates";
  total: CandidateFigures;
  /** Candidates by preferred exam date; `date` null = none chosen. */
  dates: Array<{ date: string | null; candidates: number }>;
  sites: Array<{ site: SiteRef; dates: Record<string, number> } & CandidateFigures>;
}

// ---- subject capacity (科目容量统计) ----
export interface CapacityView {
  view: "capacity";
  total: CapacityFigure;
  subjects: Array<{ code: string; name: string; figure: CapacityFigure }>;
  sites: Array<{ site: SiteRef; open: boolean; total: CapacityFigure; subjects: Record<string, CapacityFigure> }>;
}

export type StatsData = EntriesView | PaymentsView | CandidatesView | CapacityView;

/** The scope of the statistics: the viewer's organisation, or one organisation of its subtree (ORG-2). */
export async function resolveStatsScope(ctx: AdminContext, siteParam: string | null): Promise<StatsScope> {
  let root: Org = ctx.org;
  if (siteParam !== null && siteParam !== "" && siteParam !== String(ctx.org.id)) {
    const id = Number(siteParam);
    if (!isRowId(id)) throw new AppError("stats.bad_site", {}, 400);
    const path = await requireOrgInScope(ctx, id);
    root = path[path.length - 1];
  }
  const sites = (await listSitesUnder(getDb(), root.id, ctx.sitting.id)).map(siteRef);
  return {
    root: { id: root.id, code: root.code, name: root.name, level: root.level },
    narrowed: root.id !== ctx.org.id,
    drillDown: root.level !== "site",
    sites,
  };
}

function siteRef(s: StatsSite): SiteRef {
  return { id: s.id, code: s.code, name: s.name, city: s.parent_code ? `(${s.parent_code}) ${s.parent_name}` : null };
}

/** The page: the scope (checked) and one view of it. */
export async function loadStatistics(ctx: AdminContext, opts: { view: StatsView; site: string | null }) {
  const scope = await resolveStatsScope(ctx, opts.site);
  return { scope, data: await loadStatsView(ctx, scope, opts.view) };
}

/** One view of the statistics for the scope. */
export async function loadStatsView(ctx: AdminContext, scope: StatsScope, view: StatsView): Promise<StatsData> {
  const ids = scope.sites.map((s) => s.id);
  const sittingId = ctx.sitting.id;
  const db = getDb();
  if (view === "entries") {
    const rows = await listEntriesBySubject(db, sittingId, ids);
    const bySite = groupBy(rows, (r) => r.org_id);
    const subjects = [...groupBy(rows, (r) => r.subject_code).values()]
      .map((list) => {
        const f = sumRows(list, ["entries", "paid", "unpaid"] as const);
        return { code: list[0].subject_code, name: list[0].subject_name, ...f, paidRate: percent(f.paid, f.entries) };
      })
      .sort((a, b) => a.code.localeCompare(b.code));
    const total = sumRows(rows, ["entries", "paid", "unpaid"] as const);
    return {
      view,
      total: { ...total, paidRate: percent(total.paid, total.entries) },
      subjects,
      sites: scope.sites.map((site) => {
        const list = bySite.get(site.id) ?? [];
        return {
          site,
          ...sumRows(list, ["entries", "paid", "unpaid"] as const),
          bySubject: Object.fromEntries(list.map((r) => [r.subject_code, r.entries])),
        };
      }),
    };
  }
  if (view === "payments") {
    const [payments, states] = await Promise.all([
      listPaymentsBySite(db, sittingId, ids),
      listPaidStateBySite(db, sittingId, ids),
    ]);
    const pay = new Map(payments.map((r) => [r.org_id, r]));
    const state = new Map(states.map((r) => [r.org_id, r]));
    const sites = scope.sites.map((site) => {
      const merged = { ...pay.get(site.id), ...state.get(site.id) } as Partial<PaymentFigures>;
      return { site, ...(Object.fromEntries(PAYMENT_KEYS.map((k) => [k, merged[k] ?? 0])) as PaymentFigures) };
    });
    return { view, total: sumRows(sites, PAYMENT_KEYS), sites };
  }
  if (view === "candidates") {
    const [rows, dates] = await Promise.all([
      listCandidatesBySite(db, sittingId, ids),
      listPreferredDatesBySite(db, sittingId, ids),
    ]);
    const bySite = new Map(rows.map((r) => [r.org_id, r]));
    const datesBySite = groupBy(dates, (d) => d.org_id);
    const sites = scope.sites.map((site) => {
      const r = bySite.get(site.id);
      const figures = Object.fromEntries(CANDIDATE_KEYS.map((k) => [k, r?.[k] ?? 0])) as CandidateFigures;
      const own = datesBySite.get(site.id) ?? [];
      return { site, ...figures, dates: Object.fromEntries(own.map((d) => [d.preferred_date ?? "", d.candidates])) };
    });
    // "" sorts first; "none chosen" goes last.
    const summed = sumByKey(
      dates,
      (d) => d.preferred_date ?? "",
      (d) => d.candidates,
    );
    const withDate = summed
      .filter((d) => d.key !== "")
      .map((d) => ({ date: d.key as string | null, candidates: d.count }));
    const none = summed.find((d) => d.key === "");
    return {
      view,
      total: sumRows(sites, CANDIDATE_KEYS),
      dates: none ? [...withDate, { date: null, candidates: none.count }] : withDate,
      sites,
    };
  }
  const rows = await listCapacityBySite(db, sittingId, ids);
  return capacityView(scope, rows);
}

/** SET-4: a site that does not open (SET-1) has no capacity; it is listed, not summed. */
function capacityView(scope: StatsScope, rows: CapacityRow[]): CapacityView {
  const bySite = groupBy(rows, (r) => r.org_id);
  const names = new Map<string, string>();
  for (const r of rows) if (r.subject_code !== null) names.set(r.subject_code, r.subject_name ?? "");
  const sites = scope.sites.map((site) => {
    const list = bySite.get(site.id) ?? [];
    const totalRow = list.find((r) => r.subject_code === null);
    return {
      site,
      // No settings row yet: the site opens by default (SET-1) and has no capacity set.
      open: totalRow?.open ?? true,
      total: capacityFigure(totalRow?.capacity ?? null, totalRow?.taken ?? 0),
      subjects: Object.fromEntries(
        list.filter((r) => r.subject_code !== null).map((r) => [r.subject_code!, capacityFigure(r.capacity, r.taken)]),
      ),
    };
  });
  const open = sites.filter((s) => s.open);
  const codes = [...names.keys()].sort();
  return {
    view: "capacity",
    total: sumCapacity(open.map((s) => s.total)),
    subjects: codes.map((code) => ({
      code,
      name: names.get(code) ?? "",
      figure: sumCapacity(open.flatMap((s) => (s.subjects[code] ? [s.subjects[code]] : []))),
    })),
    sites,
  };
}

// ---------------------------------------------------------------------------------------------
// .xlsx export (manual §二十八 1, §二十九 1): one sheet per view with the scope's figures, and for a
// superior one more sheet per view with a row per site. Headers in the viewer's language; money in
// yuan as numbers (two decimals), counts as numbers.

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const yuan = (fen: number) => Math.round(fen) / 100;

function capacityCells(t: Translate, f: CapacityFigure | undefined): [string | number, string | number, string] {
  if (!f) return ["", "", ""];
  if (f.unlimited) return [t("stats.unlimited"), t("stats.unlimited"), t("stats.level.plenty")];
  if (f.capacity === null) return [t("stats.not_set"), "", t("stats.level.unset")];
  return [f.capacity, f.remaining ?? "", t(`stats.level.${f.level}` as MessageKey)];
}

function addTable(
  wb: ExcelJS.Workbook,
  name: string,
  header: string[],
  rows: Array<Array<string | number | null>>,
  money: number[] = [],
) {
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const ws = wb.addWorksheet(name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31));
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (v === null ? "" : v)));
  ws.views = [{ state: "frozen", ySplit: 1 }];
  header.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(10, Math.min(40, h.length * 2 + 2));
    if (money.includes(i)) col.numFmt = "0.00";
  });
  return ws;
}

function siteCells(s: SiteRef): string[] {
  return [s.code, s.name];
}

/** The per-site sheet: each city's sites followed by the city's subtotal in bold (issue 15 item 9). */
function addSiteTable<R extends { site: SiteRef }>(
  wb: ExcelJS.Workbook,
  t: Translate,
  name: string,
  header: string[],
  sites: readonly R[],
  cells: (r: R) => Array<string | number>,
  money: number[] = [],
) {
  const rows = rowsWithCitySubtotals(sites, (r) => r.site.city, cells, {
    lead: 2,
    label: (city) => t("stats.city_subtotal", { city: city ?? "—" }),
  });
  const ws = addTable(
    wb,
    name,
    header,
    rows.map((r) => r.cells),
    money,
  );
  rows.forEach((r, i) => {
    if (r.subtotal) ws.getRow(i + 2).font = { bold: true };
  });
  return ws;
}

function writeView(wb: ExcelJS.Workbook, t: Translate, scope: StatsScope, data: StatsData) {
  const siteHead = [t("stats.site_code"), t("stats.site_name")];
  const title = t(`stats.view.${data.view}` as MessageKey);
  const perSite = `${title}-${t("stats.by_site")}`;
  if (data.view === "entries") {
    addTable(
      wb,
      title,
      [
        t("stats.subject_code"),
        t("stats.subject_name"),
        t("stats.entries"),
        t("stats.paid_entries"),
        t("stats.unpaid_entries"),
        t("stats.paid_rate"),
      ],
      [
        ...data.subjects.map((s) => [s.code, s.name, s.entries, s.paid, s.unpaid, s.paidRate]),
        [t("stats.total"), "", data.total.entries, data.total.paid, data.total.unpaid, data.total.paidRate],
      ],
    );
    if (scope.drillDown) {
      const codes = data.subjects.map((s) => s.code);
      addSiteTable(
        wb,
        t,
        perSite,
        [
          ...siteHead,
          t("stats.entries"),
          t("stats.paid_entries"),
          t("stats.unpaid_entries"),
          ...data.subjects.map((s) => `(${s.code}) ${s.name}`),
        ],
        data.sites,
        (r) => [...siteCells(r.site), r.entries, r.paid, r.unpaid, ...codes.map((c) => r.bySubject[c] ?? 0)],
      );
    }
  } else if (data.view === "payments") {
    const head = [
      t("stats.paid_fen"),
      t("stats.individual_fen"),
      t("stats.group_fen"),
      t("stats.per_person_fen"),
      t("stats.subject_fen"),
      t("stats.paid_payments"),
      t("stats.individual_payments"),
      t("stats.group_payments"),
      t("stats.paid_entries"),
      t("stats.unpaid_entries"),
      t("stats.candidates"),
      t("stats.fully_paid"),
      t("stats.partly_paid"),
      t("stats.not_paid"),
      t("stats.no_entries"),
      t("stats.pending_payments"),
      t("stats.refund_due_payments"),
      t("stats.refund_due_fen"),
    ];
    const cells = (f: PaymentFigures) => [
      yuan(f.paid_fen),
      yuan(f.individual_fen),
      yuan(f.group_fen),
      yuan(f.per_person_fen),
      yuan(f.subject_fen),
      f.paid_payments,
      f.individual_payments,
      f.group_payments,
      f.paid_entries,
      f.unpaid_entries,
      f.candidates,
      f.fully_paid,
      f.partly_paid,
      f.unpaid,
      f.no_entries,
      f.pending_payments,
      f.refund_due_payments,
      yuan(f.refund_due_fen),
    ];
    addTable(
      wb,
      title,
      [t("stats.scope"), ...head],
      [[`(${scope.root.code}) ${scope.root.name}`, ...cells(data.total)]],
      [1, 2, 3, 4, 5, 18],
    );
    if (scope.drillDown)
      addSiteTable(
        wb,
        t,
        perSite,
        [...siteHead, ...head],
        data.sites,
        (r) => [...siteCells(r.site), ...cells(r)],
        [2, 3, 4, 5, 6, 19],
      );
  } else if (data.view === "candidates") {
    const head = [
      t("stats.candidates"),
      t("stats.online"),
      t("stats.group"),
      t("stats.male"),
      t("stats.female"),
      t("stats.registry"),
      t("stats.public"),
    ];
    const cells = (f: CandidateFigures) => [f.candidates, f.online, f.group, f.male, f.female, f.registry, f.public];
    const dateLabel = (d: string | null) => d ?? t("stats.no_preferred_date");
    const dates = data.dates.map((d) => d.date);
    addTable(
      wb,
      title,
      [t("stats.scope"), ...head],
      [[`(${scope.root.code}) ${scope.root.name}`, ...cells(data.total)]],
    );
    if (dates.length > 0) {
      addTable(
        wb,
        `${t("stats.preferred_dates")}`,
        [t("stats.preferred_date"), t("stats.candidates")],
        data.dates.map((d) => [dateLabel(d.date), d.candidates]),
      );
    }
    if (scope.drillDown) {
      addSiteTable(wb, t, perSite, [...siteHead, ...head, ...dates.map(dateLabel)], data.sites, (r) => [
        ...siteCells(r.site),
        ...cells(r),
        ...dates.map((d) => r.dates[d ?? ""] ?? 0),
      ]);
    }
  } else {
    addTable(
      wb,
      title,
      [
        t("stats.subject_code"),
        t("stats.subject_name"),
        t("stats.capacity"),
        t("stats.taken"),
        t("stats.remaining"),
        t("stats.level"),
      ],
      [
        [t("stats.total_capacity"), "", ...((f) => [f[0], data.total.taken, f[1], f[2]])(capacityCells(t, data.total))],
        ...data.subjects.map((s) =>
          ((f) => [s.code, s.name, f[0], s.figure.taken, f[1], f[2]])(capacityCells(t, s.figure)),
        ),
      ],
    );
    if (scope.drillDown) {
      const codes = data.subjects.map((s) => s.code);
      const head = [...siteHead, t("stats.open"), t("stats.total_capacity"), t("stats.remaining")];
      for (const s of data.subjects)
        head.push(`(${s.code}) ${t("stats.capacity")}`, `(${s.code}) ${t("stats.remaining")}`);
      addSiteTable(wb, t, perSite, head, data.sites, (r) => {
        const row: Array<string | number> = [...siteCells(r.site), r.open ? t("stats.yes") : t("stats.no")];
        const [c, rem] = capacityCells(t, r.total);
        row.push(c, rem);
        for (const code of codes) {
          const [sc, sr] = capacityCells(t, r.subjects[code]);
          row.push(sc, sr);
        }
        return row;
      });
    }
  }
}

/** The .xlsx of one view, or of all four (`"all"`), for the scope, in the viewer's language. */
export async function buildStatsWorkbook(
  ctx: AdminContext,
  scope: StatsScope,
  which: StatsView | "all",
  /** More sheets after the views' (FIN-2's export adds the batches and differences). */
  more?: (wb: ExcelJS.Workbook, t: Translate) => Promise<void>,
): Promise<Buffer> {
  const t = translator(ctx.locale);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  wb.created = new Date();
  const views = which === "all" ? STATS_VIEWS : [which];
  // One view after the other: on PGlite the queries run one at a time anyway.
  for (const v of views) writeView(wb, t, scope, await loadStatsView(ctx, scope, v));
  if (more) await more(wb, t);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function statsFileName(scope: StatsScope, which: StatsView | "all", t: Translate): string {
  const what = which === "all" ? t("stats.title") : t(`stats.view.${which}` as MessageKey);
  return `${what}-${scope.root.code}.xlsx`;
}

/** The download: the checked scope's .xlsx and its file name. */
export async function exportStatistics(ctx: AdminContext, opts: { which: StatsView | "all"; site: string | null }) {
  const scope = await resolveStatsScope(ctx, opts.site);
  const body = await buildStatsWorkbook(ctx, scope, opts.which);
  return { body, fileName: statsFileName(scope, opts.which, translator(ctx.locale)) };
}
