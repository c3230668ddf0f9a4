import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PostExamFiles } from "~/components/post-exam-files";
import { guardAction, guardLoader } from "~/utils/http.server";
import { loadPostExamFiles, startPostExamFile } from "~/utils/post-exam-files.server";

const KINDS = ["score_dbf", "score_csv"] as const;

/**
 * SCO-3 (manual §四十三): the site's scores as .dbf and .csv through the generated-file pattern:
 * generated only once scores are imported and inside the post-exam downloads window (WIN-2); each
 * file's time and size shown, stale once scores change. Superiors download what a site made.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadPostExamFiles(request, KINDS, { passedOnly: false }));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () => startPostExamFile(request, KINDS));
}

export default function ScoreDownloads() {
  return (
    <PostExamFiles
      data={useLoaderData<typeof loader>()}
      answer={useActionData<typeof action>()}
      title="scores.download_title"
      hint="scores.download_hint"
      none="scores.none_imported"
      heading={(kind) => (kind === "score_dbf" ? "scores.dbf_title" : "scores.csv_title")}
      testId="scores"
    />
  );
}
