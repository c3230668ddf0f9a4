/** SET-3 money: entered in yuan with at most two decimals, kept in fen. */
export function parseYuan(text: string): number | null {
  const s = text
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace("．", ".");
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(s)) return null;
  const [i, f = ""] = s.split(".");
  return Number(i) * 100 + Number((f + "00").slice(0, 2));
}

export function formatYuan(fen: number | null): string {
  if (fen === null) return "";
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

/** CAN-7: what a candidate pays: the per-person fee once plus each entry's subject fee. */
export function registrationFee(perPersonFen: number, subjectFeesFen: readonly number[]): number {
  return perPersonFen + subjectFeesFen.reduce((a, b) => a + b, 0);
}

/** SET-3: fees are set when the per-person fee and a fee for every offered subject exist. */
export function feesComplete(
  perPersonFen: number | null,
  offered: readonly string[],
  fees: ReadonlyMap<string, number>,
): boolean {
  return perPersonFen !== null && offered.every((code) => fees.has(code));
}
