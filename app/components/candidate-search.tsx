import { Form, Link, useSearchParams } from "@remix-run/react";
import { ActionError, ActionNotice } from "~/components/alerts";
import { useState, type FormEvent, type ReactNode } from "react";
import type { MessageKey } from "~/i18n";
import { useFormatDateTime, useT } from "~/utils/use-t";
import type { CandidateSearchData } from "~/services/search-candidates.server";

type Data = Pick<CandidateSearchData, "filter" | "subjects" | "sites" | "dates" | "isSite" | "codes">;

const MORE = [
  "department",
  "major",
  "studentNo",
  "phone",
  "email",
  "gender",
  "idType",
  "education",
  "ethnicity",
  "channel",
  "locked",
  "subject",
  "entries",
  "preferredDate",
  "photo",
  "registry",
  "site",
] as const;

function Select({
  name,
  label,
  options,
  value,
}: {
  name: string;
  label: string;
  options: Array<[string, string]>;
  value?: string | number;
}) {
  const t = useT();
  return (
    <label>
      {label}
      <select name={name} defaultValue={value === undefined ? "" : String(value)}>
        <option value="">{t("mgt.any")}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

/** MGT-1: the search form (basic row, more conditions folded away), as GET parameters. */
export function CandidateSearchForm({ d, action }: { d: Data; action: string }) {
  const t = useT();
  const [params] = useSearchParams();
  const f = d.filter;
  const more = MORE.some((k) => params.get(k));
  const keep = ["sort", "dir"].filter((k) => params.get(k));
  return (
    // X-4: posted, so that the ID number stays out of the URL (/admin/search keeps it under a token).
    <Form
      method="post"
      action="/admin/search"
      reloadDocument
      className="form inline candidate-search"
      aria-label={t("mgt.search")}
    >
      <input type="hidden" name="searchTarget" value={action} />
      {keep.map((k) => (
        <input key={k} type="hidden" name={k} value={params.get(k)!} />
      ))}
      <label>
        {t("field.name")}
        <input name="name" defaultValue={f.name ?? ""} />
      </label>
      <label>
        {t("field.id_number")}
        <input name="idNumber" defaultValue={f.idNumber ?? ""} />
      </label>
      <label>
        {t("field.class_name")}
        <input name="className" defaultValue={f.className ?? ""} />
      </label>
      <Select
        name="payment"
        label={t("mgt.payment")}
        value={f.payment}
        options={(["all_paid", "partly_paid", "none_paid", "any_unpaid", "no_entries"] as const).map((v) => [
          v,
          t(`mgt.payment.${v}`),
        ])}
      />
      <Select
        name="review"
        label={t("mgt.review")}
        value={f.review}
        options={(["none", "pending", "passed", "failed"] as const).map((v) => [v, t(`mgt.review.${v}`)])}
      />
      <details open={more} className="more-filters">
        <summary>{t("mgt.more_filters")}</summary>
        <label>
          {t("field.department")}
          <input name="department" defaultValue={f.department ?? ""} />
        </label>
        <label>
          {t("field.major")}
          <input name="major" defaultValue={f.major ?? ""} />
        </label>
        <label>
          {t("field.student_no")}
          <input name="studentNo" defaultValue={f.studentNo ?? ""} />
        </label>
        <label>
          {t("field.phone")}
          <input name="phone" defaultValue={f.phone ?? ""} />
        </label>
        <label>
          {t("field.email")}
          <input name="email" defaultValue={f.email ?? ""} />
        </label>
        <Select
          name="gender"
          label={t("field.gender")}
          value={f.gender}
          options={[
            ["1", t("mgt.gender.1")],
            ["2", t("mgt.gender.2")],
          ]}
        />
        <Select
          name="idType"
          label={t("field.id_type")}
          value={f.idType}
          options={d.codes.idType.map((c) => [c.code, c.name])}
        />
        <Select
          name="education"
          label={t("field.education")}
          value={f.education}
          options={d.codes.education.map((c) => [c.code, c.name])}
        />
        <Select
          name="ethnicity"
          label={t("field.ethnicity")}
          value={f.ethnicity}
          options={d.codes.ethnicity.map((c) => [c.code, c.name])}
        />
        <Select
          name="channel"
          label={t("mgt.channel")}
          value={f.channel}
          options={[
            ["online", t("mgt.channel.online")],
            ["group", t("mgt.channel.group")],
          ]}
        />
        <Select
          name="locked"
          label={t("mgt.locked")}
          value={f.locked}
          options={[
            ["yes", t("mgt.locked.yes")],
            ["no", t("mgt.locked.no")],
          ]}
        />
        <Select
          name="subject"
          label={t("mgt.subject")}
          value={f.subject}
          options={d.subjects.map((s) => [s.code, `(${s.code}) ${s.name}`])}
        />
        <label>
          {t("mgt.entry_count")}
          <input name="entries" type="number" min={0} max={10} defaultValue={f.entries ?? ""} />
        </label>
        <Select
          name="preferredDate"
          label={t("mgt.preferred_date")}
          value={f.preferredDate}
          options={[["none", t("mgt.preferred_none")], ...d.dates.map((x): [string, string] => [x, x])]}
        />
        <Select
          name="photo"
          label={t("mgt.photo")}
          value={f.photo}
          options={[
            ["yes", t("mgt.photo.yes")],
            ["no", t("mgt.photo.no")],
          ]}
        />
        <Select
          name="registry"
          label={t("mgt.registry")}
          value={f.registry}
          options={[
            ["registry", t("mgt.registry.registry")],
            ["public", t("mgt.registry.public")],
          ]}
        />
        {!d.isSite ? (
          <Select
            name="site"
            label={t("mgt.site")}
            value={f.site}
            options={d.sites.map((s) => [String(s.id), `(${s.code}) ${s.name}`])}
          />
        ) : null}
      </details>
      <button type="submit" className="primary">
        {t("common.search")}
      </button>
      <Link to={action}>{t("mgt.reset")}</Link>
    </Form>
  );
}

type Row = CandidateSearchData["rows"][number];

/** The results, with sortable headers and (when the page may act) a tick box per row. */
export function CandidateTable({
  rows,
  selectable,
  formId,
  sort,
  thumbnails = false,
}: {
  rows: Row[];
  selectable: boolean;
  formId: string;
  sort: CandidateSearchData["sort"];
  /** MGT-4 (issue 15 item 3): bulk review shows each photo, large on hover, so a reviewer need not open every candidate. */
  thumbnails?: boolean;
}) {
  const t = useT();
  const fmt = useFormatDateTime();
  const [params] = useSearchParams();
  const [allColumns, setAllColumns] = useState(false);
  // The candidate page steps through this same result list (previous / next); the page number is not needed.
  const listQuery = (() => {
    const p = new URLSearchParams(params);
    p.delete("page");
    p.set("list", "1");
    return p.toString();
  })();
  const sortLink = (key: string) => {
    const p = new URLSearchParams(params);
    p.set("sort", key);
    p.set("dir", sort.sort === key && sort.dir === "asc" ? "desc" : "asc");
    p.delete("page");
    return `?${p}`;
  };
  const Th = ({ k, children }: { k?: string; children: ReactNode }) => (
    <th aria-sort={k && sort.sort === k ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}>
      {k ? (
        <Link to={sortLink(k)}>
          {children}
          {sort.sort === k ? (sort.dir === "asc" ? " ▲" : " ▼") : ""}
        </Link>
      ) : (
        children
      )}
    </th>
  );
  const toggleAll = (e: FormEvent<HTMLInputElement>) => {
    const on = e.currentTarget.checked;
    document.querySelectorAll<HTMLInputElement>(`input[name="ids"][form="${formId}"]`).forEach((c) => (c.checked = on));
  };
  if (rows.length === 0)
    return (
      <p className="muted empty" data-testid="candidates-empty">
        {t("mgt.none")}
      </p>
    );
  // Issue 15 item 3: the key columns first, the name opens the candidate; the wide ones on request.
  return (
    <>
      <p className="table-options">
        <button type="button" className="link" aria-pressed={allColumns} onClick={() => setAllColumns(!allColumns)}>
          {t(allColumns ? "mgt.columns.key" : "mgt.columns.all")}
        </button>
      </p>
      <div className="table-scroll">
        <table className="grid candidates" data-testid="candidates">
          <thead>
            <tr>
              {selectable ? (
                <th>
                  <input type="checkbox" aria-label={t("mgt.select_page")} onChange={toggleAll} />
                </th>
              ) : null}
              <Th k="name">{t("field.name")}</Th>
              <Th k="id_number">{t("field.id_number")}</Th>
              <Th>{t("mgt.review")}</Th>
              <Th>{t("mgt.payment")}</Th>
              <Th>{t("mgt.locked")}</Th>
              <Th>{t("mgt.subjects")}</Th>
              <Th k="class">{t("field.class_name")}</Th>
              <Th>{t("mgt.photo")}</Th>
              <Th k="site">{t("mgt.site")}</Th>
              {allColumns ? (
                <>
                  <Th>{t("mgt.channel")}</Th>
                  <Th k="entries">{t("mgt.entry_count")}</Th>
                  <Th>{t("field.gender")}</Th>
                  <Th>{t("field.birth_date")}</Th>
                  <Th>{t("field.id_type")}</Th>
                  <Th>{t("mgt.preferred_date")}</Th>
                  <Th>{t("field.ethnicity")}</Th>
                  <Th k="created">{t("mgt.created")}</Th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                data-id={r.id}
                data-review={r.review_status}
                data-locked={r.locked}
                data-payment={r.payment}
              >
                {selectable ? (
                  <td>
                    <input type="checkbox" name="ids" value={r.id} form={formId} aria-label={r.name} />
                  </td>
                ) : null}
                <td className="nowrap">
                  <Link to={`/admin/candidates/${r.id}?${listQuery}`} data-testid="candidate-link">
                    {r.name}
                  </Link>
                </td>
                <td>
                  <code>{r.id_number}</code>
                </td>
                <td>
                  {t(`mgt.review.${r.review_status}`)}
                  {r.review_failure_type ? ` (${t(`review.type.${r.review_failure_type}` as MessageKey)})` : ""}
                </td>
                <td>{t(`mgt.payment.${r.payment}`)}</td>
                <td>{r.locked ? t("mgt.locked.yes") : t("mgt.locked.no")}</td>
                <td>{r.subjects.replace(/,/g, ".")}</td>
                <td>{r.class_name}</td>
                <td>
                  {r.has_photo ? (
                    thumbnails ? (
                      <img
                        className="thumb"
                        src={`/admin/candidates/${r.id}/photo`}
                        alt={t("mgt.photo_of", { name: r.name })}
                        width={36}
                        height={48}
                        loading="lazy"
                      />
                    ) : (
                      t("mgt.photo.yes")
                    )
                  ) : (
                    <span className="warn-text">{t("mgt.photo.no")}</span>
                  )}
                </td>
                <td>{r.site}</td>
                {allColumns ? (
                  <>
                    <td>{t(`mgt.channel.${r.channel}`)}</td>
                    <td>{r.entry_count}</td>
                    <td>{r.gender}</td>
                    <td>{r.birth_date}</td>
                    <td>{r.id_type}</td>
                    <td>{r.preferred_date ?? ""}</td>
                    <td>{r.ethnicity}</td>
                    <td className="nowrap">{fmt(r.created_at)}</td>
                  </>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * A bulk action form: ticked rows, or all results of the search shown (with the count the user saw,
 * and MGT-2's limit stated before confirming).
 */
export function BulkForm({
  id,
  total,
  limit,
  filterParams,
  children,
  confirmKey,
}: {
  id: string;
  total: number;
  limit: number;
  filterParams: string;
  children: ReactNode;
  confirmKey: (intent: string) => MessageKey;
}) {
  const t = useT();
  const onSubmit = (ev: FormEvent<HTMLFormElement>) => {
    const form = ev.currentTarget;
    const submitter = (ev.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(form);
    const count = data.get("scope") === "all" ? total : data.getAll("ids").length;
    if (count === 0) {
      alert(t("mgt.none_selected"));
      ev.preventDefault();
      return;
    }
    if (count > limit) {
      alert(t("mgt.too_many", { count, limit }));
      ev.preventDefault();
      return;
    }
    if (!confirm(t(confirmKey(submitter?.value ?? ""), { count, limit }))) ev.preventDefault();
  };
  return (
    <Form id={id} method="post" className="bulk" onSubmit={onSubmit} aria-label={t("mgt.bulk")}>
      <input type="hidden" name="filter" value={filterParams} />
      <input type="hidden" name="count" value={total} />
      <fieldset className="bulk-scope">
        <legend>{t("mgt.apply_to")}</legend>
        <label>
          <input type="radio" name="scope" value="selected" defaultChecked /> {t("mgt.scope.selected")}
        </label>
        <label>
          <input type="radio" name="scope" value="all" /> {t("mgt.scope.all", { count: total })}
        </label>
        <span className="muted small">{t("mgt.limit_hint", { limit })}</span>
      </fieldset>
      {children}
    </Form>
  );
}

export interface BulkResult {
  ok: true;
  message: MessageKey;
  done: number;
  skipped: Array<{ id: number; name: string; reason: string }>;
  extra?: Record<string, number>;
}

/** MGT-1/MGT-4: a bulk action's answer: done (green), some refused (amber, with why), or refused (red). */
export function BulkOutcomeView({ r }: { r: BulkResult | { ok: false; error: string } | undefined }) {
  const t = useT();
  return (
    <>
      <ActionError result={r} />
      <ActionNotice
        result={r}
        block
        tone={r?.ok && r.skipped.length ? "partial" : "success"}
        testId="bulk-outcome"
        data={r?.ok ? { done: r.done, skipped: r.skipped.length } : undefined}
      >
        {(done) => (
          <>
            <p>
              {t(done.message, { count: done.done, ...(done.extra ?? {}) })}
              {done.skipped.length ? ` ${t("mgt.skipped", { count: done.skipped.length })}` : ""}
            </p>
            {done.skipped.length ? (
              <ul className="small">
                {done.skipped.slice(0, 20).map((s) => (
                  <li key={s.id}>
                    <Link to={`/admin/candidates/${s.id}`}>{s.name}</Link>
                    {t("mgt.skipped_reason", { reason: t(s.reason as MessageKey) })}
                  </li>
                ))}
                {done.skipped.length > 20 ? <li>…</li> : null}
              </ul>
            ) : null}
          </>
        )}
      </ActionNotice>
    </>
  );
}
