import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client";
import { findLastJobOf } from "~db/queries/jobs";
import { studentRecordImportJob } from "~jobs/definitions/student-record-import";
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

/** Manual §二十 (SR-2 … SR-4): upload the filled template; the import runs as a job with progress. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    requireSite(ctx);
    const last = await findLastJobOf(getDb(), studentRecordImportJob, { orgId: ctx.org.id, accountId: ctx.accountId });
    return {
      window: await getWindowView(ctx, "eligibility"),
      writable: canChange(ctx),
      last: last
        ? { id: last.id, status: last.status, created_at: last.created_at, error: last.error, result: last.result }
        : null,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    // WIN-2: student-record imports belong to the eligibility window.
    const ctx = await requireAdminMutation(request, { window: "eligibility" });
    requireSite(ctx);
    return startImport(ctx, request, studentRecordImportJob, {
      // judged by content, not by name.
      prepare: prepareSheet,
    });
  });
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
