import { ActionError, ActionNotice } from "~/components/alerts";
import { GeneratedFile, type GeneratedFileData } from "~/components/generated-file";
import { SitePageHead } from "~/components/site-page-head";
import type { WindowViewData } from "~/components/window-badge";
import type { MessageKey } from "~/i18n";
import { useT } from "~/utils/use-t";

/** The page of a few generated files made from the scores (app/utils/post-exam-files.server.ts). */
export function PostExamFiles(props: {
  data: {
    site: { id: number; code: string; name: string };
    sites: Array<{ id: number; code: string; name: string }>;
    window: WindowViewData;
    scores: number;
    kinds: Array<{ kind: string; file: GeneratedFileData | null; job: { id: string; status: string } | null }>;
    canGenerate: boolean;
  };
  answer: { ok: boolean; kind?: string } | { ok: boolean; error: string } | null | undefined;
  title: MessageKey;
  hint: MessageKey;
  none: MessageKey;
  heading: (kind: string) => MessageKey;
  testId: string;
}) {
  const t = useT();
  const d = props.data;
  const r = props.answer;
  return (
    <section>
      <SitePageHead title={t(props.title)} site={d.site} sites={d.sites} window={d.window} />
      <p className="muted">{t(props.hint)}</p>
      {d.scores === 0 ? <p className="notice partial">{t(props.none)}</p> : null}
      <ActionError result={r} />
      {d.kinds.map((k) => (
        <section key={k.kind} data-testid={`${props.testId}-${k.kind}`}>
          <h2>{t(props.heading(k.kind))}</h2>
          <ActionNotice result={r && r.ok && "kind" in r && r.kind === k.kind ? r : undefined}>
            {() => t("roomstats.progress")}
          </ActionNotice>
          <GeneratedFile file={k.file} job={k.job} kind={k.kind} canGenerate={d.canGenerate} />
        </section>
      ))}
    </section>
  );
}
