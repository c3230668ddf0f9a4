import { z } from "zod";

/** SR-5: the student records page: add or edit one record, delete one, or delete every search result. */
export const RECORD_INTENT = { add: "add", edit: "edit", delete: "delete", deleteAll: "delete-all" } as const;

const id = z.coerce.number().int().positive();

/** The record's own fields are judged by parseStudentRecordForm (the import's row rules), not here. */
export const RecordActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal(RECORD_INTENT.add) }).passthrough(),
    z.object({ intent: z.literal(RECORD_INTENT.edit), id }).passthrough(),
    z.object({ intent: z.literal(RECORD_INTENT.delete), id }),
    // The count the user confirmed: deleting goes ahead only while it is still the count (SR-5).
    z.object({ intent: z.literal(RECORD_INTENT.deleteAll), count: z.coerce.number().int().min(0) }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
