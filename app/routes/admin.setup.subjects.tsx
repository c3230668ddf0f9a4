import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { listProvinceSubjects, listSiteSubjects, listSittingSubjects } from "~db/queries/setup";
import { AppError } from "~/domain/errors";
import { canDeleteSiteSubject } from "~/domain/subject-range";
import { SitePicker } from "~/components/site-picker";
import { offerSubject } from "~/services/offer-subject.server";
import { withdrawSubject } from "~/services/withdraw-subject.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { SUBJECT_INTENT, SubjectActionSchema } from "~/schemas/subjects";
import { getWindowView, requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

interface Row {
  code: string;
  name: string;
  level: number;
  exam_start: string;
  exam_end: string;
  capacity?: number | null;
  taken?: number;
}

/** Manual §十一 (SET-2): the centre offers subjects for the sitting, a province a subset, a site a subset of its province's. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const db = getDb();
    const s = ctx.sitting.id;
    const window = await getWindowView(ctx, "pre_registration");
    const canEdit = canChange(ctx, window) && ctx.org.level !== "city";
    const province = ctx.orgPath.find((o) => o.level === "province");
    let offered: Row[] = [];
    let available: Row[] = [];
    let site: { id: number; code: string; name: string } | null = null;
    let sites: Array<{ id: number; code: string; name: string }> = [];
    if (ctx.org.level === "centre") {
      offered = await listSittingSubjects(db, s);
      const all = await db
        .selectFrom("subject")
        .select(["code", "name", "level"])
        .where("retired", "=", false)
        .orderBy("level")
        .orderBy("code")
        .execute();
      available = all.map((x) => ({ ...x, exam_start: ctx.sitting.starts_on, exam_end: ctx.sitting.ends_on }));
    } else if (ctx.org.level === "province") {
      offered = await listProvinceSubjects(db, s, ctx.org.id);
      available = await listSittingSubjects(db, s);
    } else {
      const r = await resolveSetupSite(ctx, request);
      site = { id: r.site.id, code: r.site.code, name: r.site.name };
      sites = r.sites;
      offered = await listSiteSubjects(db, s, r.site.id);
      // A site's or a city's path always runs through its province.
      available = province ? await listProvinceSubjects(db, s, province.id) : [];
    }
    const offeredCodes = new Set(offered.map((o) => o.code));
    return {
      level: ctx.org.level,
      canEdit,
      site,
      sites,
      offered: offered.map((o) => ({
        ...o,
        deletable:
          o.capacity === undefined
            ? true
            : canDeleteSiteSubject({ capacity: o.capacity ?? null, taken: o.taken ?? 0 }) === null,
      })),
      available: available.filter((a) => !offeredCodes.has(a.code)),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "pre_registration" });
    const input = await readForm(request, SubjectActionSchema);
    if (!/^\d{2}$/.test(input.code)) throw new AppError("subject.unknown", { code: input.code });
    if (input.intent === SUBJECT_INTENT.remove) await withdrawSubject(ctx, input.code);
    else await offerSubject(ctx, { code: input.code, start: input.start, end: input.end });
    return { ok: true as const };
  });
}

export default function Subjects() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const isSite = d.level === "site" || d.level === "city";
  return (
    <>
      <h1>
        {t("setup.tab.subjects")}{" "}
        {d.site ? (
          <small>
            ({d.site.code}) {d.site.name}
          </small>
        ) : null}
      </h1>
      {d.site ? <SitePicker sites={d.sites} selected={d.site.id} /> : null}
      <p className="muted">{t(`setup.subjects.hint.${d.level}`)}</p>
      <ActionError result={r} />
      <ActionNotice result={r}>{t("common.saved")}</ActionNotice>
      <h2>{t("setup.subjects.offered")}</h2>
      <table className="grid" data-testid="offered-subjects">
        <thead>
          <tr>
            <th>{t("setup.subject")}</th>
            <th>{t("setup.exam_start")}</th>
            <th>{t("setup.exam_end")}</th>
            {isSite ? (
              <>
                <th>{t("setup.capacity")}</th>
                <th>{t("setup.taken")}</th>
              </>
            ) : null}
            <th />
          </tr>
        </thead>
        <tbody>
          {d.offered.map((o) => (
            <tr key={o.code} data-code={o.code}>
              <td>
                {o.code} {o.name}
              </td>
              <td>{o.exam_start}</td>
              <td>{o.exam_end}</td>
              {isSite ? (
                <>
                  <td>{o.capacity ?? t("common.not_set")}</td>
                  <td>{o.taken}</td>
                </>
              ) : null}
              <td>
                {d.canEdit ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value={SUBJECT_INTENT.remove} />
                    <input type="hidden" name="code" value={o.code} />
                    <button
                      type="submit"
                      className="danger"
                      disabled={!o.deletable}
                      title={o.deletable ? undefined : t("subject.has_capacity", { code: o.code })}
                    >
                      {t("common.delete")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
          {d.offered.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                {t("setup.subjects.none")}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {d.canEdit ? (
        <>
          <h2>{t("setup.subjects.add")}</h2>
          <table className="grid" data-testid="available-subjects">
            <thead>
              <tr>
                <th>{t("setup.subject")}</th>
                <th>{t("setup.range_above")}</th>
                <th>{t("setup.exam_start")}</th>
                <th>{t("setup.exam_end")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.available.map((a) => (
                <tr key={a.code} data-code={a.code}>
                  <td>
                    {a.code} {a.name}
                  </td>
                  <td className="muted small">
                    {a.exam_start} {t("common.to")} {a.exam_end}
                  </td>
                  <td colSpan={3}>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="intent" value={SUBJECT_INTENT.add} />
                      <input type="hidden" name="code" value={a.code} />
                      <input
                        type="date"
                        name="start"
                        defaultValue={a.exam_start}
                        min={a.exam_start}
                        max={a.exam_end}
                        required
                        aria-label={t("setup.exam_start")}
                      />
                      <input
                        type="date"
                        name="end"
                        defaultValue={a.exam_end}
                        min={a.exam_start}
                        max={a.exam_end}
                        required
                        aria-label={t("setup.exam_end")}
                      />
                      <button type="submit">{t("common.add")}</button>
                    </Form>
                  </td>
                </tr>
              ))}
              {d.available.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    {t("setup.subjects.none_available")}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
