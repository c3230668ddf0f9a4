import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { ActionError } from "~/components/alerts";
import { ImportOutcome, RowImportFailure } from "~/components/import-result";
import { ReadOnlyBanner, type WindowViewData } from "~/components/window-badge";
import type { RowImportReport } from "~/imports/row-import.server";
import type { MessageKey } from "~/i18n";
import { useT } from "~/utils/use-t";

/**
 * The page of a one-sheet import (student records, rooms …; DESIGN.md "Imports share one pipeline"):
 * the window banner, the template, the upload form with "overwrite", and the last import's outcome.
 * Each page passes its own words and its figures on success.
 */
export function SheetImportPage<R extends RowImportReport>(props: {
  keys: {
    title: MessageKey;
    back: MessageKey;
    template: MessageKey;
    hint: MessageKey;
    file: MessageKey;
    /** The "overwrite" box; an import without one passes its own `options` instead. */
    overwrite?: MessageKey;
    submit: MessageKey;
    lastImport: MessageKey;
    failed: MessageKey;
    report: MessageKey;
  };
  backTo: string;
  templateHref: string;
  window: WindowViewData;
  writable: boolean;
  last: { id: string; status: string; created_at: string | Date; error?: string | null; result?: R | null } | null;
  answer: { ok: boolean } | { ok: boolean; error: string } | null | undefined;
  ok: (result: R) => ReactNode;
  /** The import's own fields in place of "overwrite" (the score import's checks). */
  options?: ReactNode;
  accept?: string;
}) {
  const t = useT();
  const k = props.keys;
  const busy = useNavigation().state === "submitting";
  const open = props.window.status === "open" && props.writable;
  // Issue 13 item 7: a refused upload's message stands alone; the previous import's result under it would read as this file's.
  const refused = Boolean(props.answer && !props.answer.ok);
  return (
    <section>
      <h1>{t(k.title)}</h1>
      <ReadOnlyBanner view={props.window} />
      <p>
        <Link to={props.backTo}>{t(k.back)}</Link> ·{" "}
        <a href={props.templateHref} download>
          {t(k.template)}
        </a>
      </p>
      <p className="muted">{t(k.hint)}</p>
      {/* Keyed by the last import, so the file input is cleared once a result is shown. */}
      <Form method="post" encType="multipart/form-data" className="form" key={props.last?.id ?? "none"}>
        <fieldset disabled={!open || busy}>
          <label>
            {t(k.file)}
            <input type="file" name="file" accept={props.accept ?? ".xlsx,.csv"} required />
          </label>
          {k.overwrite ? (
            <label className="check">
              <input type="checkbox" name="overwrite" /> {t(k.overwrite)}
            </label>
          ) : null}
          {props.options}
          <button type="submit" className="primary">
            {t(k.submit)}
          </button>
        </fieldset>
      </Form>
      <ActionError result={props.answer} />
      <ImportOutcome
        last={props.last}
        refused={refused}
        title={t(k.title)}
        heading={k.lastImport}
        ok={(result) => (
          <p className="notice success" role="status">
            {props.ok(result)}
          </p>
        )}
        failure={(result) => <RowImportFailure result={result} failed={k.failed} report={k.report} />}
      />
    </section>
  );
}
