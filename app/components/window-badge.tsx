import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { ActionError } from "~/components/alerts";
import type { MessageKey } from "~/i18n";
import { EXTENSION_INTENT } from "~/schemas/setup";
import { useFormatDateTime, useT } from "~/utils/use-t";

export interface WindowViewData {
  kind: string;
  gated: boolean;
  status: "not_set" | "upcoming" | "open" | "closed";
  starts_at: Date | string | null;
  ends_at: Date | string | null;
}

/** WIN-3: open, or read-only with the window's dates. */
export function WindowBadge({ view }: { view: WindowViewData }) {
  const t = useT();
  if (!view.gated) return <span className="badge ok">{t("window.not_gated")}</span>;
  const label = t(`window.status.${view.status}` as MessageKey);
  return (
    <span className={`badge ${view.status === "open" ? "ok" : "warn"}`} data-window-status={view.status}>
      {label}
    </span>
  );
}

export function WindowDates({ view }: { view: WindowViewData }) {
  const t = useT();
  const fmt = useFormatDateTime();
  if (!view.gated) return <span className="muted">—</span>;
  if (!view.starts_at) return <span className="muted">{t("window.not_set")}</span>;
  if (view.kind === "card_print") return <span>{fmt(view.starts_at)}</span>;
  return (
    <span>
      {fmt(view.starts_at)} {t("common.to")} {fmt(view.ends_at)}
    </span>
  );
}

/** The banner a gated module shows above its page when its window is not open. */
export function ReadOnlyBanner({ view }: { view: WindowViewData }) {
  const t = useT();
  if (!view.gated || view.status === "open") return null;
  return (
    <div className="readonly-banner" role="status" data-window={view.kind}>
      {t("window.read_only_banner", { window: t(`window.kind.${view.kind}` as MessageKey) })}{" "}
      <WindowDates view={view} />
      <ExtensionRequest kind={view.kind} />
    </div>
  );
}

interface ExtensionState {
  canAsk: boolean;
  pending: string[];
}

/**
 * WIN-5 (issue 15 item 5): what to do about a closed window: ask the superior for more time, in
 * one step, without leaving the page; once asked, the banner says the request is waiting.
 */
function ExtensionRequest({ kind }: { kind: string }) {
  const t = useT();
  const layout = useRouteLoaderData("routes/admin") as { extension?: ExtensionState } | undefined;
  const fetcher = useFetcher<{ ok: boolean; error?: string }>();
  const ext = layout?.extension;
  if (!ext?.canAsk) return null;
  if (ext.pending.includes(kind) || fetcher.data?.ok)
    return (
      <p className="small" data-testid="extension-pending">
        {t(fetcher.data?.ok ? "window.extension_sent" : "window.extension_pending")}
      </p>
    );
  return (
    <details className="extension-request" data-testid="extension-request">
      <summary>{t("window.extension_ask")}</summary>
      <fetcher.Form method="post" action="/admin/window-extension" className="form">
        <input type="hidden" name="intent" value={EXTENSION_INTENT.request} />
        <input type="hidden" name="kind" value={kind} />
        <label>
          {t("window.extension_reason")}
          <textarea name="reason" rows={2} maxLength={500} required />
        </label>
        <label>
          {t("window.extension_wanted")}
          <input type="datetime-local" name="wanted_until" />
        </label>
        {fetcher.data && !fetcher.data.ok ? (
          <ActionError result={fetcher.data as { ok: false; error: string }} />
        ) : null}
        <button type="submit" className="primary" disabled={fetcher.state !== "idle"}>
          {t("window.extension_submit")}
        </button>
      </fetcher.Form>
    </details>
  );
}
