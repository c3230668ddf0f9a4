import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { ActionError, ActionNotice, ErrorAlert } from "~/components/alerts";
import { SitePageHead } from "~/components/site-page-head";
import { AppError, isAppError } from "~/domain/errors";
import { isRowId } from "~/domain/row-id";
import {
  ACCOUNT_FIELDS,
  ACCOUNT_NAME_MAX,
  ACCOUNT_TYPES,
  accountTypeLabel,
  BANK_MAX,
  isAccountType,
  REMARK_MAX,
  type AccountField,
  type AccountFieldErrors,
} from "~/domain/settlement-accounts";
import type { MessageKey, MessageParams } from "~/i18n";
import {
  addSettlementAccount,
  canChangeAccounts,
  copyFromPreviousSitting,
  deleteSettlementAccount,
  getSettlementAccountForEdit,
  listSettlementAccounts,
  updateSettlementAccount,
} from "~/services/settlement-accounts.server";
import { guardAction, guardLoader, parseForm, tFor } from "~/utils/http.server";
import { renderMessage } from "~/i18n";
import { isSite, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

/**
 * FIN-1 (manual §四十五 《分账管理》→《分账账户管理》): a site's settlement accounts in the viewed
 * sitting. The site's finance staff and administrators add, edit, delete and copy them from the
 * previous sitting; superiors (city, province, centre) read any site of their scope. The account
 * number is masked in the list and whole only on the edit form.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "payments");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const writable = canChangeAccounts(ctx);
    const url = new URL(request.url);
    const editId = Number(url.searchParams.get("edit"));
    const deleteId = Number(url.searchParams.get("delete"));
    const rows = await listSettlementAccounts(getDb(), ctx.sitting.id, [site.id]);
    let editing = null;
    let missing = false;
    if (writable && url.searchParams.has("edit")) {
      try {
        if (!isRowId(editId)) throw new AppError("accounts.not_found", {}, 404);
        const a = await getSettlementAccountForEdit(ctx, editId);
        editing = {
          id: a.id,
          bank: a.bank,
          bank_code: a.bank_code,
          account_name: a.account_name,
          account_no: a.account_no,
          account_type: a.account_type,
          remark: a.remark,
        };
      } catch (e) {
        // ORG-2: another site's id (or none) is no such account; nothing of it is sent.
        if (!isAppError(e) || e.key !== "accounts.not_found") throw e;
        missing = true;
      }
    }
    const deleting = writable && url.searchParams.has("delete") ? (rows.find((r) => r.id === deleteId) ?? null) : null;
    if (writable && url.searchParams.has("delete") && !deleting) missing = true;
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      writable,
      // Why the page only reads: a superior, or a past sitting (ORG-7).
      readOnly: writable ? null : isSite(ctx) ? ("past" as const) : ("superior" as const),
      rows,
      adding: writable && !editing && !deleting && url.searchParams.has("add"),
      editing,
      deleting,
      missing,
    };
  });
}

const field = z.string().max(10_000).default("");
const Fields = {
  bank: field,
  bank_code: field,
  account_name: field,
  account_no: field,
  account_type: field,
  remark: field,
};
const ActionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add"), ...Fields }),
  z.object({ intent: z.literal("update"), id: z.coerce.number(), ...Fields }),
  z.object({ intent: z.literal("delete"), id: z.coerce.number() }),
  z.object({ intent: z.literal("copy") }),
]);

type Said = { key: MessageKey; params?: MessageParams };

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    // ORG-7/ORG-11: finance's own change (capability "payments"), current sitting; the service
    // checks again that the actor is the site itself (superiors read only).
    const ctx = await requireAdminMutation(request, { capability: "payments" });
    const input = parseForm(form, ActionForm);
    if (input.intent === "copy") {
      const r = await copyFromPreviousSitting(ctx);
      const messages: Said[] = !r.from
        ? [{ key: "accounts.copy_nothing" }]
        : r.copied === 0
          ? [{ key: "accounts.copy_all_present", params: { code: r.from.code, count: r.skipped } }]
          : [
              { key: "accounts.copied", params: { code: r.from.code, count: r.copied } },
              ...(r.skipped ? [{ key: "accounts.copy_skipped" as const, params: { count: r.skipped } }] : []),
            ];
      return { ok: true as const, intent: input.intent, messages, copied: r.copied, skipped: r.skipped };
    }
    if (input.intent === "delete") {
      if (!isRowId(input.id)) throw new AppError("accounts.not_found", {}, 404);
      const account = await deleteSettlementAccount(ctx, input.id);
      return { ok: true as const, intent: input.intent, messages: [{ key: "accounts.deleted", params: { account } }] };
    }
    const fields: Record<AccountField, string> = {
      bank: input.bank,
      bank_code: input.bank_code,
      account_name: input.account_name,
      account_no: input.account_no,
      account_type: input.account_type,
      remark: input.remark,
    };
    let r;
    if (input.intent === "add") r = await addSettlementAccount(ctx, fields);
    else {
      if (!isRowId(input.id)) throw new AppError("accounts.not_found", {}, 404);
      r = await updateSettlementAccount(ctx, input.id, fields);
    }
    if (!r.ok) {
      const t = await tFor(request);
      return data(
        {
          ok: false as const,
          intent: input.intent,
          error: t("accounts.check_fields"),
          fieldErrors: renderFieldErrors(t, r.fieldErrors),
          values: fields,
        },
        { status: 400 },
      );
    }
    const key: MessageKey =
      input.intent === "add" ? "accounts.added" : r.changed ? "accounts.updated" : "accounts.unchanged";
    return {
      ok: true as const,
      intent: input.intent,
      id: r.id,
      messages: [{ key, params: { account: r.account } }],
    };
  });
}

function renderFieldErrors(t: Awaited<ReturnType<typeof tFor>>, errors: AccountFieldErrors) {
  const out: Partial<Record<AccountField, string>> = {};
  for (const f of ACCOUNT_FIELDS) {
    const e = errors[f];
    if (e) out[f] = renderMessage(t, e.key, e.params);
  }
  return out;
}

export default function SettlementAccounts() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const done = r && r.ok ? r : null;
  // A saved form closes; a refused one stays open with what was typed and a message per field.
  const failed = r && !r.ok && "fieldErrors" in r ? r : null;
  const editing = d.editing && !(done?.intent === "update" && done.id === d.editing.id) ? d.editing : null;
  // Any change that went through closes the add form (an add, or a copy made while it was open).
  const adding = (d.adding && !done) || failed?.intent === "add";
  const deleting = d.deleting && done?.intent !== "delete" ? d.deleting : null;
  const siteQuery = d.sites.length > 1 ? `?site=${d.site.id}` : "?";
  return (
    <section className="settlement-accounts">
      <SitePageHead title={t("accounts.title")} site={d.site} sites={d.sites} />
      <p className="muted">{t("accounts.hint")}</p>
      {d.readOnly ? (
        <p className="readonly-banner" role="status" data-testid="accounts-read-only">
          {t(d.readOnly === "past" ? "accounts.past_read_only" : "accounts.superior_read_only")}
        </p>
      ) : null}
      {d.writable ? (
        <div className="toolbar">
          <Link to="?add=1" className="button primary" data-testid="add-account">
            {t("accounts.add")}
          </Link>
          <Form method="post">
            <input type="hidden" name="intent" value="copy" />
            <button type="submit" data-testid="copy-accounts">
              {t("accounts.copy")}
            </button>
          </Form>
          <span className="muted small">{t("accounts.copy_help")}</span>
        </div>
      ) : null}
      <ActionError result={r} />
      <ActionNotice result={r} testId="accounts-saved">
        {(ok) => ok.messages.map((m) => t(m.key as MessageKey, m.params as MessageParams)).join(" ")}
      </ActionNotice>
      {d.missing && !done ? <ErrorAlert testId="account-missing">{t("accounts.not_found")}</ErrorAlert> : null}

      {deleting ? (
        <fieldset className="notice partial" data-testid="delete-account">
          <legend>{t("accounts.delete_title")}</legend>
          <p>{t("accounts.delete_confirm")}</p>
          <p>
            {deleting.bank} · {deleting.account_name} · <code>{deleting.account_no}</code>
          </p>
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="id" value={deleting.id} />
            <button type="submit" className="danger">
              {t("accounts.delete_yes")}
            </button>
            <Link to={siteQuery}>{t("common.cancel")}</Link>
          </Form>
        </fieldset>
      ) : null}

      {editing || adding ? (
        <AccountForm
          key={editing ? `edit-${editing.id}` : "add"}
          title={t(editing ? "accounts.edit_title" : "accounts.add_title")}
          intent={editing ? "update" : "add"}
          id={editing?.id}
          values={failed && failed.intent === (editing ? "update" : "add") ? failed.values : (editing ?? undefined)}
          errors={failed && failed.intent === (editing ? "update" : "add") ? failed.fieldErrors : undefined}
          cancelTo={siteQuery}
        />
      ) : null}

      <p data-testid="accounts-total">{t("accounts.total", { count: d.rows.length })}</p>
      {d.rows.length ? (
        <div className="table-scroll">
          <table className="grid compact" data-testid="accounts">
            <thead>
              <tr>
                <th>{t("accounts.col.bank")}</th>
                <th>{t("accounts.col.bank_code")}</th>
                <th>{t("accounts.col.account_name")}</th>
                <th>{t("accounts.col.account_no")}</th>
                <th>{t("accounts.col.account_type")}</th>
                <th>{t("accounts.col.remark")}</th>
                {d.writable ? <th>{t("accounts.col.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {d.rows.map((a) => (
                <tr key={a.id} data-account={a.id}>
                  <td>{a.bank}</td>
                  <td>
                    <code>{a.bank_code}</code>
                  </td>
                  <td>{a.account_name}</td>
                  <td className="nowrap">
                    <code>{a.account_no}</code>
                  </td>
                  <td className="nowrap">{isAccountType(a.account_type) ? t(accountTypeLabel(a.account_type)) : ""}</td>
                  <td>{a.remark}</td>
                  {d.writable ? (
                    <td className="nowrap">
                      <Link to={`?edit=${a.id}`}>{t("common.edit")}</Link>{" "}
                      <Link to={`?delete=${a.id}`}>{t("common.delete")}</Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted" data-testid="accounts-empty">
          {t("accounts.empty")}
        </p>
      )}
    </section>
  );
}

/** 新增账号信息 / 修改账号信息 (manual §四十五): every field with its own message under it. */
function AccountForm({
  title,
  intent,
  id,
  values,
  errors,
  cancelTo,
}: {
  title: string;
  intent: "add" | "update";
  id?: number;
  values?: Partial<Record<AccountField, string>>;
  errors?: Partial<Record<AccountField, string>>;
  cancelTo: string;
}) {
  const t = useT();
  const err = (f: AccountField) =>
    errors?.[f] ? (
      <span className="error small" role="alert" data-testid={`error-${f}`}>
        {errors[f]}
      </span>
    ) : null;
  const input = (
    f: Exclude<AccountField, "account_type">,
    opts: { required?: boolean; help?: string; numeric?: boolean; max?: number; size?: number } = {},
  ) => (
    <label>
      <span>
        {t(`accounts.col.${f}`)}
        {opts.required ? " *" : ""}
        {opts.help ? <span className="muted small"> ({opts.help})</span> : null}
      </span>
      <input
        name={f}
        defaultValue={values?.[f] ?? ""}
        required={opts.required}
        inputMode={opts.numeric ? "numeric" : undefined}
        autoComplete="off"
        maxLength={opts.max}
        size={opts.size}
        aria-invalid={errors?.[f] ? true : undefined}
      />
      {err(f)}
    </label>
  );
  return (
    <Form method="post" className="form grid2" data-testid={`account-form-${intent}`}>
      <h2>
        {title} <small className="muted">{t("accounts.required_mark")}</small>
      </h2>
      <input type="hidden" name="intent" value={intent} />
      {id ? <input type="hidden" name="id" value={id} /> : null}
      <fieldset>
        {input("bank", { required: true, max: BANK_MAX })}
        {input("bank_code", { required: true, numeric: true, help: t("accounts.bank_code_help") })}
        {input("account_name", { required: true, max: ACCOUNT_NAME_MAX })}
        {input("account_no", { required: true, numeric: true, help: t("accounts.account_no_help") })}
        <label>
          <span>{t("accounts.col.account_type")} *</span>
          <select
            name="account_type"
            defaultValue={values?.account_type ?? ""}
            required
            aria-invalid={errors?.account_type ? true : undefined}
          >
            <option value="" disabled>
              {t("accounts.choose_type")}
            </option>
            {ACCOUNT_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(accountTypeLabel(type))}
              </option>
            ))}
          </select>
          {err("account_type")}
        </label>
        {input("remark", { help: t("accounts.remark_help", { max: REMARK_MAX }), max: REMARK_MAX })}
      </fieldset>
      <p className="actions">
        <button type="submit" className="primary">
          {t("accounts.save")}
        </button>
        <Link to={cancelTo}>{t("common.cancel")}</Link>
      </p>
    </Form>
  );
}
