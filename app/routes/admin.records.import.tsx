import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { studentRecordImportJob } from "~jobs/definitions/student-record-import";
import { loadSheetImport, startSheetImport } from "~/imports/sheet-import.server";
import { SheetImportPage } from "~/components/sheet-import-page";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** Manual §二十 (SR-2 … SR-4): upload the filled template; the import runs as a job with progress. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadSheetImport(request, studentRecordImportJob, "personal_data", "eligibility"));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () => startSheetImport(request, studentRecordImportJob, "eligibility"));
}

export default function ImportRecords() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <SheetImportPage
      keys={{
        title: "records.import_title",
        back: "records.title",
        template: "records.download_template",
        hint: "records.import_hint",
        file: "records.file",
        overwrite: "records.overwrite",
        submit: "records.import_submit",
        lastImport: "records.last_import",
        failed: "records.import_failed",
        report: "records.download_report",
      }}
      backTo="/admin/records"
      templateHref="/admin/records/template"
      window={d.window}
      writable={d.writable}
      last={d.last}
      answer={r}
      ok={(result) =>
        t("records.import_ok", {
          rows: result.rows ?? 0,
          inserted: result.inserted ?? 0,
          updated: result.updated ?? 0,
          replaced: result.replaced ?? 0,
        })
      }
    />
  );
}
