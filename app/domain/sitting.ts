/** 考次 is a national serial number kept as data, two digits (e.g. "78"). */
export function checkSittingCode(code: string): "sitting.code.format" | null {
  return /^\d{2}$/.test(code) ? null : "sitting.code.format";
}

/** ORG-7: only the current sitting can be changed; past sittings are read-only. */
export function isSittingWritable(sitting: { is_current: boolean }): boolean {
  return sitting.is_current;
}
