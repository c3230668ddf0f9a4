import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PostExamFiles } from "~/components/post-exam-files";
import { guardAction, guardLoader } from "~/utils/http.server";
import { loadPostExamFiles, startPostExamFile } from "~/utils/post-exam-files.server";

const KINDS = ["receipts_by_class", "receipts_by_room"] as const;

/**
 * DOC-7 (manual §五十二): certificate receipt forms by class or by room through the generated-file
 * pattern, once scores are in and inside the post-exam downloads window (WIN-2); stale once a score,
 * certificate number, name or class changes. Superiors download what a site made.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, () => loadPostExamFiles(request, KINDS, { passedOnly: true }));
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, () => startPostExamFile(request, KINDS));
}

export default function CertificateReceipts() {
  return (
    <PostExamFiles
      data={useLoaderData<typeof loader>()}
      answer={useActionData<typeof action>()}
      title="receipts.title"
      hint="receipts.hint"
      none="receipts.none_passed"
      heading={(kind) => (kind === "receipts_by_class" ? "receipts.by_class" : "receipts.by_room")}
      testId="receipts"
    />
  );
}
