/** Issue 16 item 5: the kinds of generated file (their builders: generated-files.server.ts). */
export const GENERATED_KIND_NAMES = [
  "room_statistics",
  "small_cards",
  "large_cards",
  "photo_package",
  "cbt_data",
  "sign_in_sheets",
  "seating_charts",
  "score_dbf",
  "score_csv",
  "receipts_by_class",
  "receipts_by_room",
] as const;
export type GeneratedKindName = (typeof GENERATED_KIND_NAMES)[number];
