/** SET-5: per exam day the number of preferred-date candidates a site accepts. */
export type QuotaProblem =
  | "preferred.quota_min"
  | "preferred.quota_half"
  | "preferred.quota_sum"
  | "preferred.total_unset"
  | "preferred.below_taken";

export function checkQuotas(
  quotas: ReadonlyArray<{ date: string; quota: number; taken?: number }>,
  totalCapacity: number | null,
): { problem: QuotaProblem; date?: string } | null {
  if (totalCapacity === null) return { problem: "preferred.total_unset" };
  const half = Math.floor(totalCapacity / 2);
  let sum = 0;
  for (const q of quotas) {
    if (!Number.isInteger(q.quota) || q.quota < 1) return { problem: "preferred.quota_min", date: q.date };
    if (q.quota > half) return { problem: "preferred.quota_half", date: q.date };
    if (q.taken !== undefined && q.quota < q.taken) return { problem: "preferred.below_taken", date: q.date };
    sum += q.quota;
  }
  if (sum > totalCapacity) return { problem: "preferred.quota_sum" };
  return null;
}

/** The exam days of a sitting, from its first to its last day inclusive ('YYYY-MM-DD'). */
export function examDays(startsOn: string, endsOn: string): string[] {
  const out: string[] = [];
  const d = new Date(`${startsOn}T00:00:00Z`);
  const end = new Date(`${endsOn}T00:00:00Z`);
  while (d <= end && out.length < 31) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
