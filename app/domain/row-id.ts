/** Ids typed into URLs and forms: a database row id is a positive int4, anything else matches nothing. */
export const MAX_ROW_ID = 2_147_483_647;

export function isRowId(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && n <= MAX_ROW_ID;
}
