import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { roomImportJob } from "~jobs/definitions/room-import";
import { loadSheetImport, startSheetImport } from "~/imports/sheet-import.server";
import { SheetImportPage } from "~/components/sheet-import-page";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** ROOM-1: a site's rooms from its own spreadsheet, through the shared import pipeline (a job with progress); WIN-2: the allocation window. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadSheetImport(request, roomImportJob, "settings", "allocation"));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () => startSheetImport(request, roomImportJob, "allocation"));
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
