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

export interface PaymentReceipt {
  id: string;
  paidAt: Date | string | null;
  perPersonFen: number;
  lines: Array<{ code: string; name: string; feeFen: number }>;
  totalFen: number;
}

/**
 * CAN-7/CAN-10 (issue 15 item 6): what each of the candidate's own payments paid for, as a receipt:
 * the order number, the per-person fee on its own line, each subject with the fee it kept, the total
 * charged and when. Only payments that went through; a group payment is the site's, not the candidate's.
 */
export function paymentReceipts(
  payments: ReadonlyArray<{
    id: string;
    status: string;
    amount_fen: number;
    per_person_fen: number;
    finished_at: Date | string | null;
  }>,
  entries: ReadonlyArray<{
    subject_code: string;
    subject_name: string;
    payment_id: string | null;
    fee_fen: number | null;
  }>,
): PaymentReceipt[] {
  return payments
    .filter((p) => p.status === "paid")
    .map((p) => ({
      id: p.id,
      paidAt: p.finished_at,
      perPersonFen: p.per_person_fen,
      lines: entries
        .filter((e) => e.payment_id === p.id)
        .map((e) => ({ code: e.subject_code, name: e.subject_name, feeFen: e.fee_fen ?? 0 })),
      totalFen: p.amount_fen,
    }));
}
