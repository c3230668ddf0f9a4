import { savedText, type SavedText } from "~/i18n";
import { useT } from "~/utils/use-t";

/** X-3/SR-3: the first errors of an all-or-nothing import, one row per cell in error. */
export function ImportErrorTable({
  errors,
}: {
  errors: ReadonlyArray<{ row: number; column: string; value: string; cutFrom?: number; message: SavedText }>;
}) {
  const t = useT();
  return (
    <table className="grid" data-testid="import-errors">
      <thead>
        <tr>
          <th>{t("import.col.row")}</th>
          <th>{t("import.col.column")}</th>
          <th>{t("import.col.value")}</th>
          <th>{t("import.col.message")}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={i}>
            <td>{e.row}</td>
            <td>{e.column}</td>
            <td>
              {e.value}
              {e.cutFrom ? t("import.value_cut", { length: e.cutFrom }) : null}
            </td>
            <td>{savedText(t, e.message)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
