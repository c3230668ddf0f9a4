import type { columnsZhCN } from "../zh-CN/columns";

// "columns.*" messages in English (SCO-1/SCO-2).
export const columnsEn: Record<keyof typeof columnsZhCN, string> = {
  "columns.title": "Score file column names",
  "columns.hint":
    "The marking system's and the certificate centre's files have no public standard layout. Besides the built-in names, give each field the column names your systems use (separated by commas); imports recognise them too. Set by the centre's administrators for every site.",
  "columns.scores": "Score file",
  "columns.mailing": "Certificate mailing file",
  "columns.field": "Field",
  "columns.built_in": "Built-in names",
  "columns.own": "This deployment's names",
  "columns.sep": ", ",
  "columns.save": "Save",
  "columns.saved": "Column names saved.",
  "columns.centre_only": "Only the centre's administrators change the column names.",
  "columns.unknown_field": "There is no field {field}.",
  "columns.too_many": "Field {field} takes at most {max} names.",
  "columns.too_long": "Field {field}'s name “{name}” is too long (at most {max} characters).",
  "columns.taken": "The name “{name}” already belongs to field {other}; it cannot also name {field}.",
};
