import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { verifyCardToken } from "~/domain/card-token";
import { batchLabel, formatClock } from "~/domain/rooms";
import { cardSecret } from "~/services/admission-cards.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability, requireOrgInScope } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

/**
 * DOC-9 (first half): what a phone camera opens from an admission card's QR code. A signed-in site
 * administrator (or a superior in scope) sees the candidate: photo, name, subject, time, room, batch
 * and seat; anyone else is asked to log in first (the login returns here). The token is verified
 * before anything is looked up; check-in itself comes with the exam-day issue.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const parsed = verifyCardToken(await cardSecret(), params.token ?? "");
    if (!parsed) return { state: "invalid" as const };
    const row = await getDb()
      .selectFrom("entry as e")
      .innerJoin("sitting as t", "t.id", "e.sitting_id")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .innerJoin("subject as s", "s.code", "e.subject_code")
      .innerJoin("org as o", "o.id", "e.org_id")
      .leftJoin("exam_batch as b", "b.id", "e.batch_id")
      .leftJoin("room as r", "r.id", "b.room_id")
      .select([
        "e.org_id",
        "e.sitting_id",
        "e.seat",
        "e.subject_code",
        "t.name as sitting_name",
        "g.id as registration_id",
        "g.name",
        "g.photo_id",
        "s.name as subject_name",
        "o.code as site_code",
        "o.name as site_name",
        "b.exam_date",
        "b.start_min",
        "b.end_min",
        "b.seq",
        "r.number as room",
        "r.location",
      ])
      .where("t.code", "=", parsed.sittingCode)
      .where("e.admission_no", "=", parsed.admissionNo)
      .executeTakeFirst();
    if (!row) return { state: "not_found" as const, admissionNo: parsed.admissionNo };
    // ORG-2: another site's candidate is not shown (the token alone proves nothing about who scans).
    await requireOrgInScope(ctx, row.org_id);
    return {
      state: "ok" as const,
      otherSitting: row.sitting_id !== ctx.sitting.id ? row.sitting_name : null,
      card: {
        admissionNo: parsed.admissionNo,
        name: row.name,
        // The photo route reads the current sitting's registrations only.
        photo:
          row.photo_id && row.sitting_id === ctx.sitting.id ? `/admin/candidates/${row.registration_id}/photo` : null,
        subject: `(${row.subject_code}) ${row.subject_name}`,
        time: row.exam_date ? `${row.exam_date} ${formatClock(row.start_min!)}–${formatClock(row.end_min!)}` : "—",
        roomBatch: row.room
          ? `${row.room}${row.location ? ` (${row.location})` : ""} · ${batchLabel(row.room, row.seq!)}`
          : "—",
        seat: row.seat ? String(row.seat).padStart(2, "0") : "—",
        site: `(${row.site_code}) ${row.site_name}`,
      },
    };
  });
}

export default function ScanCard() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <section className="scan-card" data-testid="scan-card" data-state={d.state}>
      <h1>{t("scan.title")}</h1>
      {d.state === "invalid" ? (
        <p className="notice error" role="alert">
          {t("scan.invalid")}
        </p>
      ) : d.state === "not_found" ? (
        <p className="notice partial" role="status">
          {t("scan.not_found")} <code>{d.admissionNo}</code>
        </p>
      ) : (
        <>
          <p className="notice success" role="status">
            {t("scan.verified")}
          </p>
          {d.otherSitting ? (
            <p className="notice partial">{t("scan.other_sitting", { sitting: d.otherSitting })}</p>
          ) : null}
          <div className="scan-person">
            {d.card.photo ? <img src={d.card.photo} alt={d.card.name} width={120} height={160} /> : null}
            <dl>
              <dt>{t("scan.name")}</dt>
              <dd className="big">{d.card.name}</dd>
              <dt>{t("scan.admission_no")}</dt>
              <dd>
                <code>{d.card.admissionNo}</code>
              </dd>
              <dt>{t("scan.subject")}</dt>
              <dd>{d.card.subject}</dd>
              <dt>{t("scan.time")}</dt>
              <dd>{d.card.time}</dd>
              <dt>{t("scan.room_batch")}</dt>
              <dd>{d.card.roomBatch}</dd>
              <dt>{t("scan.seat")}</dt>
              <dd className="big">{d.card.seat}</dd>
              <dt>{t("scan.site")}</dt>
              <dd>{d.card.site}</dd>
            </dl>
          </div>
          <p className="muted small">{t("scan.check_in_later")}</p>
        </>
      )}
    </section>
  );
}
