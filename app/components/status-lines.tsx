import type { StatusLine } from "~/domain/registration";
import { useFormatDateTime, useT } from "~/utils/use-t";

/** CAN-10: where a registration stands, line by line; the candidate's page and the site's candidate page both show it. */
export function StatusLines({ lines }: { lines: StatusLine[] }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const text = (l: StatusLine) => {
    const p: Record<string, string | number> = { ...(l.params ?? {}) };
    for (const k of ["from", "to"]) if (typeof p[k] === "string") p[k] = fmt(p[k] as string);
    return t(l.key, p);
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
