import { roleLabel } from "~/domain/permissions";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { ActionError, ActionNotice } from "~/components/alerts";
import { listPendingExtensionsOfChildren } from "~db/queries/window-extensions";
import { EXTENSION_INTENT } from "~/schemas/setup";
import { getEnv } from "~/utils/env.server";
import { getDb } from "~db/client";
import { findOrgSitting, listChildren } from "~db/queries/orgs";
import { formatWallClock, WINDOW_KINDS } from "~/domain/windows";
import {
  readinessLink,
  registrationReadinessLink,
  type ReadinessItem,
  type RegistrationReadinessItem,
} from "~/domain/readiness";
import { readinessOf } from "~/services/readiness.server";
import { financeOverview } from "~/services/finance-home.server";
import { formatYuan } from "~/domain/fees";
import { accountTypeLabel } from "~/domain/settlement-accounts";
import type { MessageKey } from "~/i18n";
import { WindowBadge, WindowDates } from "~/components/window-badge";
import { guardLoader } from "~/utils/http.server";
import { can, getWindowViews, requireCapability } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** The welcome page of manual §六 4: organisation, role, sitting, and every window with its state. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "overview");
    const now = new Date();
    const windows = await getWindowViews(ctx, WINDOW_KINDS, now);
    const state = await findOrgSitting(getDb(), ctx.org.id, ctx.sitting.id);
    const children = await listChildren(getDb(), ctx.org.id, ctx.sitting.id);
    const readiness = ctx.sitting.is_current ? await readinessOf(ctx.sitting.id, ctx.org.id) : [];
    // WIN-5: what its organisations asked for, on the superior's first page.
    const tz = getEnv().timeZone;
    const extensions =
      ctx.org.level !== "site" && ctx.sitting.is_current && can(ctx, "manage")
        ? (await listPendingExtensionsOfChildren(getDb(), ctx.sitting.id, ctx.org.id)).map((r) => ({
            ...r,
            until: r.wanted_until ? formatWallClock(r.wanted_until, tz).replace(" ", "T") : "",
          }))
        : [];
    return {
      // Issue 20 item 5: finance staff open to their money first.
      finance: ctx.role === "finance" ? await financeOverview(ctx) : null,
      readiness,
      extensions,
      // ORG-11: the registration gaps link to candidate lists; finance staff see the counts only.
      gapLinks: can(ctx, "personal_data"),
      org: { name: ctx.org.name, code: ctx.org.code, level: ctx.org.level },
      role: ctx.role,
      sitting: { code: ctx.sitting.code, name: ctx.sitting.name, is_current: ctx.sitting.is_current },
      enabled: state?.enabled ?? false,
      address: state?.address ?? "",
      windows,
      children: { total: children.length, enabled: children.filter((c) => c.enabled).length },
    };
  });
}

export default function AdminHome() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <section>
      <h1>{t("home.welcome")}</h1>
      {d.finance ? <FinanceHome f={d.finance} /> : null}
      {params.get("changed") ? (
        <p className="notice" role="status">
          {t("password.changed")}
        </p>
      ) : null}
      <table className="info-table" aria-label={t("home.basic_info")}>
        <caption>{t("home.basic_info")}</caption>
        <tbody>
          <tr>
            <th>{t("home.org")}</th>
            <td data-testid="home-org">
              {d.org.name} ({d.org.code})
            </td>
          </tr>
          <tr>
            <th>{t("home.role")}</th>
            <td>{t(roleLabel(d.role, d.org.level))}</td>
          </tr>
          <tr>
            <th>{t("home.sitting")}</th>
            <td>
              ({d.sitting.code}) {d.sitting.name}
              {d.sitting.is_current ? "" : ` · ${t("sitting.past")}`}
            </td>
          </tr>
          <tr>
            <th>{t("home.enabled")}</th>
            <td>{d.enabled ? t("common.yes") : t("common.no")}</td>
          </tr>
          {d.org.level === "site" ? (
            <tr>
              <th>{t("org.address")}</th>
              <td>{d.address || <span className="warn-text">{t("common.not_set")}</span>}</td>
            </tr>
          ) : null}
          {d.org.level !== "site" ? (
            <tr>
              <th>{t("home.subordinates")}</th>
              <td>{t("home.subordinates_count", { total: d.children.total, enabled: d.children.enabled })}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <ExtensionRequests requests={d.extensions} />
      {/* Issue 15 item 5: a past sitting is looked back at (ORG-7): no "before registration" to-do list. */}
      {d.sitting.is_current ? (
        <>
          <Readiness level={d.org.level} sites={d.readiness} />
          <RegistrationGaps level={d.org.level} sites={d.readiness} links={d.gapLinks} />
        </>
      ) : null}
      <h2>{t("home.windows")}</h2>
      <table className="grid" data-testid="home-windows">
        <thead>
          <tr>
            <th>{t("window.window")}</th>
            <th>{t("window.dates")}</th>
            <th>{t("window.state")}</th>
          </tr>
        </thead>
        <tbody>
          {d.windows.map((w) => (
            <tr key={w.kind} data-kind={w.kind}>
              <th scope="row">{t(`window.kind.${w.kind}` as MessageKey)}</th>
              <td>
                <WindowDates view={w} />
              </td>
              <td>
                <WindowBadge view={w} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t("home.windows_hint")}</p>
    </section>
  );
}

type Gap = { item: RegistrationReadinessItem; count: number; candidates: number };
type ReadinessSite = {
  id: number;
  code: string;
  name: string;
  open: boolean;
  missing: ReadinessItem[];
  subjects: Partial<Record<ReadinessItem, string[]>>;
  registration: Gap[];
};

/** X-6 (second part): before allocation, what registration has left open, each linking to the search that lists it. */
function RegistrationGaps({ level, sites, links }: { level: string; sites: ReadinessSite[]; links: boolean }) {
  const t = useT();
  const to = (href: string, text: string, attrs: Record<string, string | number> = {}) =>
    links ? (
      <Link to={href} {...attrs}>
        {text}
      </Link>
    ) : (
      <span {...attrs}>{text}</span>
    );
  const withGaps = sites.filter((s) => s.registration.length > 0);
  if (withGaps.length === 0) return null;
  const label = (g: Gap) => t(`readiness.reg.${g.item}`, { count: g.count, candidates: g.candidates });
  if (level === "site") {
    return (
      <section className="readiness" data-testid="registration-gaps">
        <h2>{t("readiness.reg.title")}</h2>
        <ul>
          {withGaps[0].registration.map((g) => (
            <li key={g.item} data-gap={g.item} data-count={g.count}>
              {to(registrationReadinessLink(g.item), label(g))}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <section className="readiness" data-testid="registration-gaps-rollup">
      <h2>{t("readiness.reg.title")}</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>{t("setup.site")}</th>
            <th>{t("readiness.reg.open_items")}</th>
          </tr>
        </thead>
        <tbody>
          {withGaps.map((s) => (
            <tr key={s.id} data-site={s.code}>
              <td>
                ({s.code}) {s.name}
              </td>
              <td>
                {s.registration.map((g, i) => (
                  <span key={g.item}>
                    {i > 0 ? "；" : ""}
                    {to(registrationReadinessLink(g.item, s.id), label(g), {
                      "data-gap": g.item,
                      "data-count": g.count,
                    })}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** a site sees what it still lacks before registration; superiors see the roll-up over their sites. */
function Readiness({ level, sites }: { level: string; sites: ReadinessSite[] }) {
  const t = useT();
  if (level === "site") {
    const me = sites[0];
    if (!me) return null;
    return (
      <section className="readiness" data-testid="readiness">
        <h2>{t("readiness.title")}</h2>
        {!me.open ? (
          <p className="muted">{t("readiness.not_open")}</p>
        ) : me.missing.length === 0 ? (
          <p className="ok-text" data-ready="true">
            {t("readiness.ready")}
          </p>
        ) : (
          <ul>
            {me.missing.map((m) => (
              <li key={m} data-missing={m}>
                <Link to={readinessLink(m)}>{t(`readiness.item.${m}`)}</Link>
                <SubjectsClosed codes={me.subjects[m]} />
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  }
  const open = sites.filter((s) => s.open);
  const notReady = open.filter((s) => s.missing.length > 0);
  return (
    <section className="readiness" data-testid="readiness-rollup">
      <h2>{t("readiness.title")}</h2>
      <p data-ready-count={open.length - notReady.length} data-site-count={open.length}>
        {t("readiness.rollup", { ready: open.length - notReady.length, total: open.length })}
      </p>
      {notReady.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th>{t("setup.site")}</th>
              <th>{t("readiness.missing")}</th>
            </tr>
          </thead>
          <tbody>
            {notReady.map((s) => (
              <tr key={s.id} data-site={s.code}>
                <td>
                  ({s.code}) {s.name}
                </td>
                <td>
                  {s.missing.map((m, i) => (
                    <span key={m}>
                      {i > 0 ? "；" : ""}
                      <Link to={readinessLink(m, s.id)} data-missing={m}>
                        {t(`readiness.item.${m}`)}
                      </Link>
                      <SubjectsClosed codes={s.subjects[m]} />
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

type ExtensionRow = ReturnType<typeof useLoaderData<typeof loader>>["extensions"][number];

/** WIN-5: requests for more time from this organisation's subordinates: approve (until when) or decline. */
function ExtensionRequests({ requests }: { requests: ExtensionRow[] }) {
  const t = useT();
  const fmt = useFormatDateTime();
  // One fetcher for every row, so its answer stays on the page after the answered row leaves the list.
  const fetcher = useFetcher<{ ok: boolean; intent?: string; error?: string }>({ key: "extension-decision" });
  const [last, setLast] = useState<string>("");
  if (requests.length === 0 && !fetcher.data) return null;
  return (
    <section className="readiness" data-testid="extension-requests">
      <h2>{t("window.extension_title")}</h2>
      <ActionError result={fetcher.data?.ok === false ? (fetcher.data as { ok: false; error: string }) : null} />
      <ActionNotice result={fetcher.data?.ok ? fetcher.data : null}>
        {t(
          fetcher.data?.intent === EXTENSION_INTENT.approve ? "window.extension_approved" : "window.extension_declined",
          {
            org: last,
          },
        )}
      </ActionNotice>
      <ul>
        {requests.map((r) => (
          <li key={r.id} data-org={r.org_code} data-kind={r.kind}>
            <p>
              {t("window.extension_row", {
                org: `${r.org_name} (${r.org_code})`,
                window: t(`window.kind.${r.kind}` as MessageKey),
                reason: r.reason,
              })}{" "}
              <span className="small muted">
                {t("window.extension_by", { name: r.requested_by_name, at: fmt(r.created_at) })}
              </span>
            </p>
            <fetcher.Form
              method="post"
              action="/admin/window-extension"
              className="form inline"
              onSubmit={() => setLast(`${r.org_name} (${r.org_code})`)}
            >
              <input type="hidden" name="requestId" value={r.id} />
              <label>
                {t("window.extension_until")}
                <input type="datetime-local" name="until" defaultValue={r.until} />
              </label>
              <button type="submit" name="intent" value={EXTENSION_INTENT.approve} className="primary">
                {t("window.extension_approve")}
              </button>
              <label>
                {t("window.extension_note")}
                <input name="note" maxLength={500} />
              </label>
              <button type="submit" name="intent" value={EXTENSION_INTENT.decline} className="danger">
                {t("window.extension_decline")}
              </button>
            </fetcher.Form>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** CAN-2 (issue 15 item 5): which subjects a readiness item keeps from candidates. */
function SubjectsClosed({ codes }: { codes?: string[] }) {
  const t = useT();
  if (!codes?.length) return null;
  return (
    <span className="small muted" data-subjects={codes.join(",")}>
      {" "}
      {t("readiness.subjects_closed", { codes })}
    </span>
  );
}

/** Issue 20 item 5: the accounts, today's payments, differences to resolve and refunds due, each with its page. */
function FinanceHome({ f }: { f: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["finance"]> }) {
  const t = useT();
  const yuan = (fen: number) => `¥${formatYuan(fen)}`;
  return (
    <div className="finance-home" data-testid="finance-home">
      <section>
        <h2>{t("finance.home_today")}</h2>
        <p data-testid="finance-today">
          {t("finance.home_today_figures", { count: f.today.count, amount: yuan(f.today.fen) })}{" "}
          <Link to="/admin/finance/payments">{t("finance.payments_title")}</Link>
        </p>
      </section>
      <section>
        <h2>{t("finance.home_differences")}</h2>
        <p data-testid="finance-differences" className={f.differences ? "notice warning" : undefined}>
          {f.differences ? t("finance.differences", { count: f.differences }) : t("finance.no_differences")}{" "}
          <Link to="/admin/finance/payments#reconciliation">{t("finance.home_go")}</Link>
        </p>
      </section>
      <section>
        <h2>{t("finance.home_refunds")}</h2>
        <p data-testid="finance-refunds" className={f.refunds.count ? "notice warning" : undefined}>
          {t("finance.home_refunds_figures", { count: f.refunds.count, amount: yuan(f.refunds.fen) })}{" "}
          <Link to="/admin/finance/refunds">{t("finance.home_go")}</Link>
        </p>
      </section>
      {f.site ? (
        <section>
          <h2>{t("finance.home_accounts")}</h2>
          {f.accounts.length === 0 ? (
            <p className="muted" data-testid="finance-accounts">
              {t("finance.home_no_accounts")} <Link to="/admin/finance/accounts">{t("accounts.title")}</Link>
            </p>
          ) : (
            <table className="grid compact" data-testid="finance-accounts">
              <tbody>
                {f.accounts.map((a) => (
                  <tr key={a.id}>
                    <td>{a.bank}</td>
                    <td>{a.account_name}</td>
                    <td className="mono">{a.account_no}</td>
                    <td>{t(accountTypeLabel(a.account_type))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  );
}
