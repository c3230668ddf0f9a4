import { Link } from "@remix-run/react";
import { navLabel } from "~/navigation";
import { Fragment, type ReactElement, type ReactNode } from "react";
import { CountBars, PieSlices, SubjectStack } from "~/components/stats-charts";
import { formatYuan } from "~/domain/fees";
import { CAPACITY_LEVELS, groupBy, type CapacityFigure, type StatsView } from "~/domain/statistics";
import type { MessageKey } from "~/i18n";
import type { loader } from "~/routes/admin.stats";
import type { useLoaderData } from "@remix-run/react";
import type { useT } from "~/utils/use-t";

// The statistics page's panels (manual §二十八, §二十九; MGT-6): one per view, with the per-site
// breakdown and the capacity cells, so that the route keeps only its loader and layout.

export type Data = ReturnType<typeof useLoaderData<typeof loader>>;
export type Scope = Data["scope"];
export type T = ReturnType<typeof useT>;

export const VIEW_KEY: Record<StatsView, MessageKey> = {
  entries: "stats.view.entries",
  payments: "stats.view.payments",
  candidates: "stats.view.candidates",
  capacity: "stats.view.capacity",
};

export function query(view: StatsView, site?: number | null) {
  const p = new URLSearchParams({ view });
  if (site) p.set("site", String(site));
  return `?${p}`;
}

export const yuan = (fen: number) => `¥${formatYuan(fen)}`;
export const pct = (n: number | null) => (n === null ? "—" : `${n}%`);

export type ViewData<V extends StatsView> = Extract<Data["data"], { view: V }>;
type SiteOf<V extends StatsView> = ViewData<V>["sites"][number];

type SiteRow = { site: Scope["sites"][number] };

export function SiteCell({ site, view }: { site: SiteRow["site"]; view: StatsView }) {
  return (
    <th scope="row">
      <Link to={query(view, site.id)}>
        ({site.code}) {site.name}
      </Link>
      {site.city ? <div className="muted small">{site.city}</div> : null}
    </th>
  );
}

/** A column of the per-site table: its header (`th.num`) and each site's cell, the content of a `td.num` or a whole cell (`td`). */
type SiteColumn<R> = {
  key: string;
  header: ReactNode;
  title?: string;
  /** A city's subtotal of this column (issue 15 item 9); columns without one stay empty there. */
  total?: (rows: R[]) => ReactNode;
} & ({ cell: (row: R) => ReactNode } | { td: (row: R) => ReactElement });

type NumberField<R> = { [K in keyof R]: R[K] extends number ? K : never }[keyof R] & string;
/** One figure of a row: its field, its label, and how to show it (as it is, unless told). */
type Figure<R> = [field: NumberField<R>, label: MessageKey, format?: (n: number) => string];

function show<R>(row: R, field: NumberField<R>, format?: (n: number) => string) {
  const n = row[field] as number;
  return format ? format(n) : n;
}

/** Columns of one figure each of the sites' rows. */
function figureColumns<R>(t: T, figures: Array<Figure<R>>): Array<SiteColumn<R>> {
  return figures.map(([field, label, format]) => ({
    key: field,
    header: t(label),
    cell: (r: R) => show(r, field, format),
    total: (rows: R[]) => {
      const n = rows.reduce((sum, r) => sum + (r[field] as number), 0);
      return format ? format(n) : n;
    },
  }));
}

/**
 * The drill-down for superiors (§二十八 3, §二十九 3): a row a site, its name linking to its own
 * figures. `groups` head pairs of columns in a first header row; `closed` gives, for a site that
 * does not open this sitting, the note shown across its row instead of its cells.
 */
export function SiteBreakdown<R extends SiteRow>({
  scope,
  view,
  rows,
  columns,
  groups,
  closed,
  t,
}: {
  scope: Scope;
  view: StatsView;
  rows: R[];
  columns: Array<SiteColumn<R>>;
  groups?: Array<{ key: string; header: ReactNode; title?: string; span: number }>;
  closed?: (row: R) => string | null;
  t: T;
}) {
  if (!scope.drillDown) return null;
  // Issue 15 item 9: a province's sites in their cities, each city with its subtotal.
  const byCity = groupBy(rows, (r) => r.site.city);
  const siteHeader = <th rowSpan={groups ? 2 : undefined}>{t("stats.site")}</th>;
  const headers = columns.map((c) => (
    <th key={c.key} className="num" title={c.title}>
      {c.header}
    </th>
  ));
  return (
    <div className="stats-scroll">
      <table className="grid compact stats-table" data-testid="stats-sites">
        <caption>{t("stats.by_site_caption")}</caption>
        <thead>
          {groups ? (
            <>
              <tr>
                {siteHeader}
                {groups.map((g) => (
                  <th key={g.key} colSpan={g.span} title={g.title}>
                    {g.header}
                  </th>
                ))}
              </tr>
              <tr>{headers}</tr>
            </>
          ) : (
            <tr>
              {siteHeader}
              {headers}
            </tr>
          )}
        </thead>
        <tbody>
          {[...byCity.entries()].map(([city, cityRows]) => (
            <Fragment key={city ?? ""}>
              {cityRows.map((r) => siteRow(r))}
              {byCity.size > 1 ? (
                <tr className="subtotal" data-city={city ?? ""}>
                  <th scope="row">{t("stats.city_subtotal", { city: city ?? "—" })}</th>
                  {columns.map((c) => (
                    <td key={c.key} className="num">
                      {c.total ? c.total(cityRows.filter((r) => (closed?.(r) ?? null) === null)) : null}
                    </td>
                  ))}
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );

  function siteRow(r: R) {
    const note = closed?.(r) ?? null;
    return (
      <tr key={r.site.id} data-site={r.site.code} className={note === null ? undefined : "cap-closed-site"}>
        <SiteCell site={r.site} view={view} />
        {note === null ? (
          columns.map((c) =>
            "td" in c ? (
              <Fragment key={c.key}>{c.td(r)}</Fragment>
            ) : (
              <td key={c.key} className="num">
                {c.cell(r)}
              </td>
            ),
          )
        ) : (
          <td colSpan={columns.length} className="muted">
            {note}
          </td>
        )}
      </tr>
    );
  }
}

export function EntriesPanel({ data, scope, t }: { data: ViewData<"entries">; scope: Scope; t: T }) {
  const columns = [
    ...figureColumns<SiteOf<"entries">>(t, [
      ["entries", "stats.entries"],
      ["paid", "stats.paid_entries"],
      ["unpaid", "stats.unpaid_entries"],
    ]),
    ...data.subjects.map((s): SiteColumn<SiteOf<"entries">> => ({
      key: s.code,
      header: <>({s.code})</>,
      title: s.name,
      cell: (r) => r.bySubject[s.code] ?? 0,
    })),
  ];
  return (
    <>
      <SubjectStack
        title={t("stats.chart.entries")}
        subjects={data.subjects}
        series={[
          { key: "paid", label: t("stats.paid_entries") },
          { key: "unpaid", label: t("stats.unpaid_entries") },
        ]}
      />
      <table className="grid stats-table" data-testid="stats-entries">
        <caption>{t("stats.entries_by_subject")}</caption>
        <thead>
          <tr>
            <th>{t("stats.subject")}</th>
            <th className="num">{t("stats.entries")}</th>
            <th className="num">{t("stats.paid_entries")}</th>
            <th className="num">{t("stats.unpaid_entries")}</th>
            <th className="num">{t("stats.paid_rate")}</th>
          </tr>
        </thead>
        <tbody>
          {data.subjects.map((s) => (
            <tr key={s.code} data-code={s.code}>
              <th scope="row">
                ({s.code}) {s.name}
              </th>
              <td className="num">{s.entries}</td>
              <td className="num">{s.paid}</td>
              <td className="num">{s.unpaid}</td>
              <td className="num">{pct(s.paidRate)}</td>
            </tr>
          ))}
          {data.subjects.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                {t("stats.no_data")}
              </td>
            </tr>
          ) : null}
        </tbody>
        <tfoot>
          <tr className="total-row" data-code="total">
            <th scope="row">{t("stats.total")}</th>
            <td className="num">{data.total.entries}</td>
            <td className="num">{data.total.paid}</td>
            <td className="num">{data.total.unpaid}</td>
            <td className="num">{pct(data.total.paidRate)}</td>
          </tr>
        </tfoot>
      </table>
      <SiteBreakdown scope={scope} view="entries" rows={data.sites} columns={columns} t={t} />
    </>
  );
}

export function PaymentsPanel({ data, scope, t }: { data: ViewData<"payments">; scope: Scope; t: T }) {
  const f = data.total;
  const lines: Array<Figure<typeof f>> = [
    ["paid_fen", "stats.paid_fen", yuan],
    ["individual_fen", "stats.individual_fen", yuan],
    ["group_fen", "stats.group_fen", yuan],
    ["per_person_fen", "stats.per_person_fen", yuan],
    ["subject_fen", "stats.subject_fen", yuan],
    ["paid_payments", "stats.paid_payments"],
    ["individual_payments", "stats.individual_payments"],
    ["group_payments", "stats.group_payments"],
    ["paid_entries", "stats.paid_entries"],
    ["unpaid_entries", "stats.unpaid_entries"],
    ["candidates", "stats.candidates"],
    ["fully_paid", "stats.fully_paid"],
    ["partly_paid", "stats.partly_paid"],
    ["unpaid", "stats.not_paid"],
    ["no_entries", "stats.no_entries"],
    ["pending_payments", "stats.pending_payments"],
    ["refund_due_payments", "stats.refund_due_payments"],
    ["refund_due_fen", "stats.refund_due_fen", yuan],
  ];
  const columns = figureColumns<SiteOf<"payments">>(t, [
    ["paid_fen", "stats.paid_fen", yuan],
    ["individual_fen", "stats.individual_fen", yuan],
    ["group_fen", "stats.group_fen", yuan],
    ["paid_entries", "stats.paid_entries"],
    ["unpaid_entries", "stats.unpaid_entries"],
    ["candidates", "stats.candidates"],
    ["fully_paid", "stats.fully_paid"],
    ["partly_paid", "stats.partly_paid"],
    ["unpaid", "stats.not_paid"],
    ["pending_payments", "stats.pending_payments"],
    ["refund_due_fen", "stats.refund_due_fen", yuan],
  ]);
  return (
    <>
      <div className="stats-charts">
        <PieSlices
          title={t("stats.chart.money")}
          format={yuan}
          slices={[
            { label: t("stats.individual_fen"), value: f.individual_fen },
            { label: t("stats.group_fen"), value: f.group_fen },
          ]}
        />
        <CountBars
          title={t("stats.chart.paid_state")}
          label={t("stats.candidates")}
          bars={[
            { label: t("stats.fully_paid"), value: f.fully_paid },
            { label: t("stats.partly_paid"), value: f.partly_paid },
            { label: t("stats.not_paid"), value: f.unpaid },
            { label: t("stats.no_entries"), value: f.no_entries },
          ]}
        />
      </div>
      <table className="info-table stats-table" data-testid="stats-payments">
        <caption>{t("stats.payments_caption")}</caption>
        <tbody>
          {lines.map(([field, label, format]) => (
            <tr key={label} data-figure={field}>
              <th scope="row">{t(label)}</th>
              <td className="num">{show(f, field, format)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t("stats.payments_hint")}</p>
      <SiteBreakdown scope={scope} view="payments" rows={data.sites} columns={columns} t={t} />
    </>
  );
}

export function CandidatesPanel({ data, scope, t }: { data: ViewData<"candidates">; scope: Scope; t: T }) {
  const f = data.total;
  const share = (n: number) => (f.candidates > 0 ? `${Math.round((n / f.candidates) * 1000) / 10}%` : "—");
  const groups: Array<[MessageKey, Array<[MessageKey, number, string]>]> = [
    [
      "stats.by_channel",
      [
        ["stats.online", f.online, "online"],
        ["stats.group", f.group, "group"],
      ],
    ],
    [
      "stats.by_gender",
      [
        ["stats.male", f.male, "male"],
        ["stats.female", f.female, "female"],
      ],
    ],
    [
      "stats.by_registry",
      [
        ["stats.registry", f.registry, "registry"],
        ["stats.public", f.public, "public"],
      ],
    ],
  ];
  const dateLabel = (d: string | null) => d ?? t("stats.no_preferred_date");
  const withDate = data.dates.filter((d) => d.date !== null);
  const columns = [
    ...figureColumns<SiteOf<"candidates">>(t, [
      ["candidates", "stats.candidates"],
      ["online", "stats.online"],
      ["group", "stats.group"],
      ["male", "stats.male"],
      ["female", "stats.female"],
      ["registry", "stats.registry"],
      ["public", "stats.public"],
    ]),
    ...withDate.map((d): SiteColumn<SiteOf<"candidates">> => ({
      key: d.date ?? "",
      header: d.date,
      cell: (r) => r.dates[d.date ?? ""] ?? 0,
    })),
  ];
  return (
    <>
      <div className="stats-charts">
        <PieSlices
          title={t("stats.by_channel")}
          slices={[
            { label: t("stats.online"), value: f.online },
            { label: t("stats.group"), value: f.group },
          ]}
        />
        <PieSlices
          title={t("stats.by_gender")}
          slices={[
            { label: t("stats.male"), value: f.male },
            { label: t("stats.female"), value: f.female },
          ]}
        />
        <PieSlices
          title={t("stats.by_registry")}
          slices={[
            { label: t("stats.registry"), value: f.registry },
            { label: t("stats.public"), value: f.public },
          ]}
        />
        {withDate.length > 0 ? (
          <CountBars
            title={t("stats.preferred_dates")}
            label={t("stats.candidates")}
            bars={withDate.map((d) => ({ label: dateLabel(d.date), value: d.candidates }))}
          />
        ) : null}
      </div>
      <table className="grid stats-table narrow" data-testid="stats-candidates">
        <caption>{t("stats.candidates_caption")}</caption>
        <thead>
          <tr>
            <th />
            <th className="num">{t("stats.candidates")}</th>
            <th className="num">{t("stats.share")}</th>
          </tr>
        </thead>
        <tbody>
          <tr className="total-row" data-figure="candidates">
            <th scope="row">{t("stats.total")}</th>
            <td className="num">{f.candidates}</td>
            <td className="num">{f.candidates > 0 ? "100%" : "—"}</td>
          </tr>
          {groups.map(([group, rows]) =>
            rows.map(([key, n, name], i) => (
              <tr key={key} data-figure={name}>
                <th scope="row">
                  {i === 0 ? <span className="muted">{t(group)} · </span> : null}
                  {t(key)}
                </th>
                <td className="num">{n}</td>
                <td className="num">{share(n)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <h2>{t("stats.preferred_dates")}</h2>
      {data.dates.length === 0 ? (
        <p className="muted">{t("stats.no_data")}</p>
      ) : (
        <table className="grid stats-table narrow" data-testid="stats-dates">
          <thead>
            <tr>
              <th>{t("stats.preferred_date")}</th>
              <th className="num">{t("stats.candidates")}</th>
            </tr>
          </thead>
          <tbody>
            {data.dates.map((d) => (
              <tr key={d.date ?? "none"} data-date={d.date ?? "none"}>
                <th scope="row">{dateLabel(d.date)}</th>
                <td className="num">{d.candidates}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SiteBreakdown scope={scope} view="candidates" rows={data.sites} columns={columns} t={t} />
    </>
  );
}

export const LEVEL_KEY = (level: CapacityFigure["level"]) => `stats.level.${level}` as MessageKey;

/** §二十九 4: the remaining capacity, coloured by level and labelled in words (never by colour alone). */
export function RemainingCell({ f, t }: { f: CapacityFigure | undefined; t: T }) {
  if (!f) return <td className="num muted">—</td>;
  const label = t(LEVEL_KEY(f.level));
  const value = f.unlimited ? t("stats.unlimited") : f.remaining === null ? "" : String(f.remaining);
  return (
    <td className={`num cap-cell cap-${f.level}`} data-level={f.level} title={label}>
      {value}
      {value ? " " : ""}
      <span className="cap-tag">{label}</span>
    </td>
  );
}

export function CapacityCell({ f, t }: { f: CapacityFigure | undefined; t: T }) {
  if (!f) return <td className="num muted">—</td>;
  return (
    <td className="num">
      {f.unlimited ? t("stats.unlimited") : f.capacity === null ? t("stats.not_set") : f.capacity}
    </td>
  );
}

export function CapacityPanel({ data, scope, t }: { data: ViewData<"capacity">; scope: Scope; t: T }) {
  const drawable = data.subjects
    .filter((s) => !s.figure.unlimited && s.figure.capacity !== null && s.figure.capacity > 0)
    .map((s) => ({ code: s.code, name: s.name, taken: s.figure.taken, remaining: s.figure.remaining ?? 0 }));
  // Per site: the capacity and the remaining seats of its total and of each subject, in pairs.
  const pair = (
    key: string,
    figure: (r: SiteOf<"capacity">) => CapacityFigure | undefined,
  ): Array<SiteColumn<SiteOf<"capacity">>> => [
    { key: `${key}c`, header: t("stats.capacity"), td: (r) => <CapacityCell f={figure(r)} t={t} /> },
    { key: `${key}r`, header: t("stats.remaining"), td: (r) => <RemainingCell f={figure(r)} t={t} /> },
  ];
  const columns = [
    pair("total", (r) => r.total),
    ...data.subjects.map((s) => pair(s.code, (r) => r.subjects[s.code])),
  ].flat();
  const groups = [
    { key: "total", header: t("stats.total_capacity"), span: 2 },
    ...data.subjects.map((s) => ({
      key: s.code,
      header: (
        <>
          ({s.code}) {s.name}
        </>
      ),
      title: s.name,
      span: 2,
    })),
  ];
  return (
    <>
      {!scope.drillDown && data.sites[0] && !data.sites[0].open ? (
        <p className="notice">{t("stats.site_closed")}</p>
      ) : null}
      {/* Subjects with a finite capacity only: unlimited or unset ones have nothing to draw. */}
      <SubjectStack
        title={t("stats.chart.capacity")}
        subjects={drawable}
        series={[
          { key: "taken", label: t("stats.taken") },
          { key: "remaining", label: t("stats.remaining") },
        ]}
      />
      <ul className="cap-legend" aria-label={t("stats.legend")}>
        {CAPACITY_LEVELS.map((level) => (
          <li key={level}>
            <span className={`cap-swatch cap-${level}`} aria-hidden="true" /> <strong>{t(LEVEL_KEY(level))}</strong>{" "}
            {t(`stats.level_hint.${level}` as MessageKey)}
          </li>
        ))}
      </ul>
      <table className="grid stats-table" data-testid="stats-capacity">
        <caption>{t("stats.capacity_caption")}</caption>
        <thead>
          <tr>
            <th>{t("stats.subject")}</th>
            <th className="num">{t("stats.capacity")}</th>
            <th className="num">{t("stats.taken")}</th>
            <th className="num">{t("stats.remaining")}</th>
          </tr>
        </thead>
        <tbody>
          <tr className="total-row" data-code="total">
            <th scope="row">{t("stats.total_capacity")}</th>
            <CapacityCell f={data.total} t={t} />
            <td className="num">{data.total.taken}</td>
            <RemainingCell f={data.total} t={t} />
          </tr>
          {data.subjects.map((s) => (
            <tr key={s.code} data-code={s.code}>
              <th scope="row">
                ({s.code}) {s.name}
              </th>
              <CapacityCell f={s.figure} t={t} />
              <td className="num">{s.figure.taken}</td>
              <RemainingCell f={s.figure} t={t} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {t("stats.capacity_hint", {
          group: t("nav.group.pre_registration"),
          page: t(navLabel("/admin/setup/capacity")),
        })}
      </p>
      <SiteBreakdown
        scope={scope}
        view="capacity"
        rows={data.sites}
        columns={columns}
        groups={groups}
        t={t}
        closed={(r) => (r.open ? null : t("stats.site_closed"))}
      />
    </>
  );
}
