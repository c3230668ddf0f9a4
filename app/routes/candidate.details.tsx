import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { birthDateFromId, genderFromId, isIdType } from "~/domain/id-number";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findRegistrationByAccount } from "~db/queries/registrations";
import { schoolFields } from "~/domain/prefill";
import { personalDataRefusal } from "~/domain/registration";
import type { MessageKey } from "~/i18n";
import { loadSiteLabel, loadSiteRules } from "~/services/load-registration.server";
import { PERSONAL_FIELDS, type PersonalField } from "~/domain/registration";
import { saveRegistration } from "~/services/save-registration.server";
import { DetailsFormSchema } from "~/schemas/candidate";
import { readDraft } from "~/services/id-lookup.server";
import { findPrefillRecord } from "~/services/student-record-hooks.server";
import { codeOptions } from "~templates/code-tables";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** CAN-2: personal data for the chosen site, pre-filled from the student record (SR-6) or the registration. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const db = getDb();
    const url = new URL(request.url);
    const reg = await findRegistrationByAccount(db, c.sitting.id, c.accountId);
    const siteId = Number(url.searchParams.get("site") ?? reg?.org_id ?? 0);
    if (!siteId) throw redirect("/candidate/site");
    const site = await loadSiteLabel(db, siteId).catch(() => null);
    if (!site || site.level !== "site") throw redirect("/candidate/site");
    const rules = await loadSiteRules(db, c.sitting.id, siteId);
    // The candidate's own contact data (from the account), never the record's.
    const values: Partial<Record<PersonalField, string>> = { email: c.email ?? "", phone: c.mobile ?? "" };
    let prefilled = false;
    if (reg) {
      for (const f of PERSONAL_FIELDS) values[f] = String(reg[f] ?? "");
    } else {
      // SR-6/X-4: the ID number comes from the server-side draft (never the URL); a record whose
      // name matches fills the school fields only; the candidate may still edit.
      const draft = await readDraft(c);
      if (!draft) throw redirect("/candidate/site");
      values.id_type = draft.idType;
      values.id_number = draft.idNumber;
      values.name = draft.name;
      // Issue 15 item 7 (CAN-5): a resident ID number already says the gender and the birth date.
      if (isIdType(draft.idType)) {
        values.gender = genderFromId(draft.idType, draft.idNumber) ?? "";
        values.birth_date = birthDateFromId(draft.idType, draft.idNumber) ?? "";
      }
      const record = await findPrefillRecord(c.sitting.id, siteId, draft.idNumber, draft.name);
      if (record) {
        Object.assign(values, schoolFields(record));
        prefilled = true;
      }
    }
    const notices = await db
      .selectFrom("notice")
      .select(["org_id", "body"])
      .where("sitting_id", "=", c.sitting.id)
      .where("org_id", "in", [siteId, site.provinceId])
      .execute();
    const refusal = personalDataRefusal(rules, reg ?? null, new Date());
    return {
      siteId,
      site,
      values,
      prefilled,
      refusal,
      classOptions: rules.class_options,
      classRequired: rules.class_required,
      provinceNotice: notices.find((n) => n.org_id === site.provinceId)?.body ?? "",
      siteNotice: notices.find((n) => n.org_id === siteId)?.body ?? "",
      codes: {
        gender: codeOptions("gender", c.locale).filter((g) => g.code === "1" || g.code === "2"),
        ethnicity: codeOptions("ethnicity", c.locale),
        education: codeOptions("education", c.locale),
        occupation: codeOptions("occupation", c.locale),
        idType: codeOptions("idType", c.locale),
      },
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const c = await requireCandidate(request);
    const { site, ...fields } = parseForm(form, DetailsFormSchema);
    const r = await saveRegistration(c, { siteId: site, fields });
    if (r.ok) throw redirect(r.created ? "/candidate/photo?new=1" : "/candidate?saved=1");
    return { ok: false as const, fieldErrors: r.fieldErrors, values: fields, error: undefined };
  });
}

export default function Details() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const v = (f: PersonalField) => (a && "values" in a ? a.values?.[f] : undefined) ?? d.values[f] ?? "";
  const err = (f: PersonalField | "site") => {
    const e = a && "fieldErrors" in a ? a.fieldErrors?.[f] : undefined;
    return e ? (
      <span className="error small" role="alert" data-testid={`error-${f}`}>
        {t(e.key, e.params)}
      </span>
    ) : null;
  };
  const readOnly = d.refusal !== null;
  const text = (
    f: PersonalField,
    opts: { required?: boolean; type?: string; inputMode?: "numeric" | "tel" | "email"; autoComplete?: string } = {},
  ) => (
    <label>
      {t(`field.${f}` as MessageKey)}
      {opts.required ? " *" : ""}
      <input
        name={f}
        defaultValue={v(f)}
        required={opts.required}
        type={opts.type ?? "text"}
        inputMode={opts.inputMode}
        autoComplete={opts.autoComplete}
        readOnly={readOnly}
      />
      {err(f)}
    </label>
  );
  const select = (f: PersonalField, options: ReadonlyArray<{ code: string; name: string }>, required = true) => (
    <label>
      {t(`field.${f}` as MessageKey)}
      {required ? " *" : ""}
      <select name={f} defaultValue={v(f)} required={required} disabled={readOnly}>
        <option value="">{t("common.choose")}</option>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
      {err(f)}
    </label>
  );
  return (
    <section>
      <h1>{t("details.title")}</h1>
      <p data-testid="details-site">
        {t("status.site", { province: d.site.province, code: d.site.code, name: d.site.name })}
      </p>
      {d.provinceNotice ? (
        <details open className="notice-box">
          <summary>{t("details.province_notice")}</summary>
          <div className="notice-body" data-testid="province-notice">
            {d.provinceNotice}
          </div>
        </details>
      ) : null}
      {d.siteNotice ? (
        <details open className="notice-box">
          <summary>{t("details.site_notice")}</summary>
          <div className="notice-body" data-testid="site-notice">
            {d.siteNotice}
          </div>
        </details>
      ) : null}
      {d.prefilled ? (
        <p className="notice" data-testid="prefilled">
          {t("privacy.prefilled_school")}
        </p>
      ) : null}
      {d.refusal ? <p className="readonly-banner">{t(d.refusal)}</p> : null}
      {a?.error ? (
        <p className="error" role="alert">
          {a.error}
        </p>
      ) : null}
      {err("site")}
      <Form method="post" reloadDocument className="form" data-testid="details-form">
        <input type="hidden" name="site" value={d.siteId} />
        {text("name", { required: true, autoComplete: "name" })}
        {select("id_type", d.codes.idType)}
        {text("id_number", { required: true })}
        {select("gender", d.codes.gender)}
        {text("birth_date", { required: true, type: "date" })}
        {select("ethnicity", d.codes.ethnicity)}
        {select("education", d.codes.education)}
        {select("occupation", d.codes.occupation, false)}
        {text("department")}
        {text("major")}
        {d.classOptions.length > 0 ? (
          <label>
            {t("field.class_name")}
            {d.classRequired ? " *" : ""}
            <select name="class_name" defaultValue={v("class_name")} required={d.classRequired} disabled={readOnly}>
              <option value="">{t("common.choose")}</option>
              {d.classOptions.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
            {err("class_name")}
          </label>
        ) : (
          text("class_name", { required: d.classRequired })
        )}
        {text("student_no")}
        {text("phone", { type: "tel", inputMode: "tel", autoComplete: "tel" })}
        {text("email", { type: "email", inputMode: "email", autoComplete: "email" })}
        {text("address", { autoComplete: "street-address" })}
        {text("postcode", { inputMode: "numeric", autoComplete: "postal-code" })}
        {readOnly ? null : (
          <button type="submit" className="primary" data-testid="save-details">
            {t("details.save")}
          </button>
        )}
      </Form>
    </section>
  );
}
