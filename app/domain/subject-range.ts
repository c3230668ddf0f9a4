/** SET-2: a subject's exam date range must lie inside the superior's range for that subject. */
export function checkSubjectRange(
  range: { start: string; end: string },
  parent: { start: string; end: string } | null | undefined,
): "subject.not_offered_above" | "subject.range_order" | "subject.range_outside" | null {
  if (!parent) return "subject.not_offered_above";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.start) || !/^\d{4}-\d{2}-\d{2}$/.test(range.end) || range.end < range.start)
    return "subject.range_order";
  if (range.start < parent.start || range.end > parent.end) return "subject.range_outside";
  return null;
}

/** SET-2/SET-10: an offered subject with a capacity set or entries taken cannot be deleted. */
export function canDeleteSiteSubject(s: {
  capacity: number | null;
  taken: number;
}): "subject.has_capacity" | "subject.has_entries" | null {
  if (s.taken > 0) return "subject.has_entries";
  if (s.capacity !== null && s.capacity > 0) return "subject.has_capacity";
  return null;
}
