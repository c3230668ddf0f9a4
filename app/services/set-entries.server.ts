import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { seatsShortOfError } from "~db/errors";
import type { DB } from "~db/schema";
import { listEntries } from "~db/queries/registrations";
import {
  entrySeatChanges,
  releasePreferredDate,
  seatChangeCall,
  seatsShort,
  takePreferredDate,
} from "~db/queries/seats";
import { AppError } from "~/domain/errors";
import { entryChangeRefusal, holdUntil } from "~/domain/registration";
import { EntriesFormSchema } from "~/schemas/candidate";
import { requireCandidateWith, type CandidateContext } from "~/utils/auth.server";
import { parseForm } from "~/utils/http.server";
import { auditRows } from "./audit.server";
import {
  holdMinutes,
  loadPreferredDays,
  loadSiteLabel,
  lockRegistrationForChange,
  changeReadWithSession,
  readRegistrationForChange,
  type EntryOfChange,
  type ReadForChange,
} from "./load-registration.server";

/** The entries form as the page posts it and as its script sends it: every ticked `subject`, the preferred day. */
export function entriesFromForm(form: FormData): SetEntriesInput {
  const subjects = form.getAll("subject").filter((v): v is string => typeof v === "string");
  return { subjects, preferredDate: parseForm(form, EntriesFormSchema).preferredDate };
}

export interface SetEntriesInput {
  /** The subjects the candidate wants, all of them (kept paid ones included). */
  subjects: string[];
  /** SET-5: the preferred exam day, '' for none; undefined = leave as it is. */
  preferredDate?: string;
}

/**
 * CAN-2/CAN-4: the candidate's entries become exactly `subjects`. New entries take a seat of the
 * site's total and of their subject by guarded updates, so no interleaving of requests ever exceeds a
 * capacity; removed unpaid entries give theirs back. Paid entries, entries in a pending payment (CAN-7)
 * and entries a group payment batch holds (GRP-6) never change.
 *
 * X-7 (decision 0060): read without a lock, decide, and write in one statement that first locks the
 * registration and checks that nothing read has changed since; if something has (a double click, a
 * payment coming back), or the preferred day changes, the change runs again the careful way: in a
 * transaction with the registration locked first.
 */
export async function setEntries(
  ctx: CandidateContext,
  input: SetEntriesInput,
  now = new Date(),
  alreadyRead?: { read: ReadForChange | undefined },
) {
  const read = alreadyRead
    ? alreadyRead.read
    : await readRegistrationForChange(getDb(), ctx.sitting.id, ctx.accountId, now);
  if (!read) throw new AppError("reg.none", {}, 409);
  const plan = planChange(read, input, now);
  if (plan.dateChanged) return setEntriesLocked(ctx, input, now);
  if (plan.add.length > 0 || plan.remove.length > 0) {
    let written: boolean;
    try {
      written = await writeChange(getDb(), ctx, read, plan, now, read.stamp);
    } catch (e) {
      const short = seatsShortOfError(e);
      throw short ? seatsRefusal(short) : e;
    }
    if (!written) return setEntriesLocked(ctx, input, now);
  }
  return { added: plan.add, removed: plan.remove.map((e) => e.subject_code) };
}

/**
 * The entries form's save for the request's candidate (decision 0061): the session is read with the
 * registration (one statement, `changeReadWithSession`), then `setEntries` goes on from that read.
 */
export async function setEntriesOfRequest(request: Request, input: SetEntriesInput, now = new Date()) {
  const change = changeReadWithSession(now);
  const ctx = await requireCandidateWith(request, change);
  const read = await change.read(getDb(), ctx.sitting.id);
  // The companion reads for the session's account in the current sitting, the candidate's context too.
  const same =
    read === undefined ||
    (read !== null && read.reg.account_id === ctx.accountId && read.reg.sitting_id === ctx.sitting.id);
  return setEntries(ctx, input, now, read !== null && same ? { read } : undefined);
}

/** What a change is decided on: the registration, its site's rules and offer, its entries. */
type ChangeBasis = Pick<ReadForChange, "reg" | "rules" | "offered"> & { current: readonly EntryOfChange[] };

/** What the change adds, removes and sets, or the rule that refuses it. */
function planChange({ reg, rules, offered: onOffer, current }: ChangeBasis, input: SetEntriesInput, now: Date) {
  const wanted = input.subjects.map((s) => s.trim()).filter(Boolean);
  const have = new Set(current.map((e) => e.subject_code));
  const add = [...new Set(wanted)].filter((c) => !have.has(c)).sort();
  // Only what is being added needs to be on offer (a kept entry may stay if the site dropped it).
  const offered = new Set(add.filter((c) => onOffer.has(c)));
  const refusal = entryChangeRefusal(rules, reg, current, wanted, offered, now);
  if (refusal) throw new AppError(refusal.key, refusal.params, 409);
  const remove = current.filter((e) => !wanted.includes(e.subject_code));
  const preferred = input.preferredDate === undefined ? reg.preferred_date : input.preferredDate || null;
  return { wanted, add, remove, preferred, dateChanged: preferred !== reg.preferred_date };
}

function seatsRefusal(short: readonly string[]) {
  const seats = seatsShort(short);
  if (seats.siteFull) return new AppError("entries.site_full", {}, 409);
  return new AppError("entries.subject_full", { code: seats.full }, 409);
}

/** The careful way: the registration locked first, everything in one transaction (decisions 0014, 0049). */
async function setEntriesLocked(ctx: CandidateContext, input: SetEntriesInput, now: Date) {
  const sittingId = ctx.sitting.id;
  return getDb()
    .transaction()
    .execute(async (trx) => {
      // the registration, its site's rules and what the site offers, in one round trip.
      const locked = await lockRegistrationForChange(trx, sittingId, ctx.accountId);
      if (!locked) throw new AppError("reg.none", {}, 409);
      const { reg } = locked;
      const current = await listEntries(trx, reg.id, now);
      const plan = planChange({ ...locked, current }, input, now);
      if (plan.dateChanged)
        await checkPreferredDate(
          trx,
          ctx,
          reg,
          plan.preferred,
          current.some((e) => e.paid),
        );
      if (plan.add.length > 0 || plan.remove.length > 0 || plan.dateChanged) {
        const short = await writeChange(trx, ctx, { ...locked, current }, plan, now, null);
        if (short.length > 0) throw seatsRefusal(short);
      }
      if (plan.dateChanged) {
        await releasePreferredDate(trx, sittingId, reg.org_id, reg.preferred_date);
        if (plan.preferred !== null && !(await takePreferredDate(trx, sittingId, reg.org_id, plan.preferred)))
          throw new AppError("preferred.day_full", { date: plan.preferred }, 409);
      }
      return { added: plan.add, removed: plan.remove.map((e) => e.subject_code) };
    });
}

/**
 * the entries removed and added, the registration, its audit entry and the seats in one
 * statement. The data-modifying WITHs touch rows this candidate's lock serialises; the shared counters
 * come last (decisions 0014, 0051: lock order registration → seat shards → preferred date), which the
 * joins ensure: seat_change runs only once every WITH has run to its end.
 *
 * With a `stamp` (decision 0060) the statement stands alone: it first locks the registration and
 * checks the stamp (nothing is written and false is answered if it changed), and too few seats fail
 * it (SEATS_SHORT), rolling back all of it. Without one, inside the caller's transaction with the
 * registration locked, it answers the counters short and the caller rolls back.
 */
async function writeChange(
  q: Kysely<DB> | Transaction<DB>,
  ctx: CandidateContext,
  { reg, current }: ChangeBasis,
  plan: ReturnType<typeof planChange>,
  now: Date,
  stamp: string,
): Promise<boolean>;
async function writeChange(
  q: Kysely<DB> | Transaction<DB>,
  ctx: CandidateContext,
  read: ChangeBasis,
  plan: ReturnType<typeof planChange>,
  now: Date,
  stamp: null,
): Promise<string[]>;
async function writeChange(
  q: Kysely<DB> | Transaction<DB>,
  ctx: CandidateContext,
  { reg, current }: ChangeBasis,
  { wanted, add, remove, preferred }: ReturnType<typeof planChange>,
  now: Date,
  stamp: string | null,
): Promise<boolean | string[]> {
  const sittingId = ctx.sitting.id;
  // CAN-8: the entries' and the registration's own holds restart with the candidate's activity.
  const hold = holdUntil(now, holdMinutes(), reg.review_status === "pending");
  const [audit] = auditRows({ ...ctx.actor, orgId: reg.org_id }, [
    {
      action: "registration.entries",
      entityType: "registration",
      entityId: String(reg.id),
      before: { entries: current.map((e) => e.subject_code).join(","), preferred_date: reg.preferred_date },
      after: { entries: wanted.slice().sort().join(","), preferred_date: preferred },
    },
  ]);
  const seats =
    seatChangeCall(
      sittingId,
      reg.org_id,
      entrySeatChanges(
        add,
        remove.map((e) => e.subject_code),
      ),
      reg.id,
      stamp !== null,
    ) ?? sql<string[]>`'{}'::text[]`;
  // Standing alone (its own transaction), the statement also counts its new entries in the
  // registration's own update, and tells the counts trigger so (migration 0035: inserts are left to
  // the caller while `kaowu.entry_counts_preset` is on), instead of the trigger writing the
  // registration's row a second time. Removed entries are counted by the trigger as always.
  const guard =
    stamp === null
      ? sql`select true as ok`
      : sql`select registration_lock_if_unchanged(${reg.id}::int, ${stamp}::text) as ok,
          set_config('kaowu.entry_counts_preset', 'on', true) as preset`;
  const r = await sql<{ short: string[] }>`
    with guard as (${guard}),
    changed_registration as (
      update registration set hold_until = ${reg.person_fee_paid ? null : hold}::timestamptz,
        preferred_date = ${preferred}::date, updated_at = ${now}::timestamptz,
        entry_count = entry_count + ${stamp === null ? 0 : add.length}::int
      where id = ${reg.id} and (select ok from guard) returning 1),
    removed_entries as (
      delete from entry where id = any(${remove.map((e) => e.id)}::int[]) and not paid and payment_batch_id is null
        and (select ok from guard)
      returning 1),
    added_entries as (
      insert into entry (registration_id, sitting_id, org_id, subject_code, hold_until)
      select ${reg.id}, ${sittingId}, ${reg.org_id}, code, ${hold}::timestamptz from unnest(${add}::text[]) as code
      where (select ok from guard)
      returning 1),
    audit as (
      insert into audit_log (account_id, actor_name, org_id, sitting_id, action, entity_type, entity_id, changes, ip)
      select ${audit.account_id}, ${audit.actor_name}, ${audit.org_id}, ${audit.sitting_id}, ${audit.action},
        ${audit.entity_type}, ${audit.entity_id}, ${audit.changes}::jsonb, ${audit.ip}
      where (select ok from guard)
      returning 1)
    select ${seats} as short
    from (select count(*) from changed_registration) as r, (select count(*) from removed_entries) as d,
      (select count(*) from added_entries) as i, (select count(*) from audit) as a
    where (select ok from guard)`.execute(q);
  if (stamp !== null) return r.rows.length > 0;
  return r.rows[0].short;
}

/** SET-5: online candidates only, during online registration (checked by the caller), before paying, a day on offer. */
async function checkPreferredDate(
  trx: Transaction<DB>,
  c: CandidateContext,
  reg: { org_id: number; channel: string },
  date: string | null,
  anyPaid: boolean,
) {
  if (reg.channel !== "online") throw new AppError("preferred.online_only", {}, 409);
  if (anyPaid) throw new AppError("preferred.fixed_after_payment", {}, 409);
  if (date === null) return;
  const site = await loadSiteLabel(trx, reg.org_id);
  const days = await loadPreferredDays(trx, c.sitting.id, reg.org_id, site.provinceId);
  if (!days.some((d) => d.date === date)) throw new AppError("preferred.not_offered", {}, 400);
}
