import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { ActionError, ActionNotice } from "~/components/alerts";
import { COLUMN_MAP_KINDS, isColumnMapKind, parseNames, type ColumnMapKind } from "~/domain/column-maps";
import { AppError } from "~/domain/errors";
import { loadColumnMap, saveColumnMap } from "~/services/column-maps.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { canChange, requireAdminMutation, requireCapability } from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";

const KINDS = Object.keys(COLUMN_MAP_KINDS) as ColumnMapKind[];

/**
 * SCO-1/SCO-2 (decision 0042): the header names this deployment's marking system and certificate
 * centre use, beside the built-in ones; set by the centre for everyone, read by all administrators.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    const db = getDb();
    const maps = await Promise.all(KINDS.map((k) => loadColumnMap(db, k)));
    return {
      editable: ctx.org.level === "centre" && canChange(ctx),
      kinds: KINDS.map((kind, i) => ({
        kind,
        fields: Object.entries(COLUMN_MAP_KINDS[kind] as Record<string, readonly string[]>).map(([field, names]) => ({
          field,
          builtIn: [...names],
          own: maps[i][field],
        })),
      })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  return guardAction(request, async () => {
    const ctx = await requireAdminMutation(request);
    const kind = String(form.get("kind") ?? "");
    if (!isColumnMapKind(kind)) throw new AppError("form.invalid");
    const map = Object.fromEntries(
      Object.keys(COLUMN_MAP_KINDS[kind]).map((f) => [f, parseNames(String(form.get(`f_${f}`) ?? ""))]),
    );
    await saveColumnMap(ctx, kind, map);
    return { ok: true as const, kind };
  });
}

export default function ColumnMaps() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <section>
      <h1>{t("columns.title")}</h1>
      <p className="muted">{t("columns.hint")}</p>
      <ActionError result={r} />
      <ActionNotice result={r}>{t("columns.saved")}</ActionNotice>
      {d.kinds.map((k) => (
        <Form method="post" key={k.kind} className="form" data-testid={`columns-${k.kind}`}>
          <h2>{t(k.kind === "scores" ? "columns.scores" : "columns.mailing")}</h2>
          <input type="hidden" name="kind" value={k.kind} />
          <div className="table-scroll">
            <table className="grid compact">
              <thead>
                <tr>
                  <th>{t("columns.field")}</th>
                  <th>{t("columns.built_in")}</th>
                  <th>{t("columns.own")}</th>
                </tr>
              </thead>
              <tbody>
                {k.fields.map((f) => (
                  <tr key={f.field}>
                    <td>
                      <code>{f.field}</code>
                    </td>
                    <td className="small">{f.builtIn.join(t("columns.sep"))}</td>
                    <td>
                      <input
                        name={`f_${f.field}`}
                        defaultValue={f.own.join(t("columns.sep"))}
                        size={30}
                        disabled={!d.editable}
                        aria-label={`${f.field} ${t("columns.own")}`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {d.editable ? (
            <button type="submit" className="primary">
              {t("columns.save")}
            </button>
          ) : null}
        </Form>
      ))}
    </section>
  );
}
