import type { MessageKey } from "~/i18n";
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
    </div>
  );
}
