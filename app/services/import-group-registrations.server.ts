import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { getOrgPath } from "~db/queries/orgs";
import { listOfferedForCandidates } from "~db/queries/registrations";
import { releaseSeats, takeSubjectSeatCounts, takeTotalSeats } from "~db/queries/seats";
import { getCapacityCounters, getProvinceSetting, getSiteSetting } from "~db/queries/setup";
import type { DB, Registration } from "~db/schema";
import { parseClassOptions } from "~/domain/class-options";
import type { SiteEligibility, StudentRecordRef } from "~/domain/eligibility";
import { AppError } from "~/domain/errors";
import { idLastFour } from "~/domain/id-number";
import {
  planGroupImport,
  reviewStatusAfterImport,
  seatChanges,
  seatShortages,
  type ExistingAccount,
  type ExistingRegistration,
  type GroupImportPlan,
  type GroupRowValue,
  type GroupSiteRules,
  type SeatShortage,
} from "~/domain/group-registration";
import { makeOneTimePassword } from "~/domain/password";
import { isProvenAccount, oneTimePasswordExpiry } from "~/domain/verification";
import type { RowError } from "~/domain/student-record";
import { formatDateTime, translator, type Locale } from "~/i18n";
import { checkZip, sniffFile } from "~/imports/sniff.server";
import { entriesOf, entryName, entryStream, isLyingSize } from "~/imports/zip-reader.server";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import { findStoredFile, openStoredFile, storeFile, deleteFileBytes } from "~/utils/file-store.server";
import { hashOneTimePassword } from "~/utils/password.server";
import { endAllSessions } from "~/utils/session.server";
import { recordAudit, type Actor } from "./audit.server";
import { lockAdvisory } from "~db/queries/locks";
import { isUniqueViolation } from "~db/errors";

type Q = Kysely<DB> | Transaction<DB>;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** PostgreSQL takes at most 65,535 parameters per statement: rows go in chunks well below that. */
const CHUNK = 1000;

const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

// ---------------------------------------------------------------------------------------------
// The site's rules (SET-1, SET-8, CAN-2)

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

// ---------------------------------------------------------------------------------------------
// The upload (GRP-1, X-3): a .zip holding exactly one .xlsx

const JUNK = /(^|\/)(__MACOSX\/.*|\._[^/]*|\.DS_Store|Thumbs\.db|desktop\.ini)$/i;
const ARCHIVE_NAME = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|cab|arj|lzh)$/i;
/** More files than a filled template needs is a wrong upload, not something to unpack. */
const MAX_FILES = 20;

export interface UnpackedWorkbook {
  /** The .xlsx, unpacked to a temporary folder the caller removes with `discardUnpacked`. */
  path: string;
  name: string;
  dir: string;
}

/**
 * GRP-1/X-3: the upload must be a .zip (by content) holding exactly one .xlsx (by content), with no
 * archive inside it. The zip is checked from its central directory (size, ratio, count, `..`) before
 * anything is unpacked, and the workbook (itself a zip) again before it is read.
 */
export async function unpackGroupUpload(filePath: string, uploadName: string): Promise<UnpackedWorkbook> {
  const kind = await sniffFile(filePath);
  if (kind === "xlsx") throw new AppError("group.zip_required");
  if (kind === "rar" || kind === "7z")
    throw new AppError("group.archive_refused", { format: kind === "rar" ? "RAR" : "7z" });
  if (kind !== "zip") throw new AppError("group.not_zip", { name: uploadName });
  await checkZip(filePath);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-group-"));
  try {
    const files = await extractAll(filePath, dir);
    const books: typeof files = [];
    const oldBooks: typeof files = [];
    for (const f of files) {
      const inner = await sniffFile(f.path);
      if (inner === "zip" || inner === "rar" || inner === "7z")
        throw new AppError("group.zip_nested", { name: f.name });
      if (inner === "xlsx") books.push(f);
      if (inner === "xls") oldBooks.push(f);
    }
    const found = files.map((f) => f.name).join("、") || "—";
    // An old .xls (even one named .xlsx) is named as such: saving it as .xlsx is the fix.
    if (books.length === 0 && oldBooks.length > 0)
      throw new AppError("group.zip_old_xls", { name: path.posix.basename(oldBooks[0].name) });
    if (books.length === 0) throw new AppError("group.zip_no_xlsx", { found });
    if (books.length > 1) throw new AppError("group.zip_many_xlsx", { found: books.map((b) => b.name).join("、") });
    await checkZip(books[0].path);
    return { path: books[0].path, name: path.posix.basename(books[0].name), dir };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function discardUnpacked(u: { dir: string }) {
  fs.rmSync(u.dir, { recursive: true, force: true });
}

/** Unpacks the zip's files (not folders, not OS clutter) under fixed, harmless names. */
async function extractAll(zipPath: string, dir: string): Promise<Array<{ name: string; path: string }>> {
  const out: Array<{ name: string; path: string }> = [];
  try {
    for await (const { zip, entry } of entriesOf(zipPath)) {
      const name = entryName(entry).replace(/\\/g, "/");
      if (name.endsWith("/") || JUNK.test(name)) continue;
      if (ARCHIVE_NAME.test(name)) throw new AppError("group.zip_nested", { name });
      if (out.length >= MAX_FILES) throw new AppError("group.zip_many_files", { max: MAX_FILES });
      const target = path.join(dir, `${out.length}.bin`);
      await pipeline(await entryStream(zip, entry), fs.createWriteStream(target));
      out.push({ name, path: target });
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // A lying size (more inflated than declared) is a bomb; anything else, a broken zip.
    throw new AppError(isLyingSize(e) ? "upload.zip_bomb" : "upload.zip_broken");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the database already holds (GRP-2, GRP-3, GRP-4, SET-9)

type LoadedRegistration = ExistingRegistration & { row: Registration };

async function loadRegistrations(
  db: Q,
  sittingId: number,
  idNumbers: readonly string[],
  now: Date,
  lock: boolean,
): Promise<Map<string, LoadedRegistration>> {
  const rows: Registration[] = [];
  for (const chunk of chunks(idNumbers, 5000)) {
    const q = db
      .selectFrom("registration")
      .selectAll()
      .where("sitting_id", "=", sittingId)
      .where("id_number", "in", chunk)
      .orderBy("id");
    rows.push(...(await (lock ? q.forUpdate() : q).execute()));
  }
  const out = new Map<string, LoadedRegistration>();
  if (rows.length === 0) return out;
  const orgIds = [...new Set(rows.map((r) => r.org_id))];
  const orgs = new Map(
    (await db.selectFrom("org").select(["id", "code", "name"]).where("id", "in", orgIds).execute()).map((o) => [
      o.id,
      `(${o.code}) ${o.name}`,
    ]),
  );
  const entries = new Map<number, ExistingRegistration["entries"][number][]>();
  for (const chunk of chunks(
    rows.map((r) => r.id),
    5000,
  )) {
    const es = await db
      .selectFrom("entry")
      .select(["entry.id", "entry.registration_id", "entry.subject_code", "entry.paid", "entry.payment_batch_id"])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("payment")
              .select(sql`1`.as("one"))
              .whereRef("payment.registration_id", "=", "entry.registration_id")
              .where("payment.status", "=", "pending")
              .where("payment.expires_at", ">", now)
              .where(sql<boolean>`entry.id = any(payment.entry_ids)`),
          )
          .as("in_pending_payment"),
      )
      .where("entry.registration_id", "in", chunk)
      .orderBy("entry.subject_code")
      .execute();
    for (const e of es) {
      const list = entries.get(e.registration_id) ?? [];
      list.push({
        id: e.id,
        subject_code: e.subject_code,
        paid: e.paid,
        in_payment_batch: e.payment_batch_id !== null,
        in_pending_payment: Boolean(e.in_pending_payment),
      });
      entries.set(e.registration_id, list);
    }
  }
  for (const r of rows) {
    out.set(r.id_number, {
      id: r.id,
      org_id: r.org_id,
      org_label: orgs.get(r.org_id) ?? String(r.org_id),
      channel: r.channel,
      locked: r.locked,
      account_id: r.account_id,
      entries: entries.get(r.id) ?? [],
      row: r,
    });
  }
  return out;
}

async function loadAccounts(
  db: Q,
  sittingId: number,
  emails: readonly string[],
): Promise<Map<string, ExistingAccount>> {
  const out = new Map<string, ExistingAccount>();
  for (const chunk of chunks(emails, 5000)) {
    const accounts = await db
      .selectFrom("account")
      .select(["id", "email", "role", "email_verified_at", "mobile_verified_at", "site_vouched_at"])
      .where("email", "in", chunk)
      .execute();
    if (accounts.length === 0) continue;
    const bound = new Map(
      (
        await db
          .selectFrom("registration")
          .select(["account_id", "id_number"])
          .where("sitting_id", "=", sittingId)
          .where(
            "account_id",
            "in",
            accounts.map((a) => a.id),
          )
          .execute()
      ).map((r) => [r.account_id!, r.id_number]),
    );
    for (const a of accounts)
      out.set(a.email!, {
        id: a.id,
        role: a.role,
        proven: isProvenAccount(a),
        bound_id_number: bound.get(a.id) ?? null,
      });
  }
  return out;
}

/** SET-9: the site's eligibility settings, as the candidate pages read them (student-record-hooks.server.ts). */
async function loadSiteEligibility(db: Q, sittingId: number, siteId: number): Promise<SiteEligibility> {
  const s = await getSiteSetting(db, sittingId, siteId);
  const province = (await getOrgPath(db, siteId)).find((o) => o.level === "province");
  const ps = province ? await getProvinceSetting(db, sittingId, province.id) : undefined;
  return {
    siteId,
    provinceId: province?.id ?? 0,
    registryEnabled: s.registry_enabled,
    onlyProvinceRegistry: s.only_province_registry,
    onlySiteRegistry: s.only_site_registry,
    crossSiteDisabled: ps?.preferred_dates_enabled ?? false,
  };
}

/** SR-7: the student records of these IDs, each with its province, in a few queries whatever the count. */
async function loadRecords(db: Q, idNumbers: readonly string[]): Promise<Map<string, StudentRecordRef>> {
  const rows: Array<{ id_number: string; org_id: number; eligible_site_ids: number[] | null }> = [];
  for (const chunk of chunks(idNumbers, 5000)) {
    rows.push(
      ...(await db
        .selectFrom("student_record")
        .select(["id_number", "org_id", "eligible_site_ids"])
        .where("id_number", "in", chunk)
        .execute()),
    );
  }
  const provinceOf = new Map<number, number>();
  for (const orgId of new Set(rows.map((r) => r.org_id))) {
    provinceOf.set(orgId, (await getOrgPath(db, orgId)).find((o) => o.level === "province")?.id ?? 0);
  }
  return new Map(
    rows.map((r) => [
      r.id_number,
      {
        siteId: r.org_id,
        provinceId: provinceOf.get(r.org_id) ?? 0,
        eligibleSiteIds: r.eligible_site_ids ?? [r.org_id],
      },
    ]),
  );
}

async function makePlan(
  db: Q,
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>,
  overwrite: boolean,
  now: Date,
  lock: boolean,
) {
  const ids = rows.map((r) => r.value.id_number);
  const registrations = await loadRegistrations(db, sittingId, ids, now, lock);
  const accounts = await loadAccounts(db, sittingId, [...new Set(rows.map((r) => r.value.email))]);
  const eligibility = await loadSiteEligibility(db, sittingId, siteId);
  const records = await loadRecords(db, ids);
  return {
    plan: planGroupImport({ siteId, overwrite, rows, registrations, accounts, eligibility, records }),
    registrations,
  };
}

/**
 * SR-3: the database's objections to the rows that did parse, so a file with a typo in one row
 * and an existing ID in another lists both at once. Reads only; nothing is written.
 */
export async function checkGroupRows(
  sittingId: number,
  siteId: number,
  rows: ReadonlyArray<{ row: number; value: GroupRowValue }>,
  overwrite: boolean,
): Promise<RowError[]> {
  if (rows.length === 0) return [];
  return (await makePlan(getDb(), sittingId, siteId, rows, overwrite, new Date(), false)).plan.errors;
}

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

function personal(v: GroupRowValue) {
  return Object.fromEntries(PERSONAL.map((k) => [k, v[k]])) as Pick<GroupRowValue, (typeof PERSONAL)[number]>;
}

interface Credential {
  row: number;
  name: string;
  email: string;
  idNumber: string;
  /** ORG-9/GRP-4: a new account or a taken-over one gets a one-time password; a proven one keeps its own. */
  kind: "new" | "takeover" | "existing";
  password: string;
  hash: string;
}

async function prepareCredentials(
  plan: GroupImportPlan,
  ready: Map<string, Credential>,
  onProgress?: (done: number, total: number) => Promise<void>,
) {
  const wanted = plan.registrations.filter(
    (r) => (r.account.kind === "new" || r.account.kind === "takeover") && !ready.has(r.account.email),
  );
  let next = 0;
  let done = 0;
  // Argon2 runs on libuv's thread pool (4 threads by default): keep it full, no more.
  const worker = async () => {
    while (next < wanted.length) {
      const r = wanted[next++];
      const password = makeOneTimePassword((n) => randomBytes(n));
      const kind = r.account.kind === "takeover" ? "takeover" : "new";
      ready.set(r.account.email, {
        row: r.row,
        name: r.value.name,
        email: r.account.email,
        idNumber: r.value.id_number,
        kind,
        password,
        hash: await hashOneTimePassword(password),
      });
      if (++done % 20 === 0 || done === wanted.length) await onProgress?.(done, wanted.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, wanted.length) }, worker));
}

/**
 * GRP-2: all-or-nothing. The plan is made once to learn which accounts are new (their one-time
 * passwords are hashed before the transaction, which stays short), then again inside the
 * transaction that writes, under a per-site lock, so anything that changed meanwhile is judged too.
 * Seats are taken last (decision 0014); a shortage rolls everything back (CAN-4).
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
  const first = await makePlan(getDb(), sittingId, siteId, rows, overwrite, now, false);
  if (first.plan.errors.length) return refused(first.plan.errors);
  const credentials = new Map<string, Credential>();
  await prepareCredentials(first.plan, credentials, (d, t) => opts.onProgress?.("accounts", d, t) ?? Promise.resolve());

  let outcome: GroupImportOutcome;
  let sheetRows: Credential[] = [];
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
        await prepareCredentials(plan, credentials);
        const result = await writePlan(
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
          opts.onProgress,
        );
        sheetRows = result.sheetRows;
        return result.outcome;
      });
  } catch (e) {
    if (e instanceof Refused) return e.outcome;
    // Someone registered the same ID or e-mail between the plan and the write: the file is fine, the moment was not.
    if (isUniqueViolation(e)) throw new AppError("group.conflict_retry", {}, 409);
    throw e;
  }
  if (outcome.credentialSheetId !== null)
    await storeCredentialSheet(outcome.credentialSheetId, sheetRows, {
      locale: opts.locale,
      sittingId,
      createdBy: actor.accountId,
      createdAt: now,
    });
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
  onProgress?: (stage: "accounts" | "writing", done: number, total: number) => Promise<void>,
): Promise<{ outcome: GroupImportOutcome; sheetRows: Credential[] }> {
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
    const made = await trx
      .insertInto("account")
      .values(values)
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .execute();
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
      .where("id_number", "in", chunk)
      .execute();
    for (const p of ps) photoOf.set(p.id_number, p.id);
  }

  // New registrations: channel 'group', never expiring (hold_until null).
  const creates = plan.registrations.filter((r) => !r.existing);
  const regIdOf = new Map<string, number>();
  for (const chunk of chunks(creates)) {
    const made = await trx
      .insertInto("registration")
      .values(
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
        })),
      )
      .returning(["id", "id_number"])
      .execute();
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
    await trx.deleteFrom("entry").where("id", "in", chunk).where("paid", "=", false).execute();
  const added = plan.registrations.flatMap((r) =>
    r.add.map((code) => ({
      registration_id: regIdOf.get(r.value.id_number)!,
      sitting_id: sittingId,
      org_id: siteId,
      subject_code: code,
      hold_until: null,
    })),
  );
  for (const chunk of chunks(added)) await trx.insertInto("entry").values(chunk).execute();

  // CAN-4: the counters last, so the site's row is held as briefly as possible.
  const seats = seatChanges(plan.registrations);
  await releaseSeats(trx, sittingId, siteId, seats.release);
  const shortages = await takeSeats(trx, sittingId, siteId, site, seats.take, seats.totalTake);
  if (shortages.length) throw new Refused(refused([], shortages));

  let credentialSheetId: number | null = null;
  if (sheetRows.length) {
    const sheet = await trx
      .insertInto("credential_sheet")
      .values({
        sitting_id: sittingId,
        org_id: siteId,
        file_id: null,
        accounts: sheetRows.length,
        created_by: actor.accountId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    credentialSheetId = sheet.id;
  }
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
  return { outcome, sheetRows: sheetRows.sort((a, b) => a.row - b.row) };
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
 * CAN-4: the site's total first (which holds the site's row, the site's mutex), then each subject
 * with the guarded seat functions; what is missing is reported subject by subject.
 */
async function takeSeats(
  trx: Transaction<DB>,
  sittingId: number,
  siteId: number,
  site: GroupSite,
  take: Map<string, number>,
  totalTake: number,
): Promise<SeatShortage[]> {
  if (totalTake === 0) return [];
  const names = site.rules.offered;
  const counters = async () => {
    const c = await getCapacityCounters(trx, sittingId, siteId);
    return {
      total: c.total,
      subjects: [...take.keys()].map((code) => ({
        code,
        name: names.get(code) ?? "",
        capacity: c.subjects.get(code)?.capacity ?? null,
        taken: c.subjects.get(code)?.taken ?? 0,
      })),
    };
  };
  if (!(await takeTotalSeats(trx, sittingId, siteId, totalTake))) {
    const c = await counters();
    return seatShortages(take, totalTake, c.subjects, c.total);
  }
  // The total is taken; with the site's row held, subject counters can only fall: judge them first.
  const c = await counters();
  const short = seatShortages(take, 0, c.subjects, c.total);
  if (short.length) return short;
  // With the site's row held nothing else takes these seats: one statement takes them all.
  const missing = await takeSubjectSeatCounts(trx, sittingId, siteId, take);
  const out: SeatShortage[] = missing.map((code) => {
    const s = c.subjects.find((x) => x.code === code);
    const free = s?.capacity ? Math.max(0, s.capacity - s.taken) : 0;
    return {
      key: "group.subject_capacity_short",
      params: { code, name: names.get(code) ?? "", missing: take.get(code)! - free, capacity: s?.capacity ?? 0 },
    };
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// ORG-9: the credentials sheet, downloadable once by an administrator of the site

/**
 * Written after the transaction commits (the file store writes through its own connection). The
 * file is recorded without an organisation, so /files/:id never serves it: only the credentials
 * route does, once.
 */
async function storeCredentialSheet(
  sheetId: number,
  rows: Credential[],
  meta: { locale: Locale; sittingId: number; createdBy: string | null; createdAt: Date },
) {
  const t = translator(meta.locale);
  const stored = await storeFile(
    {
      kind: "credentials",
      name: `${t("group.cred.file_name")}-${sheetId}.xlsx`,
      contentType: XLSX_TYPE,
      orgId: null,
      sittingId: meta.sittingId,
      createdBy: meta.createdBy,
    },
    async (abs) => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: abs, useSharedStrings: false, useStyles: true });
      const ws = wb.addWorksheet(t("group.cred.sheet"));
      ws.columns = [
        { header: t("group.cred.col.row"), key: "row", width: 8 },
        { header: t("group.cred.col.name"), key: "name", width: 14 },
        { header: t("group.cred.col.login"), key: "email", width: 32 },
        { header: t("group.cred.col.id_last4"), key: "id", width: 14, style: { numFmt: "@" } },
        { header: t("group.cred.col.password"), key: "password", width: 26, style: { numFmt: "@" } },
        { header: t("group.cred.col.expires"), key: "expires", width: 20 },
      ];
      const expires = formatDateTime(oneTimePasswordExpiry(meta.createdAt), meta.locale, getEnv().timeZone);
      for (const r of rows) {
        // GRP-4: a proven account keeps its owner's password; a taken-over one says so beside its new one.
        const password =
          r.kind === "existing"
            ? t("group.cred.own_password")
            : r.kind === "takeover"
              ? `${r.password} ${t("group.cred.taken_over")}`
              : r.password;
        ws.addRow({
          row: r.row,
          name: r.name,
          email: r.email,
          id: idLastFour(r.idNumber),
          password,
          expires: r.kind === "existing" ? "" : expires,
        }).commit();
      }
      ws.commit();
      const note = wb.addWorksheet(t("group.cred.note_sheet"));
      note.addRow([t("group.cred.note")]).commit();
      note.commit();
      await wb.commit();
    },
  );
  await getDb().updateTable("credential_sheet").set({ file_id: stored.id }).where("id", "=", sheetId).execute();
}

export interface CredentialSheetView {
  id: number;
  accounts: number;
  ready: boolean;
  downloaded_at: Date | null;
  downloaded_by: string | null;
}

/** The state of a site's credentials sheet, for the import page. */
export async function findCredentialSheet(
  sittingId: number,
  siteId: number,
  id: number,
): Promise<CredentialSheetView | null> {
  const row = await getDb()
    .selectFrom("credential_sheet")
    .selectAll()
    .where("id", "=", id)
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    accounts: row.accounts,
    ready: row.file_id !== null,
    downloaded_at: row.downloaded_at,
    downloaded_by: row.downloaded_by ? await downloaderName(sittingId, row.downloaded_by) : null,
  };
}

/** ORG-9: the site's sheets not downloaded yet (an import after them must not hide them), newest first. */
export async function listUndownloadedSheets(sittingId: number, siteId: number) {
  return getDb()
    .selectFrom("credential_sheet")
    .select(["id", "accounts", "created_at", "file_id"])
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .where("downloaded_at", "is", null)
    .orderBy("id", "desc")
    .limit(20)
    .execute();
}

async function downloaderName(sittingId: number, accountId: string) {
  const db = getDb();
  const m = await db
    .selectFrom("membership")
    .select("name")
    .where("account_id", "=", accountId)
    .where("sitting_id", "=", sittingId)
    .executeTakeFirst();
  if (m?.name) return m.name;
  return (await db.selectFrom("account").select("name").where("id", "=", accountId).executeTakeFirst())?.name ?? "—";
}

/**
 * ORG-9/ORG-2: hands the sheet to an administrator of its own site, once: the download is claimed
 * in the database (so two clicks cannot both get it), then the stored file is deleted. A second
 * attempt says when and by whom it was downloaded.
 */
export async function takeCredentialSheet(
  ctx: AdminContext,
  sheetId: number,
  now = new Date(),
): Promise<{ name: string; body: Buffer }> {
  const db = getDb();
  const sheet = await db.selectFrom("credential_sheet").selectAll().where("id", "=", sheetId).executeTakeFirst();
  // Another site's sheet, or a superior's look at it, is as good as absent.
  if (!sheet || sheet.org_id !== ctx.org.id || sheet.sitting_id !== ctx.sitting.id)
    throw new AppError("group.credentials_not_found", {}, 404);
  if (ctx.role !== "admin") throw new AppError("role.admin_only", {}, 403);
  const downloaded = async (at: Date, by: string | null) =>
    new AppError(
      "group.credentials_downloaded",
      {
        at: formatDateTime(at, ctx.locale, getEnv().timeZone),
        by: by ? await downloaderName(sheet.sitting_id, by) : "—",
      },
      410,
    );
  if (sheet.downloaded_at) throw await downloaded(sheet.downloaded_at, sheet.downloaded_by);
  const file = sheet.file_id ? await findStoredFile(sheet.file_id) : undefined;
  if (!file) throw new AppError("group.credentials_not_ready", {}, 409);
  const parts: Buffer[] = [];
  for await (const chunk of openStoredFile(file.path)) parts.push(chunk as Buffer);
  const claimed = await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("credential_sheet")
      .set({ downloaded_at: now, downloaded_by: ctx.accountId })
      .where("id", "=", sheetId)
      .where("downloaded_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!r) return false;
    // credential_sheet.file_id is set null by the foreign key.
    await trx.deleteFrom("stored_file").where("id", "=", file.id).execute();
    await recordAudit(trx, ctx.actor, {
      action: "group.credentials_download",
      entityType: "credential_sheet",
      entityId: sheetId,
      orgId: sheet.org_id,
      before: { downloaded_at: null },
      after: { downloaded_at: now.toISOString(), accounts: sheet.accounts },
    });
    return true;
  });
  if (!claimed) {
    const again = await db
      .selectFrom("credential_sheet")
      .select(["downloaded_at", "downloaded_by"])
      .where("id", "=", sheetId)
      .executeTakeFirstOrThrow();
    throw await downloaded(again.downloaded_at ?? now, again.downloaded_by);
  }
  deleteFileBytes([file.path]);
  return { name: file.name, body: Buffer.concat(parts) };
}
