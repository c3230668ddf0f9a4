import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { roomImportJob } from "~jobs/definitions/room-import";
import { ReadOnlyBanner } from "~/components/window-badge";
import { prepareSheet, startImport } from "~/imports/start-import.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import {
  getWindowView,
  requireAdminMutation,
  canChange,
  requireCapability,
  requireSite,
} from "~/utils/permissions.server";
import { useT } from "~/utils/use-t";
import { ImportOutcome, RowImportFailure } from "~/components/import-result";
import { ActionError } from "~/components/alerts";

/** ROOM-1: a site's rooms from its own spreadsheet, through the shared import pipeline (a job with progress). */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "settings");
    requireSite(ctx);
    const last = await findLastJobOf(getDb(), roomImportJob, { orgId: ctx.org.id, accountId: ctx.accountId });
    return {
      window: await getWindowView(ctx, "allocation"),
      writable: canChange(ctx),
      last: last
        ? { id: last.id, status: last.status, created_at: last.created_at, error: last.error, result: last.result }
        : null,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: rooms belong to the allocation window.
    const ctx = await requireAdminMutation(request, { window: "allocation" });
    requireSite(ctx);
    return startImport(ctx, request, roomImportJob, {
      // judged by content, not by name.
      prepare: prepareSheet,
    });
  });
}

export default function ImportRooms() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const open = d.window.status === "open" && d.writable;
  // Issue 13 item 7: a refused upload's message stands alone; the previous import's result under it would read as this file's.
  const refused = Boolean(r && !r.ok);
  return (
    <section>
      <h1>{t("rooms.import_title")}</h1>
      <ReadOnlyBanner view={d.window} />
      <p>
        <Link to="/admin/rooms">{t("rooms.title")}</Link> ·{" "}
        <a href="/admin/rooms/template" download>
          {t("rooms.download_template")}
        </a>
      </p>
      <p className="muted">{t("rooms.import_hint")}</p>
      {/* Keyed by the last import, so the file input is cleared once a result is shown. */}
      <Form method="post" encType="multipart/form-data" className="form" key={d.last?.id ?? "none"}>
        <fieldset disabled={!open || busy}>
          <label>
            {t("rooms.file")}
            <input type="file" name="file" accept=".xlsx,.csv" required />
          </label>
          <label className="check">
            <input type="checkbox" name="overwrite" /> {t("rooms.overwrite")}
          </label>
          <button type="submit" className="primary">
            {t("rooms.import_submit")}
          </button>
        </fieldset>
      </Form>
      <ActionError result={r} />
      <ImportOutcome
        last={d.last}
        refused={refused}
        title={t("rooms.import_title")}
        heading="rooms.last_import"
        ok={(result) => (
          <p className="notice success" role="status">
            {t("rooms.import_ok", {
              rows: result.rows ?? 0,
              inserted: result.inserted ?? 0,
              updated: result.updated ?? 0,
            })}
          </p>
        )}
        failure={(result) => (
          <RowImportFailure result={result} failed="rooms.import_failed" report="rooms.download_report" />
        )}
      />
    </section>
  );
}
