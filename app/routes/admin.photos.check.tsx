import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { AppError } from "~/domain/errors";
import { photoCheckJob } from "~jobs/definitions/photo-check";
import { startPhotoCheck } from "~/services/start-photo-check.server";
import { JobProgress } from "~/components/job-progress";
import { deleteUnmatchedPhotos } from "~/services/check-photos.server";
import { type AdminContext } from "~/utils/auth.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { PHOTO_CHECK_INTENT, PhotoCheckActionSchema } from "~/schemas/photos";
import { canChange, requireAdminMutation, requireCapability, requireSite } from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ActionError } from "~/components/alerts";

/** The site's latest check in the viewed sitting (ORG-2: the site's own jobs only). */
function lastCheck(ctx: AdminContext, jobId?: string) {
  return findLastJobOf(getDb(), photoCheckJob, { orgId: ctx.org.id, sittingId: ctx.sitting.id, id: jobId });
}

/** Manual §二十四 (PHO-5): the photo check, at any time (WIN-6: never window-gated). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const last = await lastCheck(ctx);
    const result = last?.result ?? null;
    // Photos deleted since the check are marked, and only those still there can be deleted.
    let remaining = 0;
    let present = new Set<number>();
    if (result && result.unmatchedIds.length > 0) {
      const ids = result.unmatchedIds;
      const rows = await getDb()
        .selectFrom("photo")
        .select("id")
        .where("org_id", "=", ctx.org.id)
        .where("sitting_id", "=", ctx.sitting.id)
        .where("id", "in", ids)
        .execute();
      present = new Set(rows.map((r) => r.id));
      remaining = rows.length;
    }
    return {
      writable: canChange(ctx),
      last: last
        ? {
            id: last.id,
            status: last.status,
            created_at: last.created_at,
            result: result
              ? {
                  registrations: result.registrations,
                  photos: result.photos,
                  relinked: result.relinked,
                  skippedPaid: result.skippedPaid,
                  unmatchedTotal: result.unmatchedTotal,
                  unmatched: result.unmatched.map((u) => ({ ...u, deleted: !present.has(u.photoId) })),
                }
              : null,
          }
        : null,
      remaining,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-6: no window; but re-linking and deleting are changes (ORG-7 past sittings, ORG-11 finance are refused).
    const ctx = await requireAdminMutation(request, {});
    requireSite(ctx);
    const input = await readForm(request, PhotoCheckActionSchema);
    if (input.intent === PHOTO_CHECK_INTENT.check) {
      const jobId = await startPhotoCheck(ctx);
      return { ok: true as const, jobId };
    }
    // Only what a finished check of this site listed, each judged again as it is deleted.
    const last = await lastCheck(ctx, input.jobId || undefined);
    const result = last?.status === "done" ? last.result : null;
    if (!result) throw new AppError("photos.no_check", {}, 409);
    const deleted = await deleteUnmatchedPhotos(ctx.actor, ctx.org.id, ctx.sitting.id, result.unmatchedIds);
    return { ok: true as const, deleted };
  });
}

export default function CheckPhotos() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state === "submitting";
  const running = d.last && (d.last.status === "queued" || d.last.status === "running");
  const result = d.last?.result;
  return (
    <section>
      <h1>{t("photos.check_title")}</h1>
      <p className="muted">{t("photos.check_hint")}</p>
      <Form method="post" className="form">
        <fieldset disabled={!d.writable || busy || !!running}>
          <input type="hidden" name="intent" value={PHOTO_CHECK_INTENT.check} />
          <button type="submit" className="primary">
            {t("photos.check_submit")}
          </button>
        </fieldset>
      </Form>
      <ActionError result={r} />
      {r && r.ok && r.deleted !== undefined ? (
        <p className="notice" role="status">
          {t("photos.deleted", { count: r.deleted })}
        </p>
      ) : null}
      {running ? <JobProgress jobId={d.last!.id} label={t("photos.check_title")} revalidateOnFinish /> : null}
      {d.last?.status === "failed" ? (
        <p className="error" role="alert">
          {t("job.failed")}
        </p>
      ) : null}
      {result ? (
        <section data-testid="check-result">
          <h2>{t("photos.last_check", { at: fmt(d.last!.created_at) })}</h2>
          <p className="notice" role="status">
            {t("photos.check_result", {
              registrations: result.registrations,
              photos: result.photos,
              relinked: result.relinked,
              skipped: result.skippedPaid.length,
              unmatched: result.unmatchedTotal,
            })}
          </p>
          {result.skippedPaid.length > 0 ? (
            <>
              <h3>{t("photos.skipped_title")}</h3>
              <table className="grid" data-testid="skipped-paid">
                <thead>
                  <tr>
                    <th>{t("records.name")}</th>
                    <th>{t("photos.col.id_number")}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.skippedPaid.map((s) => (
                    <tr key={s.registrationId}>
                      <td>{s.name}</td>
                      <td>{s.idNumber}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
          <h3>{t("photos.unmatched_title")}</h3>
          {result.unmatchedTotal === 0 ? (
            <p>{t("photos.unmatched_none")}</p>
          ) : (
            <>
              {result.unmatchedTotal > result.unmatched.length ? (
                <p className="muted">
                  {t("photos.unmatched_more", { shown: result.unmatched.length, total: result.unmatchedTotal })}
                </p>
              ) : null}
              {d.writable && d.remaining > 0 ? (
                <Form
                  method="post"
                  onSubmit={(ev) => {
                    if (!confirm(t("photos.delete_confirm", { count: d.remaining }))) ev.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value={PHOTO_CHECK_INTENT.deleteUnmatched} />
                  <input type="hidden" name="jobId" value={d.last!.id} />
                  <button type="submit" className="danger" disabled={busy}>
                    {t("photos.delete_unmatched", { count: d.remaining })}
                  </button>
                </Form>
              ) : null}
              <table className="grid" data-testid="unmatched">
                <thead>
                  <tr>
                    <th>{t("photos.col.id_number")}</th>
                    <th>{t("photos.col.uploaded_at")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {result.unmatched.map((u) => (
                    <tr key={u.photoId}>
                      <td>{u.idNumber}</td>
                      <td>{fmt(u.uploadedAt)}</td>
                      <td>{u.deleted ? t("photos.deleted_mark") : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      ) : null}
    </section>
  );
}
