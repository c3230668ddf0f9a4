import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { mailingImportJob } from "~jobs/definitions/mailing-import";
import { loadSheetImport, startSheetImport } from "~/imports/sheet-import.server";
import { prepareCsv } from "~/imports/start-import.server";
import { SheetImportPage } from "~/components/sheet-import-page";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/** SCO-2 (manual §四十一): the certificate mailing file, a .csv, as the score file is imported; no window. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadSheetImport(request, mailingImportJob, "personal_data", null));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () =>
    startSheetImport(request, mailingImportJob, null, {
      capability: "personal_data",
      prepare: (upload) => prepareCsv(upload, "mailing.csv_only"),
    }),
  );
}

export default function ImportMailings() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <SheetImportPage
      keys={{
        title: "mailing.title",
        back: "scores.title",
        template: "mailing.download_template",
        hint: "mailing.import_hint",
        file: "mailing.file",
        submit: "mailing.import_submit",
        lastImport: "mailing.last_import",
        failed: "mailing.import_failed",
        report: "mailing.download_report",
      }}
      accept=".csv"
      backTo="/admin/scores"
      templateHref="/admin/scores/mailing-template"
      window={d.window}
      writable={d.writable}
      last={d.last}
      answer={r}
      ok={(result) => t("mailing.import_ok", { imported: result.imported ?? 0 })}
    />
  );
}
