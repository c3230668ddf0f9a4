import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { maskEmail, maskMobile } from "~/domain/account-lookup";
import { maskIdNumber } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { findCandidateAccount, type AccountLookupBy } from "~/services/find-candidate-account.server";
import { guardLoader, userMessage } from "~/utils/http.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { requireCapability } from "~/utils/permissions.server";
import { searchParamsOf } from "~/utils/private-search.server";

const BY: AccountLookupBy[] = ["id", "email", "mobile"];

/** Manual §二十五 13 (MGT-2 passport lookup, no window): tell a candidate which account they registered with. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const params = await searchParamsOf(request, ctx.accountId);
    const by = (BY.includes(params.get("by") as AccountLookupBy) ? params.get("by") : "email") as AccountLookupBy;
    const value = params.get("value")?.trim() ?? "";
    if (!value) return { by, value, found: null, error: null };
    try {
      const a = await findCandidateAccount(ctx, by, value);
      return {
        by,
        value,
        error: null,
        found: {
          id: a.id,
          email: maskEmail(a.email),
          mobile: maskMobile(a.mobile),
          account_name: a.account_name,
          created_at: a.created_at,
          must_change_password: a.must_change_password,
          registration_id: a.registration_id,
          name: a.name,
          id_number: maskIdNumber(a.id_number),
          site_code: a.site_code,
        },
      };
    } catch (e) {
      const m = await userMessage(request, e);
      if (!m || m.status >= 500) throw e;
      return { by, value, found: null, error: m.message };
    }
  });
}

export default function AccountLookup() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatDateTime();
  return (
    <section>
      <p>
        <Link to="/admin/candidates">← {t("mgt.title")}</Link>
      </p>
      <h1>{t("mgt.account_lookup")}</h1>
      <p className="muted small">{t("mgt.account_lookup_hint")}</p>
      <Form method="post" action="/admin/search" reloadDocument className="form inline">
        <input type="hidden" name="searchTarget" value="/admin/candidates/account" />
        <label>
          {t("mgt.lookup_by")}
          <select name="by" defaultValue={d.by}>
            {BY.map((b) => (
              <option key={b} value={b}>
                {t(`mgt.lookup_by.${b}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("mgt.lookup_value")}
          <input name="value" defaultValue={d.value} required />
        </label>
        <button type="submit" className="primary">
          {t("common.search")}
        </button>
      </Form>
      {d.error ? (
        <p className="error" role="alert">
          {d.error}
        </p>
      ) : null}
      {d.found ? (
        <table className="info-table" data-testid="account-found">
          <tbody>
            <tr>
              <th>{t("field.name")}</th>
              <td>
                <Link to={`/admin/candidates/${d.found.registration_id}`}>{d.found.name}</Link> ({d.found.site_code})
              </td>
            </tr>
            <tr>
              <th>{t("field.id_number")}</th>
              <td>
                <code>{d.found.id_number}</code>
              </td>
            </tr>
            <tr>
              <th>{t("mgt.account_id")}</th>
              <td>
                <code>{d.found.id}</code>
              </td>
            </tr>
            <tr>
              <th>{t("mgt.account_name")}</th>
              <td>{d.found.account_name}</td>
            </tr>
            <tr>
              <th>{t("field.email")}</th>
              <td>{d.found.email}</td>
            </tr>
            <tr>
              <th>{t("mgt.mobile")}</th>
              <td>{d.found.mobile}</td>
            </tr>
            <tr>
              <th>{t("mgt.account_created")}</th>
              <td>{fmt(String(d.found.created_at))}</td>
            </tr>
            {d.found.must_change_password ? (
              <tr>
                <th />
                <td className="warn-text">{t("mgt.account_must_change")}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
