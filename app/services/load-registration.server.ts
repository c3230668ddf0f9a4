import { sql, type InferResult, type Kysely, type Transaction } from "kysely";
import { compileOnce } from "~db/compile-once";
import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import {
  findPendingPayment,
  findPhoto,
  findRegistrationByAccount,
  entryInPendingPayment,
  listEntries,
  listOfferedForCandidates,
  listOpenSites,
} from "~db/queries/registrations";
import { getProvinceSetting, getSiteSetting, listQuotas, listSiteFees } from "~db/queries/setup";
import type { DB, Registration } from "~db/schema";
import { remaining } from "~/domain/capacity";
import { parseClassOptions } from "~/domain/class-options";
import { candidateStatus, cardDownloadable, type RegistrationState, type SiteRules } from "~/domain/registration";
import { getEnv } from "~/utils/env.server";
import { sessionSelect, type SessionCompanion } from "~/utils/session.server";

type Q = Kysely<DB> | Transaction<DB>;

export type CandidateSiteRules = SiteRules & {
  per_person_fee_fen: number | null;
  class_options: string[];
  class_required: boolean;
  open: boolean;
};

// SET-1/SET-6: the site settings the candidate rules read, with the site's enablement.
const RULE_COLUMNS = [
  "ss.open",
  "ss.online_enabled",
  "ss.online_starts_at",
  "ss.online_ends_at",
  "ss.review_required",
  "ss.max_entries",
  "ss.self_print",
  "ss.per_person_fee_fen",
  "ss.class_options",
  "ss.class_required",
] as const;

type RuleRow = {
  enabled: boolean | null;
  open: boolean | null;
  online_enabled: boolean | null;
  online_starts_at: Date | null;
  online_ends_at: Date | null;
  review_required: boolean | null;
  max_entries: number | null;
  self_print: boolean | null;
  per_person_fee_fen: number | null;
  class_options: string | null;
  class_required: boolean | null;
};

/** SET-1/SET-6 as the candidate rules need them: the site's settings and its enablement, one query. */
export async function loadSiteRules(db: Q, sittingId: number, siteId: number): Promise<CandidateSiteRules> {
  const row = await db
    .selectFrom("org_sitting as os")
    .leftJoin("site_setting as ss", (j) =>
      j.onRef("ss.org_id", "=", "os.org_id").onRef("ss.sitting_id", "=", "os.sitting_id"),
    )
    .select(["os.enabled", ...RULE_COLUMNS])
    .where("os.org_id", "=", siteId)
    .where("os.sitting_id", "=", sittingId)
    .executeTakeFirst();
  return siteRulesOf(db, sittingId, siteId, row);
}

async function siteRulesOf(
  db: Q,
  sittingId: number,
  siteId: number,
  row: RuleRow | undefined,
): Promise<CandidateSiteRules> {
  // No settings row yet: the defaults of getSiteSetting (closed to candidates).
  const s =
    row && row.open !== null
      ? row
      : { ...(await getSiteSetting(db, sittingId, siteId)), enabled: row?.enabled ?? false };
  const usable = Boolean(s.open && s.online_enabled && s.enabled && s.online_starts_at && s.online_ends_at);
  return {
    review_required: Boolean(s.review_required),
    max_entries: s.max_entries ?? 3,
    self_print: Boolean(s.self_print),
    online: usable ? { starts_at: s.online_starts_at!, ends_at: s.online_ends_at! } : null,
    per_person_fee_fen: s.per_person_fee_fen ?? null,
    class_options: parseClassOptions(s.class_options ?? ""),
    class_required: Boolean(s.class_required),
    open: Boolean(s.open),
  };
}

/** The registration's site with its rules, and the subjects on offer (CAN-2's offer: a capacity above 0 and a fee). */
const withRules = (db: Q) =>
  db
    .selectFrom("registration as r")
    .leftJoin("org_sitting as os", (j) =>
      j.onRef("os.org_id", "=", "r.org_id").onRef("os.sitting_id", "=", "r.sitting_id"),
    )
    .leftJoin("site_setting as ss", (j) =>
      j.onRef("ss.org_id", "=", "r.org_id").onRef("ss.sitting_id", "=", "r.sitting_id"),
    )
    .select((eb) => [
      eb.ref("os.enabled").as("rules_enabled"),
      ...RULE_COLUMNS.map((c) => eb.ref(c).as(`rules_${c.slice(3)}` as `rules_${string}`)),
      sql<string[]>`array(
        select s.subject_code from site_subject s
        join site_fee f on f.sitting_id = s.sitting_id and f.org_id = s.org_id and f.subject_code = s.subject_code
        where s.sitting_id = r.sitting_id and s.org_id = r.org_id and s.capacity > 0)`.as("rules_offered"),
    ]);

/** What of the registration a change of entries decides on and writes with. */
const CHANGE_COLUMNS = [
  "id",
  "account_id",
  "sitting_id",
  "org_id",
  "channel",
  "review_status",
  "person_fee_paid",
  "preferred_date",
] as const;
export type RegistrationOfChange = Pick<Registration, (typeof CHANGE_COLUMNS)[number]>;

/** The registration as a change reads it (`reg_` columns), with its site's rules and offer (`rules_`). */
const withRegistration = (db: Q) =>
  withRules(db).select((eb) => CHANGE_COLUMNS.map((c) => eb.ref(`r.${c}`).as(`reg_${c}` as `reg_${string}`)));

const lockQuery = compileOnce((db, sittingId: number, accountId: string) =>
  withRegistration(db).where("r.sitting_id", "=", sittingId).where("r.account_id", "=", accountId).forUpdate(["r"]),
);

// Decision 0060: read without a lock, so one statement's snapshot holds the registration, its
// entries (what entryChangeRefusal needs of them) and the stamp the write checks. Every column is
// prefixed, so that the same read can ride along with the session's (decision 0061).
const changeRead = (db: Q, now: Date) =>
  withRegistration(db).select([
    sql<string>`registration_stamp(r.id)`.as("change_stamp"),
    sql<
      Array<Pick<EntryOfChange, "id" | "subject_code" | "paid" | "payment_batch_id" | "in_pending_payment">>
    >`coalesce(
      (select json_agg(json_build_object('id', entry.id, 'subject_code', entry.subject_code, 'paid', entry.paid,
          'payment_batch_id', entry.payment_batch_id, 'in_pending_payment', ${entryInPendingPayment(now)})
        order by entry.subject_code)
      from entry where entry.registration_id = r.id), '[]')`.as("change_entries"),
  ]);

const readQuery = compileOnce((db, sittingId: number, accountId: string, now: Date) =>
  changeRead(db, now).where("r.sitting_id", "=", sittingId).where("r.account_id", "=", accountId),
);

// Decision 0061: the session's statement, with the read above for its account in the current sitting.
const sessionWithChangeQuery = compileOnce((db, sessionId: string, now: Date) =>
  sessionSelect(db, sessionId)
    .leftJoinLateral(
      changeRead(db, now)
        .where(sql<boolean>`r.account_id = session.account_id and r.sitting_id = cs.id`)
        .as("ch"),
      (j) => j.onTrue(),
    )
    .selectAll("ch"),
);

/** An entry as a change of entries reads it. */
export interface EntryOfChange {
  id: number;
  subject_code: string;
  paid: boolean;
  payment_batch_id: number | null;
  in_pending_payment: boolean;
  in_payment_batch: boolean;
}

/**
 * X-7 (issue 21 item 2): what changing one's entries reads first, in one statement: the candidate's
 * registration locked (one change at a time per candidate), its site's rules, and the subjects the site
 * offers (a capacity above 0 and a fee: CAN-2's offer), one round trip.
 */
export async function lockRegistrationForChange(trx: Transaction<DB>, sittingId: number, accountId: string) {
  const [row] = (await trx.executeQuery(lockQuery(trx, sittingId, accountId))).rows;
  return row ? registrationOfRow(trx, sittingId, row) : undefined;
}

/**
 * Decision 0060: the same as `lockRegistrationForChange` without the lock, with the registration's
 * entries and its stamp, in one statement outside any transaction.
 */
export async function readRegistrationForChange(db: Q, sittingId: number, accountId: string, now: Date) {
  const [row] = (await db.executeQuery(readQuery(db, sittingId, accountId, now))).rows;
  return row ? changeOfRow(db, sittingId, row) : undefined;
}

export type ReadForChange = NonNullable<Awaited<ReturnType<typeof readRegistrationForChange>>>;

/**
 * Decision 0061: the session companion (`readSessionWith`) that reads the same as
 * `readRegistrationForChange` with the session. After the session is read, `read()` answers it for
 * the session's account in the current sitting (undefined when there is none), or null when the
 * session was read before this companion could ride along.
 */
export function changeReadWithSession(now: Date) {
  const companion: SessionCompanion & {
    read: (db: Q, sittingId: number) => Promise<ReadForChange | null | undefined>;
  } = {
    query: (db, sessionId) => sessionWithChangeQuery(db, sessionId, now),
    read: async (db, sittingId) => {
      const row = companion.row as ChangeRow | undefined;
      if (!row) return null;
      return row.reg_id === null ? undefined : changeOfRow(db, sittingId, row);
    },
  };
  return companion;
}

type ChangeRow = InferResult<ReturnType<typeof changeRead>>[number];

async function changeOfRow(db: Q, sittingId: number, row: ChangeRow) {
  const current: EntryOfChange[] = row.change_entries.map((e) => ({
    ...e,
    in_payment_batch: e.payment_batch_id !== null,
  }));
  return { ...(await registrationOfRow(db, sittingId, row)), stamp: row.change_stamp, current };
}

/** The registration (`reg_` columns) and its site's rules and offer (`rules_`) of one row. */
async function registrationOfRow(db: Q, sittingId: number, row: Record<string, unknown>) {
  const reg: Record<string, unknown> = {};
  const rules: Record<string, unknown> = {};
  // for…in, not Object.entries: a row has about 47 columns, and this runs for every saved entry.
  for (const k in row) {
    if (k.startsWith("rules_")) rules[k.slice(6)] = row[k];
    else if (k.startsWith("reg_")) reg[k.slice(4)] = row[k];
  }
  const offered = new Set(rules.offered as string[]);
  delete rules.offered;
  const registration = reg as RegistrationOfChange;
  return {
    reg: registration,
    rules: await siteRulesOf(db, sittingId, registration.org_id, rules as unknown as RuleRow),
    offered,
  };
}

export async function registrationState(db: Q, reg: Registration): Promise<RegistrationState> {
  const photo = await findPhoto(db, reg.photo_id);
  return {
    channel: reg.channel,
    locked: reg.locked,
    review_status: reg.review_status,
    review_failure_type: reg.review_failure_type,
    reviewed_at: reg.reviewed_at,
    photo_at: photo?.created_at ?? null,
  };
}

export async function loadSiteLabel(db: Q, siteId: number) {
  const path = await getOrgPath(db, siteId);
  const site = path[path.length - 1];
  const province = path.find((o) => o.level === "province");
  return {
    id: site.id,
    code: site.code,
    name: site.name,
    level: site.level,
    province: province?.name ?? "",
    provinceId: province?.id ?? 0,
  };
}

/** SET-5: the days a candidate may prefer at this site, with places left; empty when not enabled. */
export async function loadPreferredDays(db: Q, sittingId: number, siteId: number, provinceId: number) {
  if (!(await getProvinceSetting(db, sittingId, provinceId)).preferred_dates_enabled) return [];
  return (await listQuotas(db, sittingId, siteId)).map((q) => ({
    date: q.exam_date,
    left: Math.max(0, q.quota - q.taken),
  }));
}

/** CAN-2: offered subjects with fee and seats left (live; the page polls this). */
export async function loadOffer(db: Q, sittingId: number, siteId: number) {
  const s = await getSiteSetting(db, sittingId, siteId);
  const totalLeft = remaining(s.total_capacity, s.total_taken);
  const rows = await listOfferedForCandidates(db, sittingId, siteId);
  return rows
    .filter((r) => r.capacity !== null && r.capacity > 0 && r.fee_fen !== null)
    .map((r) => {
      const left = Math.min(remaining(r.capacity, r.taken), totalLeft);
      return {
        code: r.subject_code,
        name: r.name,
        minutes: r.minutes,
        exam_start: r.exam_start,
        exam_end: r.exam_end,
        fee_fen: r.fee_fen!,
        left: Number.isFinite(left) ? left : null,
      };
    });
}

/** Everything the candidate pages show about where the candidate stands (CAN-10). */
export async function loadCandidateView(sittingId: number, accountId: string, now = new Date()) {
  const db = getDb();
  const reg = await findRegistrationByAccount(db, sittingId, accountId);
  if (!reg) {
    const anySiteOpen = (await listOpenSites(db, sittingId, now)).length > 0;
    return {
      registration: null,
      state: null,
      site: null,
      rules: null,
      entries: [],
      pending: null,
      status: candidateStatus({
        now,
        anySiteOpen,
        site: null,
        registration: null,
        entries: [],
        cardPrintFrom: null,
        allocated: 0,
      }),
      cardPrintFrom: null,
      cardDownload: false,
    };
  }
  return loadRegistrationView(db, sittingId, reg, now);
}

/** CAN-10 for one registration: what the candidate sees, and (MGT-1) what the site sees on its candidate page. */
export async function loadRegistrationView(db: Q, sittingId: number, reg: Registration, now = new Date()) {
  const rules = await loadSiteRules(db, sittingId, reg.org_id);
  const state = await registrationState(db, reg);
  const entries = await listEntries(db, reg.id, now);
  const pending = await findPendingPayment(db, reg.id, now);
  const card = await cardPrintFrom(db, sittingId, reg.org_id);
  const site = await loadSiteLabel(db, reg.org_id);
  const status = candidateStatus({
    now,
    anySiteOpen: true,
    site: rules,
    registration: state,
    entries,
    cardPrintFrom: card,
    // CAN-10: a candidate sees an entry as allocated once it has its admission number (ADM-1).
    allocated: entries.filter((e) => e.admission_no !== null && e.room_number !== null).length,
  });
  const cardDownload = cardDownloadable(rules, card, entries.filter((e) => e.admission_no !== null).length, now);
  return { registration: reg, state, site, rules, entries, pending, status, cardPrintFrom: card, cardDownload };
}

/** WIN-2: the card-print start that applies to the site (the intersection along its chain). */
async function cardPrintFrom(db: Q, sittingId: number, siteId: number): Promise<Date | null> {
  const path = await getOrgPath(db, siteId);
  const rows = await db
    .selectFrom("window")
    .select(["org_id", "starts_at"])
    .where("sitting_id", "=", sittingId)
    .where("kind", "=", "card_print")
    .where(
      "org_id",
      "in",
      path.map((o) => o.id),
    )
    .execute();
  if (rows.length < path.length) return null;
  return rows.reduce<Date | null>((acc, r) => (acc === null || r.starts_at > acc ? r.starts_at : acc), null);
}

export async function loadFees(db: Q, sittingId: number, siteId: number): Promise<Map<string, number>> {
  return listSiteFees(db, sittingId, siteId);
}

export function holdMinutes() {
  return getEnv().UNPAID_HOLD_MINUTES;
}
