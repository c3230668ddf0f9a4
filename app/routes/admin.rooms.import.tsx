import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { roomImportJob } from "~jobs/definitions/room-import";
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
import { SheetImportPage } from "~/components/sheet-import-page";

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
  return (
    <SheetImportPage
      keys={{
        title: "rooms.import_title",
        back: "rooms.title",
        template: "rooms.download_template",
        hint: "rooms.import_hint",
        file: "rooms.file",
        overwrite: "rooms.overwrite",
        submit: "rooms.import_submit",
        lastImport: "rooms.last_import",
        failed: "rooms.import_failed",
        report: "rooms.download_report",
      }}
      backTo="/admin/rooms"
      templateHref="/admin/rooms/template"
      window={d.window}
      writable={d.writable}
      last={d.last}
      answer={r}
      ok={(result) =>
        t("rooms.import_ok", { rows: result.rows ?? 0, inserted: result.inserted ?? 0, updated: result.updated ?? 0 })
      }
    />
  );
}
