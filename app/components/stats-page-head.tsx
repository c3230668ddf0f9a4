import { Form, Link, useNavigation } from "@remix-run/react";
import { useFormatDateTime, useT } from "~/utils/use-t";

/**
 * The head of a statistics page over a scope (VIO-2, SCO-3): its title with the scope, the way back
 * to the viewer's own scope when narrowed to a site, refresh, when the figures were read, and export.
 */
export function StatsPageHead({
  title,
  scope,
  viewer,
  generatedAt,
  exportHref,
  exportLabel,
  hint,
}: {
  title: string;
  scope: { root: { id: number; code: string; name: string }; narrowed: boolean };
  viewer: { code: string; name: string };
  generatedAt: string | Date;
  exportHref: string;
  exportLabel: string;
  hint: string;
}) {
  const t = useT();
  const fmt = useFormatDateTime();
  const navigation = useNavigation();
  const site = scope.narrowed ? String(scope.root.id) : null;
  return (
    <>
      <h1>
        {title}{" "}
        <small>
          ({scope.root.code}) {scope.root.name}
        </small>
      </h1>
      {scope.narrowed ? (
        <p className="stats-crumb">
          <Link to="?">
            ← ({viewer.code}) {viewer.name}
          </Link>
        </p>
      ) : null}
      <div className="stats-toolbar">
        <Form method="get" className="stats-refresh">
          {site ? <input type="hidden" name="site" value={site} /> : null}
          <button type="submit" disabled={navigation.state !== "idle"}>
            {t("stats.refresh")}
          </button>
        </Form>
        <span className="muted small">{t("stats.generated_at", { at: fmt(generatedAt) })}</span>
        <a href={`${exportHref}${site ? `?site=${site}` : ""}`} download>
          {exportLabel}
        </a>
      </div>
      <p className="muted small">{hint}</p>
    </>
  );
}
