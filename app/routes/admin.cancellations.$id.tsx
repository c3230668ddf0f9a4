import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findCancellation, subjectNames } from "~db/queries/cancellations";
import type { CancelledEntry } from "~db/schema";
import { nameOf, type CodeTableName } from "~templates/code-tables";
import { AppError } from "~/domain/errors";
import { formatYuan } from "~/domain/fees";
import { maskIdNumber } from "~/domain/id-number";
import type { MessageKey } from "~/i18n";
import { guardLoader } from "~/utils/http.server";
import { requireOrgInScope, requireCapability } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

const json = <T,>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/**
 * MGT-5: one cancelled registration, read-only (it cannot be restored; manual §二十五 9). The
 * snapshot is sent field by field, never whole, so the ID number leaves the server masked.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const c = await findCancellation(getDb(), Number(params.id), ctx.sitting.id);
    if (!c) throw new AppError("cancel.not_found", {}, 404);
    await requireOrgInScope(ctx, c.org_id);
    const reg = json<Record<string, unknown>>(c.registration);
    const entries = json<CancelledEntry[]>(c.entries);
    const names = await subjectNames(
      getDb(),
      entries.map((e) => e.subject_code),
    );
    const code = (table: CodeTableName, v: unknown) => (str(v) ? nameOf(table, str(v), ctx.locale) || str(v) : "");
    const personal: Array<[MessageKey, string]> = [
      ["cancel.f.name", c.name],
      ["cancel.f.gender", code("gender", reg.gender)],
      ["cancel.f.birth_date", str(reg.birth_date)],
      ["cancel.f.id_type", code("idType", c.id_type)],
      ["cancel.f.id_number", maskIdNumber(c.id_number)],
      ["cancel.f.ethnicity", code("ethnicity", reg.ethnicity)],
      ["cancel.f.education", code("education", reg.education)],
      ["cancel.f.occupation", code("occupation", reg.occupation)],
      ["cancel.f.department", str(reg.department)],
      ["cancel.f.major", str(reg.major)],
      ["cancel.f.class", c.class_name],
      ["cancel.f.student_no", str(reg.student_no)],
      ["cancel.f.phone", str(reg.phone)],
      ["cancel.f.email", str(reg.email)],
      ["cancel.f.address", str(reg.address)],
      ["cancel.f.postcode", str(reg.postcode)],
      ["cancel.f.preferred_date", str(reg.preferred_date)],
      ["cancel.f.extra_info", str(reg.extra_info)],
      ["cancel.f.remark", str(reg.remark)],
    ];
    return {
      id: c.id,
      site: `(${c.site_code}) ${c.site_name}`,
      channel: c.channel,
      registeredAt: str(reg.created_at) || null,
      personal,
      entries: entries.map((e) => ({
        subject: `(${e.subject_code}) ${names.get(e.subject_code) ?? ""}`.trim(),
        paid: e.paid,
        fee: formatYuan(e.fee_fen),
        paidAt: e.paid_at,
        paymentId: e.payment_id ?? "",
      })),
      paid: formatYuan(c.paid_fen),
      reason: c.reason,
      by: c.cancelled_by_name,
      at: c.cancelled_at,
    };
  });
}

export default function CancellationDetail() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormatDateTime();
  return (
    <section data-testid="cancellation">
      <p>
        <Link to="/admin/cancellations">{t("cancel.back")}</Link>
      </p>
      <h1>{t("cancel.detail_title")}</h1>
      <p className="readonly-banner" role="status">
        {t("cancel.readonly")}
      </p>

      <h2>{t("cancel.info")}</h2>
      <dl className="facts">
        <dt>{t("cancel.col.site")}</dt>
        <dd>{d.site}</dd>
        <dt>{t("cancel.col.channel")}</dt>
        <dd>{t(`cancel.channel.${d.channel}` as MessageKey)}</dd>
        {d.registeredAt ? (
          <>
            <dt>{t("cancel.registered_at")}</dt>
            <dd>{fmt(d.registeredAt)}</dd>
          </>
        ) : null}
        <dt>{t("cancel.col.paid")}</dt>
        <dd>{d.paid}</dd>
        <dt>{t("cancel.col.reason")}</dt>
        <dd>{d.reason}</dd>
        <dt>{t("cancel.col.by")}</dt>
        <dd>{d.by}</dd>
        <dt>{t("cancel.col.at")}</dt>
        <dd>{fmt(d.at)}</dd>
      </dl>

      <h2>{t("cancel.personal")}</h2>
      <dl className="facts">
        {d.personal.map(([k, v]) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd>{v || "—"}</dd>
          </div>
        ))}
      </dl>

      <h2>{t("cancel.entries")}</h2>
      {d.entries.length === 0 ? (
        <p className="muted">{t("cancel.no_entries")}</p>
      ) : (
        <table className="grid" data-testid="cancelled-entries">
          <thead>
            <tr>
              <th>{t("cancel.e.subject")}</th>
              <th>{t("cancel.e.paid")}</th>
              <th>{t("cancel.e.fee")}</th>
              <th>{t("cancel.e.paid_at")}</th>
              <th>{t("cancel.e.payment")}</th>
            </tr>
          </thead>
          <tbody>
            {d.entries.map((e, i) => (
              <tr key={i}>
                <td>{e.subject}</td>
                <td>{t(e.paid ? "common.yes" : "common.no")}</td>
                <td className="num">{e.fee}</td>
                <td className="nowrap">{fmt(e.paidAt)}</td>
                <td>
                  <code>{e.paymentId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
