import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { Pager } from "~/components/pager";
import { SitePageHead } from "~/components/site-page-head";
import { gradeLabel } from "~/domain/scores";
import { listScores } from "~/services/scores.server";
import { guardLoader } from "~/utils/http.server";
import { isSite, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

const PAGE = 50;

/** SCO-3 (manual §四十二): the site's imported scores, searchable; superiors read any site of their scope. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const url = new URL(request.url);
    const q = (url.searchParams.get("q") ?? "").trim().slice(0, 40);
    const subjectParam = url.searchParams.get("subject") ?? "";
    const subject = /^\d{2}$/.test(subjectParam) ? subjectParam : null;
    const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
    const list = await listScores(getDb(), ctx.sitting.id, site.id, {
      q,
      subject,
      offset: (page - 1) * PAGE,
      limit: PAGE,
    });
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      canImport: isSite(ctx),
      q,
      subject,
      page,
      pages: Math.max(1, Math.ceil(list.total / PAGE)),
      total: list.total,
      rows: list.rows,
    };
  });
}

export default function Scores() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <section>
      <SitePageHead title={t("scores.title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("scores.hint")}</p>
      {d.canImport ? (
        <p>
          <Link to="/admin/scores/import">{t("scores.import_title")}</Link>
        </p>
      ) : null}
      <Form method="get" className="form inline">
        {d.sites.length > 1 ? <input type="hidden" name="site" value={d.site.id} /> : null}
        <label>
          {t("scores.search")}
          <input name="q" defaultValue={d.q} size={18} />
        </label>
        <label>
          {t("scores.col_subject")}
          <input name="subject" defaultValue={d.subject ?? ""} size={3} inputMode="numeric" />
        </label>
        <button type="submit">{t("scores.filter")}</button>
      </Form>
      <p data-testid="score-total">{t("scores.total", { count: d.total })}</p>
      {d.rows.length ? (
        <div className="table-scroll">
          <table className="grid compact" data-testid="scores">
            <thead>
              <tr>
                <th>{t("scores.col_no")}</th>
                <th>{t("scores.col_name")}</th>
                <th>{t("scores.col_id")}</th>
                <th>{t("scores.col_subject")}</th>
                <th className="num">{t("scores.col_score")}</th>
                <th>{t("scores.col_parts")}</th>
                <th>{t("scores.col_grade")}</th>
                <th>{t("scores.col_certificate")}</th>
                <th>{t("scores.col_remark")}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((s) => (
                <tr key={s.entry_id} data-grade={s.grade_code}>
                  <td>
                    <code>{s.admission_no}</code>
                  </td>
                  <td className="nowrap">{s.name}</td>
                  <td>
                    <code>{s.id_number}</code>
                  </td>
                  <td>
                    ({s.subject_code}) {s.subject_name}
                  </td>
                  <td className="num">{s.score ?? "—"}</td>
                  <td>{s.part1 !== null || s.part2 !== null ? `${s.part1 ?? "—"} / ${s.part2 ?? "—"}` : ""}</td>
                  <td className="nowrap">{t(gradeLabel(s.grade_code))}</td>
                  <td>
                    <code>{s.certificate_no ?? ""}</code>
                  </td>
                  <td>{s.remark}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t("scores.empty")}</p>
      )}
      {d.pages > 1 ? <Pager page={d.page} pages={d.pages} /> : null}
    </section>
  );
}
