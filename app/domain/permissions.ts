import type { MemberRole } from "~db/schema";
import type { MessageKey } from "~/i18n";

// ORG-11: what each organisation role may do, as capabilities. The one table behind every admin
// loader, action, file download and job result (app/utils/permissions.server.ts asks it).

export const CAPABILITIES = [
  /** The home page (readiness counts), switching the viewed sitting, one's own password. */
  "overview",
  /** The sitting's configuration, read-only: windows, sittings, subjects, fees, capacity, settings, notices. No person in it. */
  "settings",
  /** Registration and payment statistics (counts and sums) and their export. */
  "statistics",
  /** Payments: group payment batches (totals), asking the gateway for a payment's status. */
  "payments",
  /**
   * Anything naming a candidate or student: candidate pages, photos, student records, cancellations,
   * review, group and photo imports, credentials sheets, and the exports and reports made from them.
   */
  "personal_data",
  /** The audit log and its export: who did what to whom. */
  "audit",
  /** Organisations' info and users (staff names, phones, logins) and invitations. */
  "users",
  /** Changing anything that is not finance's own. */
  "manage",
  /** DOC-9: checking candidates in on exam day (their name, photo, room and seat; nothing else of them). */
  "check_in",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const ROLE_CAPABILITIES: Record<MemberRole, readonly Capability[]> = {
  admin: CAPABILITIES,
  // ORG-11: payments, statistics and the configuration they are read against; nothing with personal data.
  finance: ["overview", "settings", "statistics", "payments"],
  // DOC-9: an invigilator of one site checks candidates in, and that is all.
  invigilator: ["overview", "check_in"],
};

/** The roles a member can hold at each level: invigilators belong to a site (DOC-9). */
export const ROLES_AT_SITE = ["admin", "finance", "invigilator"] as const satisfies readonly MemberRole[];
export const ROLES_ABOVE_SITE = ["admin", "finance"] as const satisfies readonly MemberRole[];
export const rolesAt = (level: string): readonly MemberRole[] => (level === "site" ? ROLES_AT_SITE : ROLES_ABOVE_SITE);

export function capabilitiesOf(role: MemberRole): readonly Capability[] {
  return ROLE_CAPABILITIES[role] ?? [];
}

export function hasCapability(role: MemberRole, capability: Capability): boolean {
  return capabilitiesOf(role).includes(capability);
}

export function hasCapabilities(role: MemberRole, capabilities: readonly Capability[]): boolean {
  return capabilities.every((c) => hasCapability(role, c));
}

/**
 * What creating a stored file of each kind took: a file is downloadable by exactly those who could
 * have created it (and whose scope covers it). A kind not listed is never downloadable through
 * `/files/:id` (credentials sheets have their own once-only route).
 */
const FILE_KIND_CAPABILITIES: Record<string, readonly Capability[]> = {
  upload: ["personal_data", "manage"],
  "import-errors": ["personal_data", "manage"],
  photo: ["personal_data"],
  "candidate-export": ["personal_data"],
  "cancellation-export": ["personal_data"],
  "audit-export": ["audit"],
  // ADM-2: rooms and counts, no person in it.
  "room-statistics": ["settings"],
  // DOC-1/DOC-2: names, ID numbers and photos of every candidate.
  "admission-cards": ["personal_data"],
  // DOC-5: every candidate's photo.
  "photo-package": ["personal_data"],
  // DOC-6: names, ID numbers and birth dates of every candidate.
  "cbt-data": ["personal_data"],
  // DOC-7: names, admission numbers and (sign-in sheets) photos of every candidate.
  "sign-in-sheets": ["personal_data"],
  "seating-charts": ["personal_data"],
  // DOC-8: a site's CBT packages and exception files (the CBT system's data about its candidates).
  "cbt-upload": ["personal_data", "manage"],
  // SCO-3: every candidate's score with name and ID number.
  "score-files": ["personal_data"],
  // DOC-7: names, masked IDs and certificate numbers of those who passed.
  "certificate-receipts": ["personal_data"],
};

export function fileCapabilities(kind: string): readonly Capability[] | null {
  return Object.hasOwn(FILE_KIND_CAPABILITIES, kind) ? FILE_KIND_CAPABILITIES[kind] : null;
}

/**
 * What starting a job of each type takes; the same is needed to read its status and result
 * (`/jobs/:id`) and is checked again when the job runs. `writes`: the job changes data, so it runs
 * only in the sitting that is current (ORG-7).
 */
const JOB_TYPE_RULES: Record<string, { capabilities: readonly Capability[]; writes: boolean }> = {
  "audit-export": { capabilities: ["audit"], writes: false },
  "candidate-export": { capabilities: ["personal_data"], writes: false },
  "cancellation-export": { capabilities: ["personal_data"], writes: false },
  "student-record-import": { capabilities: ["personal_data", "manage"], writes: true },
  "group-registration-import": { capabilities: ["personal_data", "manage"], writes: true },
  "photo-import": { capabilities: ["personal_data", "manage"], writes: true },
  "photo-check": { capabilities: ["personal_data", "manage"], writes: true },
  // Rooms hold no personal data: changing a site's configuration is enough (ROOM-1).
  "room-import": { capabilities: ["settings", "manage"], writes: true },
  // Its result names entries that could not be placed.
  allocation: { capabilities: ["personal_data", "manage"], writes: true },
  // A document made from the data; generating one changes nothing else (a past sitting's too).
  // Room statistics and admission cards (names, ID numbers, photos): only an administrator makes them.
  "generate-file": { capabilities: ["settings", "manage", "personal_data"], writes: false },
  // DOC-3: every candidate's own card (names, ID numbers, photos).
  "candidate-cards": { capabilities: ["personal_data", "manage"], writes: true },
  // DOC-8: a mock-exam package's report.
  "cbt-mock-report": { capabilities: ["personal_data", "manage"], writes: true },
  // VIO-1: names candidates by admission number.
  "violation-import": { capabilities: ["personal_data", "manage"], writes: true },
  // SCO-1: scores, and (the identity check off) names and ID numbers.
  "score-import": { capabilities: ["personal_data", "manage"], writes: true },
  // SCO-2: recipients' names, phones and addresses.
  "mailing-import": { capabilities: ["personal_data", "manage"], writes: true },
  // FIN-2: the gateway's ledger beside our payments (order numbers and amounts, no person).
  reconciliation: { capabilities: ["payments"], writes: false },
};

export function jobRule(type: string): { capabilities: readonly Capability[]; writes: boolean } | null {
  return Object.hasOwn(JOB_TYPE_RULES, type) ? JOB_TYPE_RULES[type] : null;
}

/** A role's printed name: an administrator is named by its level (site administrator …) where it is known. */
export function roleLabel(role: MemberRole, level?: string): MessageKey {
  if (role === "finance") return "role.finance";
  if (role === "invigilator") return "role.invigilator";
  return level ? (`role.admin.${level}` as MessageKey) : "role.admin";
}
