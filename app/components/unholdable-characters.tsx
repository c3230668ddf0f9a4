import { useT } from "~/utils/use-t";

/**
 * DOC-4/DOC-6: characters a card font or a code page cannot hold, each with whose names or details
 * it is in, shown before anything is generated.
 */
export function UnholdableCharacters({
  title,
  hint,
  items,
  testId,
}: {
  title: string;
  hint: string;
  items: ReadonlyArray<{ char: string; codePoint: string; names: readonly string[] }>;
  testId: string;
}) {
  const t = useT();
  if (items.length === 0) return null;
  return (
    <section className="notice error" data-testid={testId} role="alert">
      <h2>{title}</h2>
      <p className="small">{hint}</p>
      <table className="grid compact">
        <thead>
          <tr>
            <th>{t("cards.missing_char")}</th>
            <th>{t("cards.missing_code")}</th>
            <th>{t("cards.missing_names")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.codePoint}>
              <td className="big-char">{m.char}</td>
              <td>{m.codePoint}</td>
              <td>{m.names.join("、")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
