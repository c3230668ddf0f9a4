import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AppError } from "~/domain/errors";
import { canCheckIn, checkInVerdict } from "~/domain/check-in";
import { checkIn, findCardEntry } from "~/services/check-in.server";
import { devicePost } from "~/utils/check-in-post.server";
import { isSittingWritable } from "~/domain/sitting";
import { isSite, requireAdminMutation } from "~/utils/permissions.server";
import { Outcome } from "~/components/check-in-outcome";
import { getDb } from "~db/client";
import { verifyCardToken } from "~/domain/card-token";
import { batchLabel, formatClock } from "~/domain/rooms";
import { cardSecret } from "~/services/admission-cards.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { requireCapability, requireOrgInScope } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

/**
 * DOC-9 (first half): what a phone camera opens from an admission card's QR code. A signed-in site
 * administrator (or a superior in scope) sees the candidate: photo, name, subject, time, room, batch
 * and seat; anyone else is asked to log in first (the login returns here). The token is verified
 * before anything is looked up; check-in itself comes with the exam-day issue.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    // DOC-9: whoever checks candidates in: a site's administrators and invigilators (superiors in scope may look).
    const ctx = await requireCapability(request, "check_in");
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
      .leftJoin("attendance as a", "a.entry_id", "e.id")
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
        "e.batch_id",
        "b.room_id",
        "a.checked_in_at",
        "a.checked_in_by_name",
      ])
      .where("t.code", "=", parsed.sittingCode)
      .where("e.admission_no", "=", parsed.admissionNo)
      .executeTakeFirst();
    if (!row) return { state: "not_found" as const, admissionNo: parsed.admissionNo };
    // ORG-2: another site's candidate is not shown (the token alone proves nothing about who scans).
    await requireOrgInScope(ctx, row.org_id);
    // DOC-9: at a site, whether the candidate belongs at this device's room and batch, and their check-in.
    const post = isSite(ctx) ? await devicePost(ctx, request) : null;
    const verdict = isSite(ctx)
      ? checkInVerdict(
          { sittingId: row.sitting_id, siteId: row.org_id, roomId: row.room_id, batchId: row.batch_id },
          { sittingId: ctx.sitting.id, siteId: ctx.org.id, roomId: post?.room_id ?? null, batchId: post?.id ?? null },
        )
      : null;
    return {
      state: "ok" as const,
      checkIn: {
        verdict,
        post: post ? batchLabel(post.room, post.seq) : null,
        canCheckIn: verdict !== null && canCheckIn(verdict) && isSittingWritable(ctx.sitting) && !row.checked_in_at,
        at: row.checked_in_at,
        by: row.checked_in_by_name ?? "",
      },
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

/** DOC-9: checks the scanned candidate in at this device's room and batch (idempotent). */
export async function action({ request, params }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { capability: "check_in" });
    const parsed = verifyCardToken(await cardSecret(), params.token ?? "");
    if (!parsed) throw new AppError("scan.invalid", {}, 400);
    const entry = await findCardEntry(getDb(), parsed);
    // Another site's (or sitting's) candidate: never recorded, and the page says why.
    if (!entry) throw new AppError("checkin.not_found", {}, 404);
    const post = isSite(ctx) ? await devicePost(ctx, request) : null;
    const outcome = await checkIn(
      ctx,
      entry.entry_id,
      { roomId: post?.room_id ?? null, batchId: post?.id ?? null },
      "scan",
    );
    return { ok: true as const, outcome, name: entry.name };
  });
}

function CheckInPanel({ d }: { d: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "ok" }> }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const r = useActionData<typeof action>();
  const c = d.checkIn;
  if (r && r.ok) return <Outcome outcome={r.outcome} name={r.name} place={d.card.roomBatch} />;
  if (!c.verdict) return null;
  return (
    <div className="check-in-panel" data-verdict={c.verdict}>
      <p
        className={c.verdict === "ok" ? "notice success" : "notice error"}
        role={c.verdict === "ok" ? "status" : "alert"}
        data-testid="check-in-verdict"
      >
        {t(`checkin.verdict.${c.verdict}`, { place: d.card.roomBatch })}
      </p>
      {c.at ? (
        <p className="notice success" data-testid="check-in-outcome" data-state="already">
          {t("checkin.already", { name: d.card.name, at: fmt(c.at), by: c.by })}
        </p>
      ) : c.canCheckIn ? (
        <Form method="post">
          <button type="submit" className="primary big" data-testid="check-in">
            {t("checkin.submit")}
          </button>
        </Form>
      ) : null}
      <p>
        <Link to="/admin/check-in/scan">{t("checkin.scan")}</Link> ·{" "}
        <Link to="/admin/check-in">{t("checkin.title")}</Link>
      </p>
    </div>
  );
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
          <CheckInPanel d={d} />
        </>
      )}
    </section>
  );
}
