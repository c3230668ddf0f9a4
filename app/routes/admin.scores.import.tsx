import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { scoreImportJob } from "~jobs/definitions/score-import";
import { loadSheetImport, startSheetImport } from "~/imports/sheet-import.server";
import { prepareCsv } from "~/imports/start-import.server";
import type { ReceivedUpload } from "~/imports/upload.server";
import { SheetImportPage } from "~/components/sheet-import-page";
import { guardAction, guardLoader } from "~/utils/http.server";
import { useT } from "~/utils/use-t";

/**
 * SCO-1 (manual §四十): the marking system's score file, a .csv judged by content (a CSV renamed .xlsx
 * is read as the CSV it is), through the shared import pipeline with the manual's three checks.
 * No window gates it (the manual names none); it changes only the current sitting.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadSheetImport(request, scoreImportJob, "personal_data", null));
}

/** A box left unticked is not sent: each check is on only when its box came with the form. */
async function prepareScores(upload: ReceivedUpload) {
  const prepared = await prepareCsv(upload, "scores.csv_only");
  return {
    ...prepared,
    payload: {
      ...prepared.payload,
      checkViolations: upload.fields.checkViolations === "on",
      checkMissingNumber: upload.fields.checkMissingNumber === "on",
      checkIdentity: upload.fields.checkIdentity === "on",
    },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () =>
    startSheetImport(request, scoreImportJob, null, { capability: "personal_data", prepare: prepareScores }),
  );
}

export default function ImportScores() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  return (
    <SheetImportPage
      keys={{
        title: "scores.import_title",
        back: "scores.title",
        template: "scores.download_template",
        hint: "scores.import_hint",
        file: "scores.file",
        submit: "scores.import_submit",
        lastImport: "scores.last_import",
        failed: "scores.import_failed",
        report: "scores.download_report",
      }}
      accept=".csv"
      backTo="/admin/scores"
      templateHref="/admin/scores/template"
      window={d.window}
      writable={d.writable}
      last={d.last}
      answer={r}
      options={
        <>
          <label className="check">
            <input type="checkbox" name="checkViolations" defaultChecked /> {t("scores.check_violations")}
          </label>
          <label className="check">
            <input type="checkbox" name="checkMissingNumber" defaultChecked /> {t("scores.check_missing_number")}
          </label>
          <label className="check">
            <input type="checkbox" name="checkIdentity" defaultChecked data-testid="check-identity" />{" "}
            {t("scores.check_identity")}
          </label>
          <p className="muted small">{t("scores.check_identity_hint")}</p>
        </>
      }
      ok={(result) =>
        t("scores.import_ok", {
          imported: result.imported ?? 0,
          skipped: result.skipped ?? 0,
          identity: result.identityUpdated ?? 0,
          violations: result.violationsUpdated ?? 0,
        })
      }
    />
  );
}
