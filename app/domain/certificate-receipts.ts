// DOC-7 (manual §五十二): certificate receipt forms (证书领取确认单): per class or per room, the
// candidates whose score passed, with their certificate number and a box to sign on collection.

export type ReceiptGrouping = "class" | "room";

export interface ReceiptEntry {
  className: string;
  room: string;
  admissionNo: string;
  name: string;
  /** Masked to its last four: the form is passed round. */
  idNumber: string;
  subject: string;
  certificateNo: string;
}

export interface ReceiptGroup {
  /** The class name or room number ("" when the candidate gave no class). */
  key: string;
  entries: ReceiptEntry[];
}

/** Groups in key order (no class last), each in admission-number order. */
export function receiptGroups(entries: readonly ReceiptEntry[], by: ReceiptGrouping): ReceiptGroup[] {
  const groups = new Map<string, ReceiptEntry[]>();
  for (const e of entries) {
    const key = by === "class" ? e.className.trim() : e.room;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b, "zh-CN")))
    .map(([key, list]) => ({ key, entries: list.sort((x, y) => x.admissionNo.localeCompare(y.admissionNo)) }));
}

/** A group's PDF name inside the zip: characters a file system refuses replaced, never a path. */
export function receiptFileName(siteCode: string, group: ReceiptGroup, noClass: string, index: number): string {
  const stem = [...(group.key || noClass)]
    .map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? "_" : c))
    .join("")
    .slice(0, 60);
  return `${siteCode}/${String(index + 1).padStart(3, "0")}-${stem}.pdf`;
}
