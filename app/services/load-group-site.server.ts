import { type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { listOfferedForCandidates } from "~db/queries/registrations";
import { getSiteSetting } from "~db/queries/setup";
import type { DB } from "~db/schema";
import { parseClassOptions } from "~/domain/class-options";
import { AppError } from "~/domain/errors";
import { type GroupSiteRules } from "~/domain/group-registration";

/** GRP-1, SET-1, SET-8, CAN-2: what a site's group registration obeys, read once per import or template. */

type Q = Kysely<DB> | Transaction<DB>;

export interface GroupSite {
  /** SET-1: the site has group registration switched on. */
  enabled: boolean;
  /** SET-1: the site holds the exam this sitting (开考). */
  open: boolean;
  reviewRequired: boolean;
  rules: GroupSiteRules;
  offered: Array<{ code: string; name: string }>;
}

/** The site's group-registration switch, review rule, maximum entries, class options and offered subjects. */
export async function loadGroupSite(db: Q, sittingId: number, siteId: number): Promise<GroupSite> {
  const s = await getSiteSetting(db, sittingId, siteId);
  // CAN-2: a subject is offered when its capacity is above 0 and its fee is set, as online.
  const offered = (await listOfferedForCandidates(db, sittingId, siteId))
    .filter((r) => r.capacity !== null && r.capacity > 0 && r.fee_fen !== null)
    .map((r) => ({ code: r.subject_code, name: r.name }));
  return {
    enabled: s.group_registration,
    open: s.open,
    reviewRequired: s.review_required,
    offered,
    rules: {
      offered: new Map(offered.map((o) => [o.code, o.name])),
      maxEntries: s.max_entries,
      classOptions: parseClassOptions(s.class_options),
      classRequired: s.class_required,
    },
  };
}

/** GRP-1/SET-1: group registration only where the site holds the exam and has switched it on. */
export async function requireGroupRegistrationOn(sittingId: number, siteId: number) {
  const s = await getSiteSetting(getDb(), sittingId, siteId);
  if (!s.open) throw new AppError("group.site_closed", {}, 403);
  if (!s.group_registration) throw new AppError("group.disabled", {}, 403);
}
