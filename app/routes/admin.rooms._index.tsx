import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { getDb } from "~db/client";
import { listBatches, listRooms, siteExamRanges } from "~db/queries/rooms";
import { AppError } from "~/domain/errors";
import { batchFitsSubject, batchLabel, formatClock, parseClock, siteExamDays } from "~/domain/rooms";
import type { MessageKey } from "~/i18n";
import { ActionError, ActionNotice } from "~/components/alerts";
import { SitePicker } from "~/components/site-picker";
import { ReadOnlyBanner } from "~/components/window-badge";
import { ROOMS_INTENT, RoomsActionSchema } from "~/schemas/rooms";
import { seatGrid } from "~/domain/room-sheets";
import { addBatch, addTimetable, deleteBatches, deleteRoom, saveBatch, saveRoom } from "~/services/manage-rooms.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { canChange, getWindowView, isSite, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";
import { useT } from "~/utils/use-t";

/** Manual §三十 (ROOM-1, ROOM-2): a site's rooms and batches, set inside its allocation window; superiors read them. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const { site, sites } = await resolveSetupSite(ctx, request);
    const window = await getWindowView(ctx, "allocation");
    const db = getDb();
    const [rooms, batches, ranges] = await Promise.all([
      listRooms(db, ctx.sitting.id, site.id),
      listBatches(db, ctx.sitting.id, site.id),
      siteExamRanges(db, ctx.sitting.id, site.id),
    ]);
    const url = new URL(request.url);
    const editId = Number(url.searchParams.get("edit") ?? 0);
    const editBatchId = Number(url.searchParams.get("batch") ?? 0);
    return {
      site: { id: site.id, code: site.code, name: site.name },
      sites,
      window,
      editable: isSite(ctx) && canChange(ctx, window),
      rooms,
      editing: rooms.find((r) => r.id === editId) ?? null,
      days: siteExamDays(ranges),
      editingBatch: (() => {
        const b = batches.find((x) => x.id === editBatchId);
        return b
          ? {
              id: b.id,
              label: batchLabel(b.room_number, b.seq),
              date: b.exam_date,
              start: formatClock(b.start_min),
              end: formatClock(b.end_min),
              capacity: b.capacity,
            }
          : null;
      })(),
      batches: batches.map((b) => ({
        id: b.id,
        label: batchLabel(b.room_number, b.seq),
        date: b.exam_date,
        time: `${formatClock(b.start_min)}–${formatClock(b.end_min)}`,
        minutes: b.end_min - b.start_min,
        capacity: b.capacity,
        allocated: b.allocated,
        // ROOM-1: the subjects this batch can hold (in their exam range, long enough).
        fits: ranges.filter((r) => batchFitsSubject(b, r)).map((r) => r.subject_code),
      })),
    };
  });
}

const int = (v: string) => (/^\d{1,4}$/.test(v.normalize("NFKC").trim()) ? Number(v.normalize("NFKC").trim()) : NaN);
const clock = (v: string) => {
  const m = parseClock(v);
  if (m === null) throw new AppError("rooms.bad_time");
  return m;
};
const ids = (form: FormData, name: string) =>
  form
    .getAll(name)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request, { window: "allocation" });
    const input = parseForm(form, RoomsActionSchema);
    switch (input.intent) {
      case ROOMS_INTENT.saveRoom: {
        await saveRoom(ctx, { ...input, id: input.id || undefined });
        return { ok: true as const, intent: input.intent, message: "rooms.added" as MessageKey, params: {} };
      }
      case ROOMS_INTENT.deleteRoom: {
        const number = await deleteRoom(ctx, input.id);
        return { ok: true as const, intent: input.intent, message: "rooms.deleted" as MessageKey, params: { number } };
      }
      case ROOMS_INTENT.timetable: {
        const days = form.getAll("day").filter((d): d is string => typeof d === "string");
        const capacity = input.capacity.trim() === "" ? null : int(input.capacity);
        const r = await addTimetable(ctx, {
          roomIds: ids(form, "room"),
          days,
          start: clock(input.start),
          count: int(input.count),
          minutes: int(input.minutes),
          gap: int(input.gap),
          capacity,
        });
        return {
          ok: true as const,
          intent: input.intent,
          message: "rooms.timetable_done" as MessageKey,
          params: { rooms: r.rooms, count: r.batches },
        };
      }
      case ROOMS_INTENT.addBatch: {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw new AppError("rooms.bad_date");
        const label = await addBatch(ctx, {
          roomId: input.room,
          exam_date: input.date,
          start_min: clock(input.start),
          end_min: clock(input.end),
          capacity: int(input.capacity),
        });
        return {
          ok: true as const,
          intent: input.intent,
          message: "rooms.batch_added" as MessageKey,
          params: { label },
        };
      }
      case ROOMS_INTENT.saveBatch: {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw new AppError("rooms.bad_date");
        const label = await saveBatch(ctx, {
          id: input.id,
          exam_date: input.date,
          start_min: clock(input.start),
          end_min: clock(input.end),
          capacity: int(input.capacity),
        });
        return {
          ok: true as const,
          intent: input.intent,
          message: "rooms.batch_saved" as MessageKey,
          params: { label },
        };
      }
      case ROOMS_INTENT.deleteBatches: {
        const count = await deleteBatches(ctx, ids(form, "batch"));
        return {
          ok: true as const,
          intent: input.intent,
          message: "rooms.batches_deleted" as MessageKey,
          params: { count },
        };
      }
    }
  });
}

const PRESETS = {
  manual: { start: "08:00", count: 3, minutes: 120, gap: 30 },
  day120: { start: "08:00", count: 4, minutes: 120, gap: 20 },
  seed004: { start: "08:00", count: 15, minutes: 20, gap: 10 },
} as const;

export default function Rooms() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  // Each form's answer is drawn beside it (issue 15 item 1): the form last sent says where.
  const [sent, setSent] = useState<string | null>(null);
  const answerFor = (intent: string) => (sent === intent || (sent === null && intent === "top") ? r : undefined);
  const mark = (intent: string) => () => setSent(intent);
  const Answer = ({ intent }: { intent: string }) => {
    const a = answerFor(intent);
    return (
      <>
        <ActionError result={a} />
        <ActionNotice result={a}>
          {(done) => t(done.message, done.params as Record<string, string | number>)}
        </ActionNotice>
      </>
    );
  };
  const e = d.editing;
  const eb = d.editingBatch;
  const preset = (ev: FormEvent<HTMLSelectElement>) => {
    const p = PRESETS[ev.currentTarget.value as keyof typeof PRESETS];
    const f = ev.currentTarget.form;
    if (!p || !f) return;
    for (const [k, v] of Object.entries(p)) (f.elements.namedItem(k) as HTMLInputElement).value = String(v);
  };
  return (
    <section className="rooms">
      <h1>
        {t("rooms.title")}{" "}
        <small>
          ({d.site.code}) {d.site.name}
        </small>
      </h1>
      <SitePicker sites={d.sites} selected={d.site.id} />
      <ReadOnlyBanner view={d.window} />
      <p className="muted">{t("rooms.hint")}</p>
      <p data-testid="exam-days">
        {d.days.length ? t("rooms.exam_days", { days: d.days }) : t("rooms.no_exam_days")}{" "}
        <a href={`/admin/rooms/export?site=${d.site.id}`} download>
          {t("rooms.export")}
        </a>
        {d.editable ? (
          <>
            {" · "}
            <Link to="/admin/rooms/import">{t("rooms.import_title")}</Link>
          </>
        ) : null}
      </p>
      <Answer intent="top" />

      <h2>{t("rooms.rooms")}</h2>
      {d.rooms.length === 0 ? (
        <p className="muted empty" data-testid="rooms-empty">
          {t("rooms.none")}
        </p>
      ) : (
        <table className="grid compact" data-testid="rooms">
          <thead>
            <tr>
              <th>{t("rooms.number")}</th>
              <th>{t("rooms.location")}</th>
              <th className="num">{t("rooms.seats")}</th>
              <th className="num">{t("rooms.grid")}</th>
              <th className="num">{t("rooms.batch_count")}</th>
              <th className="num">{t("rooms.allocated")}</th>
              {d.editable ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {d.rooms.map((room) => (
              <tr key={room.id} data-room={room.number}>
                <th scope="row">{room.number}</th>
                <td>{room.location}</td>
                <td className="num">{room.seats}</td>
                <td className="num" title={room.seat_columns === null ? t("rooms.grid_default") : undefined}>
                  {t("rooms.grid_value", seatGrid(room))}
                  {room.seat_columns === null ? "*" : ""}
                </td>
                <td className="num">{room.batch_count}</td>
                <td className="num">{room.allocated}</td>
                {d.editable ? (
                  <td className="nowrap">
                    <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), edit: String(room.id) })}`}>
                      {t("common.edit")}
                    </Link>{" "}
                    <Form
                      method="post"
                      style={{ display: "inline" }}
                      onSubmit={(ev) => {
                        if (!confirm(t("rooms.delete_confirm", { number: room.number }))) ev.preventDefault();
                        else setSent("room");
                      }}
                    >
                      <input type="hidden" name="intent" value={ROOMS_INTENT.deleteRoom} />
                      <input type="hidden" name="id" value={room.id} />
                      <button type="submit" className="link danger">
                        {t("common.delete")}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.rooms.some((r) => r.seat_columns === null) ? <p className="muted small">{t("rooms.grid_default")}</p> : null}

      {d.editable ? (
        <>
          <h3>{e ? t("rooms.edit_title", { number: e.number }) : t("rooms.add_title")}</h3>
          <Form
            method="post"
            className="form inline"
            key={e?.id ?? `new-${d.rooms.length}`}
            onSubmit={mark("room")}
            data-testid="room-form"
          >
            <input type="hidden" name="intent" value={ROOMS_INTENT.saveRoom} />
            {e ? <input type="hidden" name="id" value={e.id} /> : null}
            <label>
              {t("rooms.number")}
              <input name="number" defaultValue={e?.number} required inputMode="numeric" size={4} />
            </label>
            <label>
              {t("rooms.location")}
              <input name="location" defaultValue={e?.location} size={24} />
            </label>
            <label>
              {t("rooms.seats")}
              <input name="seats" defaultValue={e?.seats} required inputMode="numeric" size={5} />
            </label>
            <label title={t("rooms.columns_hint")}>
              {t("rooms.columns")}
              <input
                name="columns"
                defaultValue={e?.seat_columns ?? ""}
                inputMode="numeric"
                size={3}
                placeholder={t("rooms.columns_placeholder")}
              />
            </label>
            <button type="submit" className={d.rooms.length === 0 || e ? "primary" : undefined}>
              {t("common.save")}
            </button>
            {e ? <Link to={`?site=${d.site.id}`}>{t("common.cancel")}</Link> : null}
          </Form>
          <Answer intent="room" />
        </>
      ) : null}

      {d.editable && d.rooms.length > 0 ? (
        <>
          <h2>{t("rooms.timetable_title")}</h2>
          <p className="muted small">{t("rooms.timetable_hint")}</p>
          <Form method="post" className="form timetable" onSubmit={mark("timetable")} data-testid="timetable-form">
            <input type="hidden" name="intent" value={ROOMS_INTENT.timetable} />
            <fieldset className="checks">
              <legend>{t("rooms.timetable_rooms")}</legend>
              {d.rooms.map((room) => (
                <label key={room.id} className="check">
                  <input type="checkbox" name="room" value={room.id} defaultChecked /> {room.number}
                </label>
              ))}
            </fieldset>
            <fieldset className="checks">
              <legend>{t("rooms.timetable_days")}</legend>
              {d.days.map((day) => (
                <label key={day} className="check">
                  <input type="checkbox" name="day" value={day} defaultChecked /> {day}
                </label>
              ))}
            </fieldset>
            <label>
              {t("rooms.timetable_preset")}
              <select onChange={preset} defaultValue="manual" data-testid="timetable-preset">
                {Object.keys(PRESETS).map((k) => (
                  <option key={k} value={k}>
                    {t(`rooms.preset.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="inline-fields">
              <label>
                {t("rooms.timetable_start")}
                <input name="start" defaultValue={PRESETS.manual.start} size={6} required />
              </label>
              <label>
                {t("rooms.timetable_count")}
                <input name="count" defaultValue={PRESETS.manual.count} size={4} inputMode="numeric" required />
              </label>
              <label>
                {t("rooms.timetable_minutes")}
                <input name="minutes" defaultValue={PRESETS.manual.minutes} size={4} inputMode="numeric" required />
              </label>
              <label>
                {t("rooms.timetable_gap")}
                <input name="gap" defaultValue={PRESETS.manual.gap} size={4} inputMode="numeric" required />
              </label>
              <label>
                {t("rooms.timetable_capacity")}
                <input name="capacity" size={14} inputMode="numeric" placeholder={t("rooms.timetable_capacity_hint")} />
              </label>
            </fieldset>
            <button type="submit" className={d.batches.length === 0 ? "primary" : undefined}>
              {t("rooms.timetable_create")}
            </button>
          </Form>
          <Answer intent="timetable" />
        </>
      ) : null}

      <h2>{t("rooms.batches")}</h2>
      {d.batches.length === 0 ? (
        <p className="muted empty" data-testid="batches-empty">
          {t("rooms.no_batches")}
        </p>
      ) : (
        <Form
          method="post"
          onSubmit={(ev) => {
            if (!confirm(t("rooms.delete_batches_confirm"))) ev.preventDefault();
            else setSent("batches");
          }}
        >
          <input type="hidden" name="intent" value={ROOMS_INTENT.deleteBatches} />
          <table className="grid compact" data-testid="batches">
            <thead>
              <tr>
                {d.editable ? <th /> : null}
                <th>{t("rooms.batch")}</th>
                <th>{t("rooms.batch_date")}</th>
                <th>{t("rooms.batch_time")}</th>
                <th className="num">{t("rooms.capacity")}</th>
                <th className="num">{t("rooms.allocated")}</th>
                <th>{t("rooms.fits")}</th>
                {d.editable ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {d.batches.map((b) => (
                <tr key={b.id} data-batch={b.label}>
                  {d.editable ? (
                    <td>
                      <input type="checkbox" name="batch" value={b.id} aria-label={b.label} />
                    </td>
                  ) : null}
                  <th scope="row">{b.label}</th>
                  <td>{b.date}</td>
                  <td>{b.time}</td>
                  <td className="num">{b.capacity}</td>
                  <td className="num">{b.allocated}</td>
                  <td className={b.fits.length ? undefined : "warn-text"}>
                    {b.fits.length ? b.fits.join(" ") : t("rooms.fits_none")}
                  </td>
                  {d.editable ? (
                    <td>
                      <Link
                        to={`?${new URLSearchParams({ ...Object.fromEntries(params), batch: String(b.id) })}#batch-form`}
                        aria-label={`${t("common.edit")} ${b.label}`}
                      >
                        {t("common.edit")}
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {d.editable ? (
            <button type="submit" className="danger">
              {t("rooms.delete_batches")}
            </button>
          ) : null}
        </Form>
      )}
      <Answer intent="batches" />

      {d.editable && d.rooms.length > 0 ? (
        <>
          <h3 id="batch-form">{eb ? t("rooms.edit_batch_title", { label: eb.label }) : t("rooms.add_batch_title")}</h3>
          <Form
            method="post"
            className="form inline"
            onSubmit={mark("batch")}
            data-testid="batch-form"
            key={eb?.id ?? "new-batch"}
          >
            <input type="hidden" name="intent" value={eb ? ROOMS_INTENT.saveBatch : ROOMS_INTENT.addBatch} />
            {eb ? (
              <input type="hidden" name="id" value={eb.id} />
            ) : (
              <label>
                {t("rooms.number")}
                <select name="room" required>
                  {d.rooms.map((room) => (
                    <option key={room.id} value={room.id}>
                      {room.number}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              {t("rooms.batch_date")}
              <select name="date" required defaultValue={eb?.date}>
                {d.days.map((day) => (
                  <option key={day} value={day}>
                    {day}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("rooms.batch_start")}
              <input name="start" size={6} placeholder="08:00" required defaultValue={eb?.start} />
            </label>
            <label>
              {t("rooms.batch_end")}
              <input name="end" size={6} placeholder="10:00" required defaultValue={eb?.end} />
            </label>
            <label>
              {t("rooms.capacity")}
              <input name="capacity" size={5} inputMode="numeric" required defaultValue={eb?.capacity} />
            </label>
            <button type="submit" className={eb ? "primary" : undefined}>
              {eb ? t("common.save") : t("common.add")}
            </button>
            {eb ? <Link to={`?site=${d.site.id}`}>{t("common.cancel")}</Link> : null}
          </Form>
          <Answer intent="batch" />
        </>
      ) : null}
    </section>
  );
}
