import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { AppError } from "~/domain/errors";
import { parsePostBatch } from "~/domain/check-in";
import { batchLabel, formatClock } from "~/domain/rooms";
import { batchRoll, checkIn, checkInBatches, findCardEntry } from "~/services/check-in.server";
import { markRestAbsent, rollCallCount, undoRollCall } from "~/services/violations.server";
import { kindLabel } from "~/domain/violations";
import { devicePost, postCookie } from "~/utils/check-in-post.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import {
  can,
  canChange,
  getWindowView,
  requireAdminMutation,
  requireCapability,
  requireCapabilityOf,
  requireSite,
} from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { Outcome } from "~/components/check-in-outcome";

/**
 * DOC-9 (second half): the site's check-in on exam day: the room and batch this device serves, its
 * roll (present, not yet, absent once it is over), check-in by admission number, and the scanner.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "check_in");
    requireSite(ctx);
    const db = getDb();
    const [batches, post] = await Promise.all([
      checkInBatches(db, ctx.sitting.id, ctx.org.id),
      devicePost(ctx, request),
    ]);
    const roll = post ? await batchRoll(db, ctx.sitting.id, ctx.org.id, post.id) : null;
    // DOC-9: once the batch has ended, a site administrator inside the violations window turns the
    // candidates never checked in into absences (and can undo it).
    const rollCall =
      roll && roll.ended && can(ctx, "personal_data")
        ? {
            allowed: canChange(ctx, await getWindowView(ctx, "violations")),
            toMark: roll.entries.filter((e) => e.checked_in_at === null && e.violation_kind === null).length,
            marked: await rollCallCount(db, post!.id),
          }
        : null;
    return {
      rollCall,
      batches: batches.map((b) => ({
        id: b.id,
        label: `${b.exam_date} ${formatClock(b.start_min)}–${formatClock(b.end_min)} · ${batchLabel(b.room, b.seq)}`,
        expected: b.expected,
        present: b.present,
      })),
      post: post ? { id: post.id, label: batchLabel(post.room, post.seq) } : null,
      roll: roll && {
        ended: roll.ended,
        counts: roll.counts,
        entries: roll.entries.map((e) => ({
          id: e.id,
          seat: String(e.seat ?? "").padStart(2, "0"),
          name: e.name,
          admissionNo: e.admission_no!,
          at: e.checked_in_at,
          by: e.checked_in_by_name,
          violation: e.violation_kind,
        })),
      },
    };
  });
}

const PostForm = z.object({ intent: z.literal("post"), batch: z.string().default("") });
const ManualForm = z.object({
  intent: z.literal("manual"),
  admissionNo: z.string().trim().min(1, "checkin.not_found"),
});

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { capability: "check_in" });
    requireSite(ctx);
    if (form.get("intent") === "post") {
      const { batch } = parseForm(form, PostForm);
      const id = parsePostBatch(batch);
      if (batch !== "" && id === null) throw new AppError("checkin.no_batch", {}, 404);
      if (id !== null) await batchRoll(getDb(), ctx.sitting.id, ctx.org.id, id); // another site's batch: 404
      throw redirect("/admin/check-in", {
        headers: { "Set-Cookie": await postCookie.serialize(id === null ? "" : String(id)) },
      });
    }
    if (form.get("intent") === "absent" || form.get("intent") === "undo_absent") {
      // WIN-2: absences are violations: the violations window, an administrator who may see the candidates.
      const admin = await requireAdminMutation(request, { window: "violations" });
      requireCapabilityOf(admin, "personal_data");
      const post = await devicePost(admin, request);
      if (!post) throw new AppError("checkin.no_batch", {}, 404);
      if (form.get("intent") === "absent") {
        const r = await markRestAbsent(admin, post.id);
        return { ok: true as const, rollCall: "marked" as const, count: r.absent };
      }
      const r = await undoRollCall(admin, post.id);
      return { ok: true as const, rollCall: "undone" as const, count: r.removed };
    }
    const { admissionNo } = parseForm(form, ManualForm);
    const no = admissionNo.normalize("NFKC").replace(/\s+/g, "");
    const entry = await findCardEntry(getDb(), { sittingId: ctx.sitting.id, admissionNo: no });
    if (!entry || entry.org_id !== ctx.org.id) throw new AppError("checkin.not_found", {}, 404);
    const post = await devicePost(ctx, request);
    const r = await checkIn(
      ctx,
      entry.entry_id,
      { roomId: post?.room_id ?? null, batchId: post?.id ?? null },
      "manual",
    );
    return { ok: true as const, outcome: r, name: `${entry.name} (${no})` };
  });
}

export default function CheckIn() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  return (
    <section className="check-in">
      <h1>{t("checkin.title")}</h1>
      <p className="muted">{t("checkin.hint")}</p>
      <Form method="post" className="form inline">
        <input type="hidden" name="intent" value="post" />
        <label>
          {t("checkin.post")}
          <select name="batch" defaultValue={d.post?.id ?? ""} data-testid="post-batch">
            <option value="">{t("checkin.post_none")}</option>
            {d.batches.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label} ({b.present}/{b.expected})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("checkin.choose")}</button>
      </Form>
      <p>
        <Link to="/admin/check-in/scan" className="button primary" data-testid="open-scanner">
          {t("checkin.scan")}
        </Link>
      </p>
      <Form method="post" className="form inline" data-testid="manual-check-in">
        <input type="hidden" name="intent" value="manual" />
        <label>
          {t("checkin.manual")}
          <input name="admissionNo" inputMode="numeric" autoComplete="off" size={18} required />
        </label>
        <button type="submit" className="primary">
          {t("checkin.submit")}
        </button>
      </Form>
      <ActionError result={r} />
      {r && r.ok && r.outcome ? <Outcome outcome={r.outcome} name={r.name ?? ""} /> : null}
      <ActionNotice result={r && r.ok && "rollCall" in r ? r : null} testId="roll-call-done">
        {(done) =>
          t(done.rollCall === "marked" ? "checkin.marked_absent" : "checkin.undone_absent", { count: done.count ?? 0 })
        }
      </ActionNotice>
      {d.roll ? (
        <>
          <h2>{d.post?.label}</h2>
          <p data-testid="roll-counts">
            {t("checkin.counts", {
              expected: d.roll.counts.expected,
              present: d.roll.counts.present,
              rest: d.roll.ended
                ? t("checkin.absent", { count: d.roll.counts.absent })
                : t("checkin.not_yet", { count: d.roll.counts.notYet }),
            })}
          </p>
          {d.rollCall ? <RollCall {...d.rollCall} /> : null}
          <table className="grid compact" data-testid="roll">
            <thead>
              <tr>
                <th>{t("checkin.col_seat")}</th>
                <th>{t("checkin.col_name")}</th>
                <th>{t("checkin.col_no")}</th>
                <th>{t("checkin.col_state")}</th>
              </tr>
            </thead>
            <tbody>
              {d.roll.entries.map((e) => (
                <tr key={e.id} data-present={String(e.at !== null)}>
                  <td>{e.seat}</td>
                  <td className="nowrap">{e.name}</td>
                  <td>
                    <code>{e.admissionNo}</code>
                  </td>
                  <td>
                    {e.at
                      ? t("checkin.present_at", { at: (fmt(e.at) ?? "").split(" ").pop() ?? "", by: e.by ?? "" })
                      : e.violation === "absent"
                        ? t("checkin.absent_recorded")
                        : e.violation
                          ? t("checkin.violation_recorded", { kind: t(kindLabel(e.violation)) })
                          : t("checkin.not_checked")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

/** DOC-9: after the batch, its candidates never checked in become absences in one step (and back). */
function RollCall({ allowed, toMark, marked }: { allowed: boolean; toMark: number; marked: number }) {
  const t = useT();
  if (!allowed) return <p className="muted small">{t("checkin.roll_call_hint")}</p>;
  return (
    <div className="actions" data-testid="roll-call">
      {toMark > 0 ? (
        <Form
          method="post"
          onSubmit={(ev) => {
            if (!confirm(t("checkin.mark_absent_confirm", { count: toMark }))) ev.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="absent" />
          <button type="submit" className="primary" data-testid="mark-absent">
            {t("checkin.mark_absent", { count: toMark })}
          </button>
        </Form>
      ) : null}
      {marked > 0 ? (
        <Form
          method="post"
          onSubmit={(ev) => {
            if (!confirm(t("checkin.undo_absent_confirm", { count: marked }))) ev.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="undo_absent" />
          <button type="submit" data-testid="undo-absent">
            {t("checkin.undo_absent", { count: marked })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
