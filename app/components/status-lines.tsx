import type { MessageKey } from "~/i18n";
import type { StatusLine } from "~/domain/registration";
import { useFormatDateTime, useT } from "~/utils/use-t";

/**
 * Issue 15 item 5: the status lines speak to the candidate ("您…"); on the administrator's page of a
 * candidate the same facts are said about the candidate instead.
 */
export const ADMIN_WORDING: Partial<Record<MessageKey, MessageKey>> = {
  "status.group": "status.group_admin",
  "status.no_registration": "status.no_registration_admin",
};

/** CAN-10: where a registration stands, line by line; the candidate's page and the site's candidate page both show it. */
export function StatusLines({ lines, viewer = "candidate" }: { lines: StatusLine[]; viewer?: "candidate" | "admin" }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const text = (l: StatusLine) => {
    const p: Record<string, string | number> = { ...(l.params ?? {}) };
    for (const k of ["from", "to"]) if (typeof p[k] === "string") p[k] = fmt(p[k] as string);
    return t((viewer === "admin" && ADMIN_WORDING[l.key]) || l.key, p);
  };
  return (
    <ol className="status-lines" data-testid="status-lines">
      {lines.map((l) => (
        <li key={l.topic} className={`tone-${l.tone}`} data-topic={l.topic}>
          {text(l)}
        </li>
      ))}
    </ol>
  );
}
