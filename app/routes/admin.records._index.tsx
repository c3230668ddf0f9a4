import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "~db/client";
import { searchRecords, siteCodesById, type RecordFilter } from "~db/queries/student-records";
import { codeOptions, nameOf } from "~templates/code-tables";
import { maskBirthDate, maskIdNumber } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { Pager } from "~/components/pager";
import { ReadOnlyBanner } from "~/components/window-badge";
import { formatEligibleSites, parseStudentRecordForm } from "~/domain/student-record";
import { addStudentRecord } from "~/services/add-student-record.server";
import { deleteAllMatching, deleteStudentRecord } from "~/services/delete-student-records.server";
import { updateStudentRecord } from "~/services/update-student-record.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { RECORD_INTENT, RecordActionSchema } from "~/schemas/student-records";
import { renderMessage } from "~/utils/i18n.server";
import { getT } from "~/utils/i18n.server";
import {
  getWindowView,
  requireAdminMutation,
  canChange,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { searchParamsOf } from "~/utils/private-search.server";
import { ActionError, ActionNotice } from "~/components/alerts";

const PAGE = 50;
const FILTERS = ["name", "idNumber", "className", "studentNo", "department", "major", "education", "gender"] as const;

function filterFrom(params: URLSearchParams): Omit<RecordFilter, "orgId"> {
  const f: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = params.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

/** Manual §二十一 (SR-5): search the site's registry, add, edit, delete one, delete all results. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const params = await searchParamsOf(request, ctx.accountId);
    const page = Math.max(1, Number(params.get("page") ?? 1) || 1);
    const filter = filterFrom(params);
    const { rows, total } = await searchRecords(
      getDb(),
      { ...filter, orgId: ctx.org.id },
      { limit: PAGE, offset: (page - 1) * PAGE },
    );
    const editId = Number(params.get("edit") ?? 0);
    const editing = editId
      ? await getDb()
          .selectFrom("student_record")
          .selectAll()
          .where("id", "=", editId)
          .where("org_id", "=", ctx.org.id)
          .executeTakeFirst()
      : undefined;
    const window = await getWindowView(ctx, "eligibility");
    // SET-9: eligible sites are stored as ids and shown as the codes a user types.
    const siteCodes = await siteCodesById(getDb(), [
      ...new Set([...rows, ...(editing ? [editing] : [])].flatMap((r) => r.eligible_site_ids ?? [])),
    ]);
    const codesOf = (ids: number[] | null) => ids?.map((i) => siteCodes.get(i) ?? String(i)) ?? null;
    return {
      idNumber: filter.idNumber ?? "",
      window,
      writable: canChange(ctx, window),
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE)),
      // ID numbers are masked in lists; the edit form shows the whole number.
      rows: rows.map((r) => ({
        id: r.id,
        name: r.name,
        id_number: maskIdNumber(r.id_number),
        gender: nameOf("gender", r.gender, ctx.locale),
        birth_date: maskBirthDate(r.birth_date),
        education: nameOf("education", r.education, ctx.locale),
        department: r.department,
        major: r.major,
        class_name: r.class_name,
        student_no: r.student_no,
        eligible_sites: codesOf(r.eligible_site_ids),
      })),
      editing: editing
        ? { ...editing, eligible_sites: formatEligibleSites(codesOf(editing.eligible_site_ids), ctx.locale) }
        : null,
      codes: {
        gender: codeOptions("gender", ctx.locale),
        idType: codeOptions("idType", ctx.locale),
        ethnicity: codeOptions("ethnicity", ctx.locale),
        education: codeOptions("education", ctx.locale),
        occupation: codeOptions("occupation", ctx.locale),
        trainingType: codeOptions("trainingType", ctx.locale),
      },
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "eligibility" });
    requireSite(ctx);
    const input = parseForm(form, RecordActionSchema);
    if (input.intent === RECORD_INTENT.delete) {
      await deleteStudentRecord(ctx, input.id);
      return { ok: true as const, message: "records.deleted" as MessageKey, count: 1 };
    }
    if (input.intent === RECORD_INTENT.deleteAll) {
      const filter = filterFrom(await searchParamsOf(request, ctx.accountId));
      const n = await deleteAllMatching(ctx, filter, input.count);
      return { ok: true as const, message: "records.deleted_all" as MessageKey, count: n };
    }
    const fields = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<
      string,
      string
    >;
    const parsed = parseStudentRecordForm(fields);
    if ("errors" in parsed) {
      const { t } = await getT(request, ctx.locale);
      return {
        ok: false as const,
        error: parsed.errors.map((e) => `${e.column}：${renderMessage(t, e.key, e.params ?? {})}`).join("；"),
      };
    }
    if (input.intent === RECORD_INTENT.edit) await updateStudentRecord(ctx, input.id, parsed.value);
    else await addStudentRecord(ctx, parsed.value);
    return { ok: true as const, message: "common.saved" as MessageKey, count: 1 };
  });
}

type Codes = Array<{ code: string; name: string }>;

function CodeSelect({
  name,
  options,
  value,
  label,
  required,
}: {
  name: string;
  options: Codes;
  value?: string;
  label: string;
  required?: boolean;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""} required={required}>
        <option value="" />
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.code} {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export default function Records() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  const e = d.editing;
  const more = FILTERS.slice(3).some((k) => params.get(k));
  return (
    <section>
      <h1>{t("records.title")}</h1>
      <ReadOnlyBanner view={d.window} />
      <p>
        <Link to="/admin/records/import">{t("records.import_title")}</Link> ·{" "}
        <a href="/admin/records/template" download>
          {t("records.download_template")}
        </a>
      </p>
      <ActionError result={r} />
      <ActionNotice result={r}>{(done) => <>{t(done.message, { count: done.count })}</>}</ActionNotice>

      <Form method="post" action="/admin/search" reloadDocument className="form inline">
        <input type="hidden" name="searchTarget" value="/admin/records" />
        <label>
          {t("records.name")}
          <input name="name" defaultValue={params.get("name") ?? ""} />
        </label>
        <label>
          {t("records.id_number")}
          <input name="idNumber" defaultValue={d.idNumber} />
        </label>
        <label>
          {t("records.class")}
          <input name="className" defaultValue={params.get("className") ?? ""} />
        </label>
        <details open={more} className="more-filters">
          <summary>{t("records.more_filters")}</summary>
          <label>
            {t("records.student_no")}
            <input name="studentNo" defaultValue={params.get("studentNo") ?? ""} />
          </label>
          <label>
            {t("records.department")}
            <input name="department" defaultValue={params.get("department") ?? ""} />
          </label>
          <label>
            {t("records.major")}
            <input name="major" defaultValue={params.get("major") ?? ""} />
          </label>
          <CodeSelect
            name="education"
            options={d.codes.education}
            value={params.get("education") ?? ""}
            label={t("records.education")}
          />
          <CodeSelect
            name="gender"
            options={d.codes.gender}
            value={params.get("gender") ?? ""}
            label={t("records.gender")}
          />
        </details>
        <button type="submit">{t("common.search")}</button>
        <Link to="/admin/records">{t("records.reset")}</Link>
      </Form>

      <p className="muted" data-total={d.total}>
        {t("common.total", { count: d.total })}
      </p>
      {d.writable && d.total > 0 ? (
        <Form
          method="post"
          action={`?${params}`}
          onSubmit={(ev) => {
            if (!confirm(t("records.delete_all_confirm", { count: d.total }))) ev.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value={RECORD_INTENT.deleteAll} />
          <input type="hidden" name="count" value={d.total} />
          <button type="submit" className="danger">
            {t("records.delete_all", { count: d.total })}
          </button>
        </Form>
      ) : null}
      <table className="grid" data-testid="records">
        <thead>
          <tr>
            <th>{t("records.name")}</th>
            <th>{t("records.id_number")}</th>
            <th>{t("records.gender")}</th>
            <th>{t("records.birth_date")}</th>
            <th>{t("records.education")}</th>
            <th>{t("records.department")}</th>
            <th>{t("records.class")}</th>
            <th>{t("records.student_no")}</th>
            <th>{t("records.eligible_sites")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {d.rows.map((row) => (
            <tr key={row.id}>
              <td>{row.name}</td>
              <td>
                <code>{row.id_number}</code>
              </td>
              <td>{row.gender}</td>
              <td>{row.birth_date}</td>
              <td>{row.education}</td>
              <td>{row.department}</td>
              <td>{row.class_name}</td>
              <td>{row.student_no}</td>
              <td className={row.eligible_sites === null ? "muted" : undefined}>
                {row.eligible_sites === null
                  ? t("records.eligible_own")
                  : row.eligible_sites.length === 0
                    ? t("records.eligible_any")
                    : row.eligible_sites.join(", ")}
              </td>
              <td className="nowrap">
                <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), edit: String(row.id) })}`}>
                  {t("records.edit")}
                </Link>
                {d.writable ? (
                  <Form
                    method="post"
                    style={{ display: "inline" }}
                    onSubmit={(ev) => {
                      if (!confirm(t("records.delete_confirm", { name: row.name }))) ev.preventDefault();
                    }}
                  >
                    <input type="hidden" name="intent" value={RECORD_INTENT.delete} />
                    <input type="hidden" name="id" value={row.id} />
                    <button type="submit" className="link danger">
                      {t("common.delete")}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={d.page} pages={d.pages} />

      <h2>{e ? t("records.edit_title", { name: e.name }) : t("records.add_title")}</h2>
      <Form method="post" className="form grid2" key={e?.id ?? "new"}>
        <input type="hidden" name="intent" value={e ? RECORD_INTENT.edit : RECORD_INTENT.add} />
        {e ? <input type="hidden" name="id" value={e.id} /> : null}
        <fieldset disabled={!d.writable}>
          <label>
            {t("records.name")}*<input name="name" defaultValue={e?.name} required />
          </label>
          <CodeSelect
            name="gender"
            options={d.codes.gender}
            value={e?.gender}
            label={`${t("records.gender")}*`}
            required
          />
          <label>
            {t("records.birth_date")}*<input name="birth_date" type="date" defaultValue={e?.birth_date} required />
          </label>
          <CodeSelect
            name="id_type"
            options={d.codes.idType}
            value={e?.id_type ?? "1"}
            label={`${t("records.id_type")}*`}
            required
          />
          <label>
            {t("records.id_number")}*<input name="id_number" defaultValue={e?.id_number} required readOnly={!!e} />
          </label>
          <CodeSelect
            name="ethnicity"
            options={d.codes.ethnicity}
            value={e?.ethnicity}
            label={`${t("records.ethnicity")}*`}
            required
          />
          <CodeSelect
            name="education"
            options={d.codes.education}
            value={e?.education}
            label={`${t("records.education")}*`}
            required
          />
          <CodeSelect
            name="occupation"
            options={d.codes.occupation}
            value={e?.occupation}
            label={t("records.occupation")}
          />
          <CodeSelect
            name="training_type"
            options={d.codes.trainingType}
            value={e?.training_type}
            label={t("records.training_type")}
          />
          <label>
            {t("records.student_no")}
            <input name="student_no" defaultValue={e?.student_no} />
          </label>
          <label>
            {t("records.department")}
            <input name="department" defaultValue={e?.department} />
          </label>
          <label>
            {t("records.major")}
            <input name="major" defaultValue={e?.major} />
          </label>
          <label>
            {t("records.class")}
            <input name="class_name" defaultValue={e?.class_name} />
          </label>
          <label>
            {t("records.phone")}
            <input name="phone" defaultValue={e?.phone} />
          </label>
          <label>
            {t("records.email")}
            <input name="email" defaultValue={e?.email} />
          </label>
          <label>
            {t("records.address")}
            <input name="address" defaultValue={e?.address} />
          </label>
          <label>
            {t("records.postcode")}
            <input name="postcode" defaultValue={e?.postcode} />
          </label>
          <label>
            {t("records.remark")}
            <input name="remark" defaultValue={e?.remark} />
          </label>
          <label className="span2">
            {t("records.eligible_sites")}
            <input
              name="eligible_sites"
              defaultValue={e?.eligible_sites}
              placeholder={t("records.eligible_own")}
              aria-describedby="eligible-sites-hint"
            />
            <small id="eligible-sites-hint" className="muted">
              {t("records.eligible_sites_hint")}
            </small>
          </label>
          <button type="submit" className="primary">
            {t("common.save")}
          </button>
          {e ? <Link to="/admin/records">{t("common.cancel")}</Link> : null}
        </fieldset>
      </Form>
    </section>
  );
}
