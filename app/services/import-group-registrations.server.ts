import { randomBytes, randomUUID } from "node:crypto";
import { type Transaction } from "kysely";
import { getDb } from "~db/client";
import { changeSeats, SITE_TOTAL } from "~db/queries/seats";
import { getCapacityCounters, getSiteSetting } from "~db/queries/setup";
import type { DB, Registration } from "~db/schema";
import { AppError } from "~/domain/errors";
import {
  reviewStatusAfterImport,
  seatChanges,
  seatShortages,
  type GroupImportPlan,
  type GroupRowValue,
  type SeatShortage,
} from "~/domain/group-registration";
import { makeOneTimePassword, ONE_TIME_PASSWORD_SYMBOLS } from "~/domain/password";
import { oneTimePasswordExpiry } from "~/domain/verification";
import type { RowError } from "~/domain/student-record";
import { type Locale } from "~/i18n";
import { oneTimePasswordHasher } from "~/utils/password.server";
import { endAllSessions } from "~/utils/session.server";
import { chunks, type LoadedRegistration } from "~db/queries/group-import";
import { anyInt, anyText, insertJsonRows } from "~db/queries/bulk-insert";
import { insertEntriesOfNewRegistrations } from "~db/queries/entries";
import { makePlan } from "./plan-group-import.server";
import { recordCredentialSheet, writeCredentialSheet, type Credential } from "./credential-sheets.server";
import { deleteFileBytes, type WrittenFile } from "~/utils/file-store.server";
import type { GroupSite } from "./load-group-site.server";
import { recordAudit, type Actor } from "./audit.server";
import { lockAdvisory } from "~db/queries/locks";
import { isUniqueViolation } from "~db/errors";

// ---------------------------------------------------------------------------------------------
// The import (GRP-2 … GRP-4, CAN-4, PHO-6, ORG-9)

export interface GroupImportOutcome {
  ok: boolean;
  errors: RowError[];
  /** Reasons that concern the whole file (capacity, the switch turned off meanwhile). */
  refusals: SeatShortage[];
  created: number;
  updated: number;
  entriesAdded: number;
  entriesRemoved: number;
  accountsCreated: number;
  accountsBound: number;
  /** GRP-4: unproven accounts taken over for the site, row by row, for the import report. */
  accountsTakenOver: number;
  takenOver: Array<{ row: number; email: string }>;
  credentialSheetId: number | null;
}

const EMPTY = {
  created: 0,
  updated: 0,
  entriesAdded: 0,
  entriesRemoved: 0,
  accountsCreated: 0,
  accountsBound: 0,
  accountsTakenOver: 0,
  takenOver: [],
  credentialSheetId: null,
};

/** Thrown inside the transaction to roll it back with a reason the page shows. */
class Refused extends Error {
  constructor(readonly outcome: GroupImportOutcome) {
    super("group import refused");
  }
}

const refused = (errors: RowError[], refusals: SeatShortage[] = []): GroupImportOutcome => ({
  ok: false,
  errors,
  refusals,
  ...EMPTY,
});

const PERSONAL = [
  "name",
  "gender",
  "birth_date",
  "ethnicity",
  "education",
  "occupation",
  "department",
  "major",
  "class_name",
  "student_no",
  "phone",
  "email",
  "address",
  "postcode",
  "remark",
] as const satisfies ReadonlyArray<keyof GroupRowValue & keyof Registration>;

/**
 * The row's personal data as the registration keeps it. Written out field by field: an object made
 * by `Object.fromEntries` is a dictionary to V8, and spreading 5,000 of them into the rows to insert
 * cost 70 ms of the import; a literal is one shape. The type keeps it to exactly PERSONAL's fields.
 */
function personal(v: GroupRowValue): Pick<GroupRowValue, (typeof PERSONAL)[number]> {
  const p = {
    name: v.name,
    gender: v.gender,
    birth_date: v.birth_date,
    ethnicity: v.ethnicity,
    education: v.education,
    occupation: v.occupation,
    department: v.department,
    major: v.major,
    class_name: v.class_name,
    student_no: v.student_no,
    phone: v.phone,
    email: v.email,
    address: v.address,
    postcode: v.postcode,
    remark: v.remark,
  } satisfies Record<(typeof PERSONAL)[number], unknown>;
  return p;
}

/**
 * ORG-9 (decision 0046): a one-time password for each new or taken-over account. HMAC-SHA-256 takes
 * microseconds, so thousands are made in one pass; progress is still reported for the job page.
 */
async function prepareCredentials(
  plan: GroupImportPlan,
  hashOneTimePassword: (password: string) => string,
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<Map<string, Credential>> {
  const ready = new Map<string, Credential>();
  const wanted = plan.registrations.filter((r) => r.account.kind === "new" || r.account.kind === "takeover");
  // The randomness of every password drawn at once: one call into the system's generator, not one each.
  const pool = randomBytes(ONE_TIME_PASSWORD_SYMBOLS * wanted.length);
  let at = 0;
  let done = 0;
  for (const r of wanted) {
    const password = makeOneTimePassword((n) => pool.subarray(at, (at += n)));
    const kind = r.account.kind === "takeover" ? "takeover" : "new";
    ready.set(r.account.email, {
      row: r.row,
      name: r.value.name,
      email: r.account.email,
      idNumber: r.value.id_number,
      kind,
      password,
      hash: hashOneTimePassword(password),
    });
    if (++done % 20 === 0 || done === wanted.length) await onProgress?.(done, wanted.length);
  }
  return ready;
}

/**
 * GRP-2: all-or-nothing. The plan is made once, inside the transaction that writes, under a
 * per-site lock, so nothing can change between judging the file and writing it. The one-time
 * passwords of new and taken-over accounts are made there too: an HMAC takes microseconds
 * (decision 0046), so the transaction stays short without planning twice. Seats are taken last
 * (decision 0014); a shortage rolls everything back (CAN-4).
 */
export async function importGroupRegistrations(
  actor: Actor,
  sittingId: number,
  siteId: number,
  site: GroupSite,
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>,
  overwrite: boolean,
  opts: {
    locale: Locale;
    onProgress?: (stage: "accounts" | "writing", done: number, total: number) => Promise<void>;
  } = { locale: "zh-CN" },
): Promise<GroupImportOutcome> {
  const now = new Date();
  // The key is read before the transaction: the first time, it is made in the database.
  const hashOneTimePassword = await oneTimePasswordHasher();

  let outcome: GroupImportOutcome;
  // ORG-9: the credentials sheet's bytes, once writePlan starts them.
  const sheet: { file: Promise<WrittenFile> | null } = { file: null };
  const startSheet = (rows: Credential[]) => {
    const file = writeCredentialSheet(rows, {
      locale: opts.locale,
      sittingId,
      createdBy: actor.accountId,
      createdAt: now,
    });
    // Awaited at the end of the transaction; a failure before then must not go unhandled.
    file.catch(() => undefined);
    sheet.file = file;
    return file;
  };
  try {
    outcome = await getDb()
      .transaction()
      .execute(async (trx) => {
        // One group import per site at a time (records imports use 4242).
        await lockAdvisory(trx, "groupImport", siteId);
        const setting = await getSiteSetting(trx, sittingId, siteId);
        if (!setting.open || !setting.group_registration)
          throw new Refused(refused([], [{ key: setting.open ? "group.disabled" : "group.site_closed", params: {} }]));
        const { plan, registrations } = await makePlan(trx, sittingId, siteId, rows, overwrite, now, true);
        if (plan.errors.length) throw new Refused(refused(plan.errors));
        const credentials = await prepareCredentials(
          plan,
          hashOneTimePassword,
          (d, t) => opts.onProgress?.("accounts", d, t) ?? Promise.resolve(),
        );
        return writePlan(
          trx,
          actor,
          sittingId,
          siteId,
          site,
          setting.review_required,
          plan,
          registrations,
          credentials,
          now,
          { locale: opts.locale, startSheet, onProgress: opts.onProgress },
        );
      });
  } catch (e) {
    // The sheet's bytes, if written, belong to nothing now.
    await sheet.file?.then(
      (f) => deleteFileBytes([f.path]),
      () => undefined,
    );
    if (e instanceof Refused) return e.outcome;
    // Someone registered the same ID or e-mail between the plan and the write: the file is fine, the moment was not.
    if (isUniqueViolation(e)) throw new AppError("group.conflict_retry", {}, 409);
    throw e;
  }
  return outcome;
}

async function writePlan(
  trx: Transaction<DB>,
  actor: Actor,
  sittingId: number,
  siteId: number,
  site: GroupSite,
  reviewRequired: boolean,
  plan: GroupImportPlan,
  existing: Map<string, LoadedRegistration>,
  credentials: Map<string, Credential>,
  now: Date,
  opts: {
    locale: Locale;
    /** ORG-9: starts writing the credentials sheet's bytes (the caller deletes them if this rolls back). */
    startSheet: (rows: Credential[]) => Promise<WrittenFile>;
    onProgress?: (stage: "accounts" | "writing", done: number, total: number) => Promise<void>;
  },
): Promise<GroupImportOutcome> {
  const { onProgress } = opts;
  const total = plan.registrations.length;
  let written = 0;
  const progress = async (n: number) => {
    written += n;
    await onProgress?.("writing", written, total);
  };

  // ORG-9: accounts for e-mails that have none, with one-time passwords that must be changed.
  const sheetRows: Credential[] = [];
  const accountOf = new Map<string, string>();
  const newAccounts = plan.registrations.filter((r) => r.account.kind === "new");
  for (const chunk of chunks(newAccounts)) {
    const values = chunk.map((r) => {
      const c = credentials.get(r.account.email)!;
      sheetRows.push(c);
      const id = randomUUID();
      accountOf.set(r.account.email, id);
      // ORG-9/GRP-4: vouched for by the site, which hands the one-time password out (valid 14 days).
      return {
        id,
        email: r.account.email,
        mobile: null,
        name: r.value.name,
        password_hash: c.hash,
        must_change_password: true,
        role: "candidate" as const,
        site_vouched_at: now,
        otp_expires_at: oneTimePasswordExpiry(now),
      };
    });
    const made = await insertJsonRows(trx, "account", values, { returning: ["id"], skipConflicts: true });
    // An account made for the same e-mail meanwhile: try again, it will be bound.
    if (made.length !== values.length) throw new AppError("group.conflict_retry", {}, 409);
  }
  for (const r of plan.registrations) {
    if (r.account.kind !== "bind") continue;
    accountOf.set(r.account.email, r.account.accountId);
    sheetRows.push({
      row: r.row,
      name: r.value.name,
      email: r.account.email,
      idNumber: r.value.id_number,
      kind: "existing",
      password: "",
      hash: "",
    });
  }
  const takenOver = await takeOverUnprovenAccounts(trx, actor, siteId, sittingId, plan, credentials, now);
  for (const t of takenOver) {
    accountOf.set(t.email, t.accountId);
    sheetRows.push(credentials.get(t.email)!);
  }
  // The sheet is complete: its bytes are written while the database writes the rows below.
  sheetRows.sort((a, b) => a.row - b.row);
  const sheetFile = sheetRows.length ? opts.startSheet(sheetRows) : null;

  // PHO-6: a photo stored earlier for the ID at this site comes back with the registration.
  const photoOf = new Map<string, number>();
  for (const chunk of chunks(
    plan.registrations.map((r) => r.value.id_number),
    5000,
  )) {
    const ps = await trx
      .selectFrom("photo")
      .select(["id", "id_number"])
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", siteId)
      .where("id_number", "=", anyText(chunk))
      .execute();
    for (const p of ps) photoOf.set(p.id_number, p.id);
  }

  // New registrations: channel 'group', never expiring (hold_until null).
  const creates = plan.registrations.filter((r) => !r.existing);
  const regIdOf = new Map<string, number>();
  for (const chunk of chunks(creates)) {
    const made = await insertJsonRows(
      trx,
      "registration",
      chunk.map((r) => ({
        ...personal(r.value),
        id_type: r.value.id_type,
        id_number: r.value.id_number,
        sitting_id: sittingId,
        org_id: siteId,
        account_id: accountOf.get(r.account.email)!,
        channel: "group" as const,
        registry_candidate: r.registryCandidate,
        photo_id: photoOf.get(r.value.id_number) ?? null,
        review_status: reviewStatusAfterImport(reviewRequired, null, false),
        hold_until: null,
        // MGT-1: its entries are inserted below without the counts trigger (decision 0057).
        entry_count: r.add.length,
      })),
      { returning: ["id", "id_number"] },
    );
    for (const m of made) regIdOf.set(m.id_number, m.id);
    await progress(chunk.length);
  }

  // Updates: personal data (never the ID number), the account, review as GRP-5 says; audited one by one.
  for (const r of plan.registrations.filter((x) => x.existing)) {
    const before = existing.get(r.value.id_number)!.row;
    const after = personal(r.value);
    const changed = PERSONAL.some((k) => String(before[k] ?? "") !== String(after[k] ?? ""));
    const accountId = accountOf.get(r.account.email)!;
    const review = reviewStatusAfterImport(reviewRequired, before.review_status, changed);
    await trx
      .updateTable("registration")
      .set({
        ...after,
        account_id: accountId,
        registry_candidate: r.registryCandidate,
        review_status: review,
        hold_until: null,
        updated_at: now,
        ...(before.photo_id === null && photoOf.has(r.value.id_number)
          ? { photo_id: photoOf.get(r.value.id_number)! }
          : {}),
      })
      .where("id", "=", before.id)
      .execute();
    regIdOf.set(r.value.id_number, before.id);
    const beforeEntries = r.existing!.entries.map((e) => e.subject_code).join(",");
    const afterEntries = [
      ...r.existing!.entries.filter((e) => !r.remove.includes(e)).map((e) => e.subject_code),
      ...r.add,
    ]
      .sort()
      .join(",");
    await recordAudit(
      trx,
      { ...actor, orgId: siteId },
      {
        action: "registration.group_update",
        entityType: "registration",
        entityId: String(before.id),
        before: {
          ...Object.fromEntries(PERSONAL.map((k) => [k, before[k]])),
          account_id: before.account_id,
          review_status: before.review_status,
          entries: beforeEntries,
        },
        after: { ...after, account_id: accountId, review_status: review, entries: afterEntries },
      },
    );
    await progress(1);
  }

  // Entries exactly as listed: unpaid ones no longer listed go, new ones come (never expiring).
  const removed = plan.registrations.flatMap((r) => r.remove);
  for (const chunk of chunks(
    removed.map((e) => e.id),
    5000,
  ))
    await trx.deleteFrom("entry").where("id", "=", anyInt(chunk)).where("paid", "=", false).execute();
  const entriesOf = (rs: typeof plan.registrations) =>
    rs.flatMap((r) =>
      r.add.map((code) => ({
        registration_id: regIdOf.get(r.value.id_number)!,
        sitting_id: sittingId,
        org_id: siteId,
        subject_code: code,
        hold_until: null,
      })),
    );
  await insertEntriesOfNewRegistrations(trx, entriesOf(creates));
  for (const chunk of chunks(entriesOf(plan.registrations.filter((r) => r.existing)), 5000))
    await insertJsonRows(trx, "entry", chunk);

  // CAN-4: the counters last, so their shards are held as briefly as possible.
  const shortages = await changeGroupSeats(trx, sittingId, siteId, site, seatChanges(plan.registrations));
  if (shortages.length) throw new Refused(refused([], shortages));

  const credentialSheetId = sheetFile
    ? await recordCredentialSheet(trx, await sheetFile, {
        locale: opts.locale,
        sittingId,
        siteId,
        accounts: sheetRows.length,
        createdBy: actor.accountId,
      })
    : null;
  const outcome: GroupImportOutcome = {
    ok: true,
    errors: [],
    refusals: [],
    created: plan.created,
    updated: plan.updated,
    entriesAdded: plan.entriesAdded,
    entriesRemoved: plan.entriesRemoved,
    accountsCreated: plan.accountsCreated,
    accountsBound: plan.accountsBound,
    accountsTakenOver: plan.accountsTakenOver,
    takenOver: takenOver.map((t) => ({ row: t.row, email: t.email })).sort((a, b) => a.row - b.row),
    credentialSheetId,
  };
  await recordAudit(
    trx,
    { ...actor, orgId: siteId },
    {
      action: "group.import",
      entityType: "registration",
      entityId: siteId,
      orgId: siteId,
      after: {
        rows: plan.registrations.length,
        created: plan.created,
        updated: plan.updated,
        entries_added: plan.entriesAdded,
        entries_removed: plan.entriesRemoved,
        accounts_created: plan.accountsCreated,
        accounts_bound: plan.accountsBound,
        accounts_taken_over: plan.accountsTakenOver,
        credential_sheet: credentialSheetId,
      },
    },
  );
  return outcome;
}

/**
 * GRP-4 (decision 0019): an e-mail held by an account nobody proved goes to the site's candidate.
 * The account's password becomes the sheet's one-time password (valid 14 days, to be changed at
 * first login), its sessions end, and whatever registrations it held other than the one being
 * imported are detached (a squatter's data never reaches the student, nor stays with the squatter's
 * login). Each take-over is audited and reported by row.
 */
async function takeOverUnprovenAccounts(
  trx: Transaction<DB>,
  actor: Actor,
  siteId: number,
  sittingId: number,
  plan: GroupImportPlan,
  credentials: Map<string, Credential>,
  now: Date,
): Promise<Array<{ row: number; email: string; accountId: string }>> {
  const out: Array<{ row: number; email: string; accountId: string }> = [];
  for (const r of plan.registrations) {
    if (r.account.kind !== "takeover") continue;
    const accountId = r.account.accountId;
    const c = credentials.get(r.account.email)!;
    await trx
      .updateTable("account")
      .set({
        name: r.value.name,
        password_hash: c.hash,
        must_change_password: true,
        otp_expires_at: oneTimePasswordExpiry(now),
        site_vouched_at: now,
        updated_at: now,
      })
      .where("id", "=", accountId)
      .execute();
    const sessionsEnded = await endAllSessions(trx, accountId);
    const detached = await trx
      .updateTable("registration")
      .set({ account_id: null, updated_at: now })
      .where("account_id", "=", accountId)
      .where((eb) => eb.or([eb("sitting_id", "<>", sittingId), eb("id_number", "<>", r.value.id_number)]))
      .returning("id")
      .execute();
    await recordAudit(
      trx,
      { ...actor, orgId: siteId },
      {
        action: "account.taken_over_by_site",
        entityType: "account",
        entityId: accountId,
        orgId: siteId,
        before: { proven: false, must_change_password: false },
        after: {
          proven: "site",
          must_change_password: true,
          row: r.row,
          sessions_ended: sessionsEnded,
          registrations_detached: detached.map((d) => d.id).join(","),
        },
      },
    );
    out.push({ row: r.row, email: r.account.email, accountId });
  }
  return out;
}

/**
 * CAN-4: every seat the import takes and gives back, in one call (decision 0051); what is missing is
 * reported subject by subject. The counters reported short were not changed by the call, so their
 * figures are the other registrations' plus this import's entries that go, against the net change.
 */
async function changeGroupSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  site: GroupSite,
  seats: ReturnType<typeof seatChanges>,
): Promise<SeatShortage[]> {
  const net = new Map(seats.take);
  for (const code of seats.release) net.set(code, (net.get(code) ?? 0) - 1);
  const totalNet = seats.totalTake - seats.release.length;
  // The import holds the site's group-import lock: any shard to start from will do.
  const short = await changeSeats(trx, sittingId, siteId, [[SITE_TOTAL, totalNet], ...net], siteId);
  if (short.length === 0) return [];
  const c = await getCapacityCounters(trx, sittingId, siteId);
  const shortSubjects = new Map([...net].filter(([code]) => short.includes(code)));
  return seatShortages(
    shortSubjects,
    short.includes(SITE_TOTAL) ? totalNet : 0,
    [...shortSubjects.keys()].map((code) => ({
      code,
      name: site.rules.offered.get(code) ?? "",
      capacity: c.subjects.get(code)?.capacity ?? null,
      taken: c.subjects.get(code)?.taken ?? 0,
    })),
    c.total,
  );
}
