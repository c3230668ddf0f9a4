import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { violationImportJob } from "~jobs/definitions/violation-import";
import { loadSheetImport, startSheetImport } from "~/imports/sheet-import.server";
import { SheetImportPage } from "~/components/sheet-import-page";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** VIO-1: a site's violations from the .xlsx template, through the shared import pipeline (a job with progress); WIN-2: the violations window. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadSheetImport(request, violationImportJob, "personal_data", "violations"));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () => startSheetImport(request, violationImportJob, "violations"));
}

export default function ImportViolations() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <SheetImportPage
      keys={{
        title: "violations.import_title",
        back: "violations.title",
        template: "violations.download_template",
        hint: "violations.import_hint",
        file: "violations.file",
        overwrite: "violations.overwrite",
        submit: "violations.import_submit",
        lastImport: "violations.last_import",
        failed: "violations.import_failed",
        report: "violations.download_report",
      }}
      backTo="/admin/violations"
      templateHref="/admin/violations/template"
      window={d.window}
      writable={d.writable}
      last={d.last}
      answer={r}
      ok={(result) =>
        t("violations.import_ok", {
          rows: result.rows ?? 0,
          inserted: result.inserted ?? 0,
          updated: result.updated ?? 0,
          unchanged: result.unchanged ?? 0,
        })
      }
    />
  );
}
