import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment, useState } from "react";
import { getDb } from "~db/client";
import { listOrgSubtree } from "~db/queries/orgs";
import { listWindows } from "~db/queries/windows";
import { AppError } from "~/domain/errors";
import {
  formatWallClock,
  isInstant,
  isWindowKind,
  parseWallClock,
  WINDOW_KINDS,
  type WindowKind,
} from "~/domain/windows";
import { treeDepths } from "~/domain/org";
import type { MessageKey } from "~/i18n";
import { setWindows, type WindowChange } from "~/services/set-windows.server";
import { getEnv } from "~/utils/env.server";
import { guardAction, guardLoader, parseForm } from "~/utils/http.server";
import { fieldsWithPrefix, WINDOWS_INTENT, WindowsActionSchema } from "~/schemas/setup";
import { requireAdminMutation, canChange, requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

const toInput = (d: Date | null | undefined, tz: string) => (d ? formatWallClock(d, tz).replace(" ", "T") : "");

/** Manual §九: a superior sets its subordinates' windows, one row per subordinate; a site only reads its own. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const tz = getEnv().timeZone;
    const kindParam = new URL(request.url).searchParams.get("kind") ?? "pre_registration";
    const kind: WindowKind = isWindowKind(kindParam) ? kindParam : "pre_registration";
    const tree = await listOrgSubtree(getDb(), ctx.org.id, ctx.sitting.id);
    const ancestorIds = ctx.orgPath.map((o) => o.id);
    const rows = await listWindows(getDb(), ctx.sitting.id, [...new Set([...tree.map((o) => o.id), ...ancestorIds])]);
    const win = (orgId: number, k: string) => rows.find((r) => r.org_id === orgId && r.kind === k);
    const parentOf = new Map(tree.map((o) => [o.id, o.parent_id]));
    const depths = treeDepths(tree);
    const ownDepth = depths.get(ctx.org.id) ?? 0;
    const own = WINDOW_KINDS.map((k) => {
      const w = win(ctx.org.id, k);
      return { kind: k, start: toInput(w?.starts_at, tz), end: toInput(w?.ends_at, tz) };
    });
    const subordinates = tree
      .filter((o) => o.id !== ctx.org.id)
      .map((o) => {
        const w = win(o.id, kind);
        const p = o.parent_id ? win(o.parent_id, kind) : undefined;
        return {
          id: o.id,
          code: o.code,
          name: o.name,
          level: o.level,
          // Issue 15 item 9: rows in tree order (codes nest), indented by their depth below the viewer.
          depth: (depths.get(o.id) ?? 0) - ownDepth - 1,
          parentCode: tree.find((x) => x.id === parentOf.get(o.id))?.code ?? "",
          start: toInput(w?.starts_at, tz),
          end: toInput(w?.ends_at, tz),
          parentStart: toInput(p?.starts_at, tz),
          parentEnd: toInput(p?.ends_at, tz),
        };
      });
    return {
      kind,
      instant: isInstant(kind),
      own,
      subordinates,
      orgLevel: ctx.org.level,
      // The centre sets the national calendar itself; everyone else's own windows come from above.
      ownEditable: ctx.org.level === "centre" && canChange(ctx),
      writable: canChange(ctx),
      levels: [...new Set(subordinates.map((s) => s.level))],
      timeZone: tz,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request);
    const tz = getEnv().timeZone;
    const input = parseForm(form, WindowsActionSchema);
    const kind = input.kind;
    const parse = (text: string) => {
      if (!text) return null;
      const d = parseWallClock(text, tz);
      if (!d) throw new AppError("window.bad_time", { value: text });
      return d;
    };
    const tree = await listOrgSubtree(getDb(), ctx.org.id, ctx.sitting.id);
    const depths = treeDepths(tree);
    const depth = (id: number) => depths.get(id) ?? 0;
    const changes: WindowChange[] = [];
    const targetIds: number[] = [];
    if (input.intent === WINDOWS_INTENT.setAll) {
      targetIds.push(...tree.filter((o) => o.id !== ctx.org.id && o.level === input.level).map((o) => o.id));
      const starts = parse(input.start_all);
      const ends = isInstant(kind) ? null : parse(input.end_all);
      if (!starts || (!isInstant(kind) && !ends)) throw new AppError("window.bad_time", { value: "" });
      for (const id of targetIds) changes.push({ orgId: id, kind, span: { starts_at: starts, ends_at: ends } });
    } else {
      const startOf = fieldsWithPrefix(input, "start_");
      const endOf = fieldsWithPrefix(input, "end_");
      const shownStartOf = fieldsWithPrefix(input, "orig_start_");
      const shownEndOf = fieldsWithPrefix(input, "orig_end_");
      for (const idText of input.orgIds.split(",").filter(Boolean)) {
        const id = idText === "self" ? ctx.org.id : Number(idText);
        const start = startOf[idText] ?? "";
        const end = endOf[idText] ?? "";
        // Only rows the user changed are saved, so an old row never blocks a new one.
        if (start === (shownStartOf[idText] ?? "") && end === (shownEndOf[idText] ?? "")) continue;
        targetIds.push(id);
        const starts = parse(start);
        const ends = isInstant(kind) ? null : parse(end);
        changes.push({ orgId: id, kind, span: starts ? { starts_at: starts, ends_at: ends } : null });
      }
    }
    changes.sort((a, b) => depth(a.orgId) - depth(b.orgId));
    const r = await setWindows(ctx, changes);
    return { ok: true as const, changed: r.changed };
  });
}

export default function Windows() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const kindLabel = (k: string) => t(`window.kind.${k}` as MessageKey);
  // Issue 15 item 9: a province with 100 sites finds its row by name or code and narrows by level;
  // hidden rows stay in the form unchanged, so saving never touches them.
  const [query, setQuery] = useState("");
  const [level, setLevel] = useState("");
  const shown = (s: { code: string; name: string; level: string }) =>
    (!level || s.level === level) && (!query.trim() || `${s.code} ${s.name}`.includes(query.trim()));
  const errorRow = r && "errorRow" in r ? r.errorRow : undefined;
  const cols = d.instant ? 3 : 4;
  return (
    <section>
      <h1>{t("nav.windows")}</h1>
      <p className="muted">{t("window.page_hint", { tz: d.timeZone })}</p>
      <ActionError result={r} />
      <ActionNotice result={r}>{(done) => <>{t("window.saved", { count: done.changed })}</>}</ActionNotice>

      <h2>{t("window.own")}</h2>
      <Form method="post">
        <table className="grid" data-testid="own-windows">
          <thead>
            <tr>
              <th>{t("window.window")}</th>
              <th>{t("window.start")}</th>
              <th>{t("window.end")}</th>
            </tr>
          </thead>
          <tbody>
            {d.own.map((w) => (
              <tr key={w.kind} data-kind={w.kind}>
                <th scope="row">{kindLabel(w.kind)}</th>
                <td>{w.start ? w.start.replace("T", " ") : <span className="muted">{t("window.not_set")}</span>}</td>
                <td>{w.kind === "card_print" ? "—" : w.end ? w.end.replace("T", " ") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Form>

      {d.subordinates.length > 0 ? (
        <>
          <h2>{t("window.subordinates")}</h2>
          <nav className="tabs" aria-label={t("window.window")}>
            {WINDOW_KINDS.map((k) => (
              <Link
                key={k}
                to={`?kind=${k}`}
                className={k === d.kind ? "active" : undefined}
                aria-current={k === d.kind ? "page" : undefined}
              >
                {kindLabel(k)}
              </Link>
            ))}
          </nav>
          {d.writable ? (
            <Form method="post" className="form inline set-all">
              <input type="hidden" name="intent" value={WINDOWS_INTENT.setAll} />
              <input type="hidden" name="kind" value={d.kind} />
              <strong>{t("window.set_all")}</strong>
              <label>
                {t("window.level")}
                <select name="level">
                  {d.levels.map((l) => (
                    <option key={l} value={l}>
                      {t(`org.level.${l}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("window.start")}
                <input type="datetime-local" name="start_all" required />
              </label>
              {!d.instant ? (
                <label>
                  {t("window.end")}
                  <input type="datetime-local" name="end_all" required />
                </label>
              ) : null}
              <button type="submit">{t("window.apply_all")}</button>
            </Form>
          ) : null}
          <div className="form inline grid-filter" role="search">
            <label>
              {t("window.find")}
              <input
                type="search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                placeholder={t("window.find_placeholder")}
                data-testid="window-find"
              />
            </label>
            <label>
              {t("window.level")}
              <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="window-level">
                <option value="">{t("common.all")}</option>
                {d.levels.map((l) => (
                  <option key={l} value={l}>
                    {t(`org.level.${l}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted small">
              {t("window.rows_shown", { shown: d.subordinates.filter(shown).length, total: d.subordinates.length })}
            </span>
          </div>
          <Form method="post" key={d.kind}>
            <input type="hidden" name="intent" value={WINDOWS_INTENT.save} />
            <input type="hidden" name="kind" value={d.kind} />
            <input type="hidden" name="orgIds" value={d.subordinates.map((s) => s.id).join(",")} />
            <table className="grid" data-testid="subordinate-windows">
              <thead>
                <tr>
                  <th>{t("org.name")}</th>
                  <th>{t("window.start")}</th>
                  {!d.instant ? <th>{t("window.end")}</th> : null}
                  <th>{t("window.parent_window")}</th>
                </tr>
              </thead>
              <tbody>
                {d.subordinates.map((s) => (
                  <Fragment key={s.id}>
                    <tr
                      data-org={s.code}
                      data-level={s.level}
                      hidden={!shown(s) && s.code !== errorRow}
                      className={s.code === errorRow ? "row-error" : undefined}
                      aria-invalid={s.code === errorRow ? true : undefined}
                    >
                      <th scope="row" style={{ paddingLeft: `${0.5 + s.depth * 1.25}rem` }}>
                        {s.depth > 0 ? (
                          <span className="muted" aria-hidden="true">
                            └{" "}
                          </span>
                        ) : null}
                        ({s.code}) {s.name}
                      </th>
                      <td>
                        <input type="hidden" name={`orig_start_${s.id}`} value={s.start} />
                        <input
                          type="datetime-local"
                          name={`start_${s.id}`}
                          defaultValue={s.start}
                          disabled={!d.writable}
                          aria-label={`${s.code} ${t("window.start")}`}
                        />
                      </td>
                      {!d.instant ? (
                        <td>
                          <input type="hidden" name={`orig_end_${s.id}`} value={s.end} />
                          <input
                            type="datetime-local"
                            name={`end_${s.id}`}
                            defaultValue={s.end}
                            disabled={!d.writable}
                            aria-label={`${s.code} ${t("window.end")}`}
                          />
                        </td>
                      ) : (
                        <input type="hidden" name={`orig_end_${s.id}`} value="" />
                      )}
                      <td className="muted small">
                        {s.parentStart
                          ? `${s.parentStart.replace("T", " ")}${d.instant ? "" : ` ${t("common.to")} ${s.parentEnd.replace("T", " ")}`}`
                          : t("window.parent_not_set_short")}
                      </td>
                    </tr>
                    {s.code === errorRow && r && "error" in r ? (
                      <tr className="row-error-detail" data-error-for={s.code}>
                        <td colSpan={cols} className="error">
                          {r.error}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
            {d.writable ? (
              <button type="submit" className="primary">
                {t("common.save")}
              </button>
            ) : null}
          </Form>
        </>
      ) : null}
      {d.ownEditable ? <CentreOwnWindows own={d.own} /> : null}
    </section>
  );
}

/** The centre sets its own windows (the national calendar) inside which every province's must lie. */
function CentreOwnWindows({ own }: { own: Array<{ kind: string; start: string; end: string }> }) {
  const t = useT();
  return (
    <>
      <h2>{t("window.centre_calendar")}</h2>
      {own.map((w) => (
        <Form method="post" key={w.kind} className="form inline">
          <input type="hidden" name="intent" value={WINDOWS_INTENT.save} />
          <input type="hidden" name="kind" value={w.kind} />
          <input type="hidden" name="orgIds" value="self" />
          <strong>{t(`window.kind.${w.kind}` as MessageKey)}</strong>
          <CentreRow w={w} />
        </Form>
      ))}
    </>
  );
}

function CentreRow({ w }: { w: { kind: string; start: string; end: string } }) {
  const t = useT();
  return (
    <>
      <input type="hidden" name="orig_start_self" value={w.start} />
      <input type="hidden" name="orig_end_self" value={w.end} />
      <label>
        {t("window.start")}
        <input type="datetime-local" name="start_self" defaultValue={w.start} />
      </label>
      {w.kind !== "card_print" ? (
        <label>
          {t("window.end")}
          <input type="datetime-local" name="end_self" defaultValue={w.end} />
        </label>
      ) : null}
      <button type="submit">{t("common.save")}</button>
    </>
  );
}
