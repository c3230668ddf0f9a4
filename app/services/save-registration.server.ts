import { getDb } from "~db/client";
import {
  findRegistrationByAccount,
  findRegistrationByIdNumber,
  listOpenSites,
  lockRegistrationByAccount,
} from "~db/queries/registrations";
import { checkClass } from "~/domain/class-options";
import { AppError } from "~/domain/errors";
import { holdUntil, personalDataRefusal } from "~/domain/registration";
import { releasePreferredDate } from "~db/queries/seats";
import { FORM_TO_COLUMN, parseStudentRecordRow, type StudentRecordValue } from "~/domain/student-record";
import type { MessageKey } from "~/i18n";
import type { CandidateContext } from "~/utils/auth.server";
import { PERSONAL_FIELDS, type PersonalField } from "~/domain/registration";
import { recordAudit } from "./audit.server";
import { holdMinutes, loadSiteRules } from "./load-registration.server";
import { clearDraft, readDraft, takeIdLookup } from "./id-lookup.server";
import { classifyCandidate } from "./student-record-hooks.server";

export type FieldErrors = Partial<
  Record<PersonalField | "site", { key: MessageKey; params?: Record<string, string | number> }>
>;

const COLUMN_TO_FIELD = new Map(Object.entries(FORM_TO_COLUMN).map(([f, c]) => [c as string, f]));

/**
 * CAN-2/CAN-3: one rule set for personal data: the student-record row schema (ID by type with its
 * check digit, full-width normalised, birth date and gender agreeing with the ID, codes by code or name).
 */
export function parsePersonalData(
  fields: Partial<Record<PersonalField, string>>,
): { value: StudentRecordValue; errors?: undefined } | { errors: FieldErrors; value?: undefined } {
  const cells: Record<string, unknown> = {};
  for (const f of PERSONAL_FIELDS) cells[FORM_TO_COLUMN[f]] = fields[f] ?? "";
  const r = parseStudentRecordRow(cells);
  if (r.value) return { value: r.value };
  const errors: FieldErrors = {};
  for (const e of r.errors) {
    const f = COLUMN_TO_FIELD.get(e.column) as PersonalField | undefined;
    if (f && !errors[f]) errors[f] = { key: e.key, params: e.params };
  }
  return { errors };
}

export type SaveRegistrationResult = { ok: true; created: boolean } | { ok: false; fieldErrors: FieldErrors };

/**
 * CAN-2: create or change the candidate's registration at a site: the site must be open for online
 * registration and admit the candidate (SET-9); CAN-5: a locked registration cannot change.
 */
export async function saveRegistration(
  ctx: CandidateContext,
  input: { siteId: number; fields: Partial<Record<PersonalField, string>> },
  now = new Date(),
): Promise<SaveRegistrationResult> {
  const parsed = parsePersonalData(input.fields);
  if (!parsed.value) return { ok: false, fieldErrors: parsed.errors };
  const v = parsed.value;
  const sittingId = ctx.sitting.id;
  const db = getDb();

  // A forged or closed site id is refused here, whatever the page offered.
  const open = (await listOpenSites(db, sittingId, now)).find((s) => s.id === input.siteId);
  if (!open) throw new AppError("reg.site_not_open", {}, 403);
  const rules = await loadSiteRules(db, sittingId, input.siteId);
  const classProblem = checkClass(v.class_name, rules.class_options, rules.class_required);
  if (classProblem) return { ok: false, fieldErrors: { class_name: { key: classProblem } } };
  // SR-6/X-4: an ID number other than the one already looked up (or registered) counts as a look-up.
  const [current, draft] = await Promise.all([findRegistrationByAccount(db, sittingId, ctx.accountId), readDraft(ctx)]);
  if (v.id_number !== current?.id_number && v.id_number !== draft?.idNumber) await takeIdLookup(db, ctx.accountId, now);
  const { refusal, kind } = await classifyCandidate(sittingId, input.siteId, v.id_number, v.name);
  if (refusal) return { ok: false, fieldErrors: { site: { key: refusal } } };

  const values = {
    id_type: v.id_type,
    id_number: v.id_number,
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
    address: v.address,
    postcode: v.postcode,
    email: v.email,
  };
  return db.transaction().execute(async (trx) => {
    const before = await lockRegistrationByAccount(trx, sittingId, ctx.accountId);
    const refusal = personalDataRefusal(rules, before ?? null, now);
    if (refusal) throw new AppError(refusal, {}, 403);
    const holder = await findRegistrationByIdNumber(trx, sittingId, v.id_number);
    // says neither "registered" nor by whom; the owner learns whom to ask (decision 0020).
    if (holder && holder.id !== before?.id)
      return { ok: false as const, fieldErrors: { id_number: { key: "privacy.id_unavailable" as MessageKey } } };
    if (before && before.org_id !== input.siteId) {
      // Entries hold seats at the old site: they go first, on purpose, by the candidate's hand.
      const n = await trx
        .selectFrom("entry")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("registration_id", "=", before.id)
        .executeTakeFirstOrThrow();
      if (Number(n.n) > 0) throw new AppError("reg.site_change_entries", {}, 409);
    }
    if (before) {
      const after = {
        ...values,
        org_id: input.siteId,
        registry_candidate: kind === "registry",
        preferred_date: before.org_id === input.siteId ? before.preferred_date : null,
        updated_at: now,
        hold_until: before.person_fee_paid ? null : holdUntil(now, holdMinutes(), before.review_status === "pending"),
      };
      if (before.org_id !== input.siteId)
        await releasePreferredDate(trx, sittingId, before.org_id, before.preferred_date);
      await trx.updateTable("registration").set(after).where("id", "=", before.id).execute();
      await recordAudit(
        trx,
        { ...ctx.actor, orgId: input.siteId },
        {
          action: "registration.update",
          entityType: "registration",
          entityId: String(before.id),
          before: { ...pick(before, Object.keys(values) as Array<keyof typeof values>), org_id: before.org_id },
          after: { ...values, org_id: input.siteId },
        },
      );
      return { ok: true as const, created: false };
    }
    const reg = await trx
      .insertInto("registration")
      .values({
        ...values,
        sitting_id: sittingId,
        org_id: input.siteId,
        account_id: ctx.accountId,
        channel: "online",
        registry_candidate: kind === "registry",
        hold_until: new Date(now.getTime() + holdMinutes() * 60_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // PHO-6: a photo stored earlier for this ID at this site comes back with the registration.
    const photo = await trx
      .selectFrom("photo")
      .select("id")
      .where("sitting_id", "=", sittingId)
      .where("org_id", "=", input.siteId)
      .where("id_number", "=", v.id_number)
      .executeTakeFirst();
    if (photo) await trx.updateTable("registration").set({ photo_id: photo.id }).where("id", "=", reg.id).execute();
    await clearDraft(trx, ctx);
    await recordAudit(
      trx,
      { ...ctx.actor, orgId: input.siteId },
      {
        action: "registration.create",
        entityType: "registration",
        entityId: String(reg.id),
        after: { ...values, org_id: input.siteId },
      },
    );
    return { ok: true as const, created: true };
  });
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}
