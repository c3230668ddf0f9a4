import type { Capability } from "~/domain/permissions";
import type { MessageKey } from "~/i18n";

/**
 * The administrator's menu, grouped as the manual's menus (§十 – §二十九), in one place: the sidebar
 * draws it, and a hint that names a page takes its label from here (issue 15 items 2 and 5), so a
 * hint can never name a menu item that does not exist. ORG-11/ORG-1: an item is shown only to those
 * who can use it (the same capabilities the page's loader asks for, and the site-only pages only to
 * sites).
 */

export type OrgLevel = "centre" | "province" | "city" | "site";
export type NavPhase = "pre_registration" | "registration" | "allocation";

export interface NavViewer {
  level: OrgLevel;
  can: Record<Capability, boolean>;
}

export interface NavItem {
  to: string;
  label: MessageKey;
  /** Active only on this exact path (a list whose sub-pages are items of their own). */
  end?: boolean;
  show: (v: NavViewer) => boolean;
}

export interface NavGroup {
  id:
    | "basic"
    | NavPhase
    | "registry"
    | "cbt"
    | "reports"
    | "exam_day"
    | "violations"
    | "scores"
    | "finance"
    | "statistics";
  label: MessageKey;
  /** The phase of the sitting this group's work belongs to: open by default while it runs. */
  phase?: NavPhase;
  items: NavItem[];
}

const site = (v: NavViewer) => v.level === "site";
const notCentre = (v: NavViewer) => v.level !== "centre";

export const NAVIGATION: readonly NavGroup[] = [
  {
    id: "basic",
    label: "nav.group.basic",
    items: [
      { to: "/admin/orgs", label: "nav.orgs", show: (v) => v.can.users },
      { to: "/admin/windows", label: "nav.windows", show: (v) => v.can.settings },
      { to: "/admin/sittings", label: "nav.sittings", show: (v) => v.can.settings },
      { to: "/admin/audit", label: "nav.audit", show: (v) => v.can.audit },
    ],
  },
  {
    id: "pre_registration",
    label: "nav.group.pre_registration",
    phase: "pre_registration",
    items: [
      { to: "/admin/setup/settings", label: "setup.tab.settings", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/setup/subjects", label: "setup.tab.subjects", show: (v) => v.can.settings },
      { to: "/admin/setup/fees", label: "setup.tab.fees", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/setup/capacity", label: "setup.tab.capacity", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/setup/eligibility", label: "setup.tab.eligibility", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/notice", label: "notice.title", show: (v) => notCentre(v) && v.can.settings },
    ],
  },
  {
    id: "registry",
    label: "nav.group.registry",
    phase: "registration",
    items: [
      { to: "/admin/records/import", label: "records.import_title", show: (v) => site(v) && v.can.personal_data },
      { to: "/admin/records", label: "records.title", end: true, show: (v) => site(v) && v.can.personal_data },
    ],
  },
  {
    id: "registration",
    label: "nav.group.registration",
    phase: "registration",
    items: [
      // The season's most used pages first (issue 15: they were below the fold at 768 px).
      { to: "/admin/candidates", label: "mgt.title", show: (v) => v.can.personal_data },
      { to: "/admin/review", label: "mgt.review_title", show: (v) => site(v) && v.can.personal_data },
      { to: "/admin/stats", label: "nav.stats", show: (v) => v.can.statistics },
      { to: "/admin/group/import", label: "nav.group_import", show: (v) => site(v) && v.can.personal_data },
      { to: "/admin/photos/import", label: "nav.photo_import", show: (v) => site(v) && v.can.personal_data },
      { to: "/admin/photos/check", label: "nav.photo_check", show: (v) => site(v) && v.can.personal_data },
      { to: "/admin/group/payment", label: "nav.group_payment", show: (v) => site(v) && v.can.payments },
      { to: "/admin/cancellations", label: "mgt.cancellations", show: (v) => v.can.personal_data },
    ],
  },
  {
    id: "allocation",
    label: "nav.group.allocation",
    phase: "allocation",
    items: [
      // Rooms hold no personal data: superiors and finance read them like the other settings.
      { to: "/admin/rooms", label: "rooms.title", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/allocation", label: "allocation.title", show: (v) => notCentre(v) && v.can.personal_data },
      { to: "/admin/admission-numbers", label: "admission.title", show: (v) => notCentre(v) && v.can.settings },
      { to: "/admin/room-statistics", label: "roomstats.title", show: (v) => notCentre(v) && v.can.settings },
      // DOC-1/DOC-2: names, ID numbers and photos.
      { to: "/admin/admission-cards", label: "cards.title", show: (v) => notCentre(v) && v.can.personal_data },
      { to: "/admin/candidate-cards", label: "ccards.title", show: (v) => notCentre(v) && v.can.personal_data },
    ],
  },
  {
    // Manual 《机考数据管理》 (§四十六 – §四十九).
    id: "cbt",
    label: "nav.group.cbt",
    phase: "allocation",
    items: [
      // DOC-5: every candidate's photo.
      { to: "/admin/photo-package", label: "photopkg.title", show: (v) => notCentre(v) && v.can.personal_data },
      { to: "/admin/cbt-data", label: "cbt.title", show: (v) => notCentre(v) && v.can.personal_data },
      // DOC-8: a site uploads; its superiors follow every site's status (the centre included).
      { to: "/admin/cbt/reports", label: "cbtup.report_title", show: (v) => v.can.manage },
      { to: "/admin/cbt/exceptions", label: "cbtup.exception_title", show: (v) => v.can.manage },
    ],
  },
  {
    // Manual 《报表管理》 (§五十 – §五十二).
    id: "reports",
    label: "nav.group.reports",
    phase: "allocation",
    items: [
      // DOC-7: names, admission numbers and photos.
      {
        to: "/admin/room-sheets/sign-in",
        label: "sheets.sign_in_page",
        show: (v) => notCentre(v) && v.can.personal_data,
      },
      {
        to: "/admin/room-sheets/seating",
        label: "sheets.chart_page",
        show: (v) => notCentre(v) && v.can.personal_data,
      },
    ],
  },
  {
    // Exam day (DOC-9): the site's invigilators check candidates in.
    id: "exam_day",
    label: "nav.group.exam_day",
    phase: "allocation",
    items: [
      {
        to: "/admin/check-in",
        label: "checkin.title",
        end: true,
        show: (v) => site(v) && v.can.check_in,
      },
    ],
  },
  {
    // Manual 《违规管理》 (§三十八 – §三十九).
    id: "violations",
    label: "nav.group.violations",
    phase: "allocation",
    items: [
      {
        to: "/admin/violations",
        label: "violations.title",
        end: true,
        show: (v) => notCentre(v) && v.can.personal_data,
      },
      // VIO-2: counts only, for the whole scope.
      { to: "/admin/violations/stats", label: "violations.stats_title", show: (v) => v.can.statistics },
    ],
  },
  {
    // Manual 《成绩管理》 (§四十 – §四十四).
    id: "scores",
    label: "nav.group.scores",
    phase: "allocation",
    items: [
      // SCO-1: a site imports its own file.
      {
        to: "/admin/scores/import",
        label: "scores.import_title",
        show: (v) => site(v) && v.can.manage && v.can.personal_data,
      },
      {
        to: "/admin/scores/mailing",
        label: "mailing.title",
        show: (v) => site(v) && v.can.manage && v.can.personal_data,
      },
      { to: "/admin/scores", label: "scores.title", end: true, show: (v) => notCentre(v) && v.can.personal_data },
      {
        to: "/admin/scores/download",
        label: "scores.download_title",
        show: (v) => notCentre(v) && v.can.personal_data,
      },
      { to: "/admin/scores/receipts", label: "receipts.title", show: (v) => notCentre(v) && v.can.personal_data },
      // Decision 0042: the deployment's header names, set by the centre.
      { to: "/admin/scores/columns", label: "columns.title", show: (v) => v.level === "centre" && v.can.settings },
      // SCO-3: counts only, for the whole scope.
      { to: "/admin/scores/stats", label: "scores.stats_title", show: (v) => v.can.statistics },
    ],
  },
  {
    // Manual 《分账管理》 (§四十五) and FIN-2: finance staff's own pages (ORG-11).
    id: "finance",
    label: "nav.group.finance",
    items: [
      { to: "/admin/finance/accounts", label: "accounts.title", show: (v) => notCentre(v) && v.can.payments },
      { to: "/admin/finance/payments", label: "finance.payments_title", show: (v) => v.can.payments },
      { to: "/admin/finance/refunds", label: "finance.refunds_title", show: (v) => notCentre(v) && v.can.payments },
    ],
  },
  {
    // Manual 《数据统计》 (§五十三): counts only, within the viewer's scope.
    id: "statistics",
    label: "nav.group.statistics",
    items: [{ to: "/admin/statistics", label: "pivot.title", show: (v) => v.can.statistics }],
  },
];

/** The groups and items this viewer can use; a group with none is left out. */
export function navigationFor(v: NavViewer): NavGroup[] {
  return NAVIGATION.map((g) => ({ ...g, items: g.items.filter((i) => i.show(v)) })).filter((g) => g.items.length);
}

/** Whether a group starts open: it holds the page being shown, or its phase is running (all open outside both). */
export function groupStartsOpen(g: NavGroup, pathname: string, phase: NavPhase | null): boolean {
  if (g.items.some((i) => pathname === i.to || pathname.startsWith(`${i.to}/`))) return true;
  return phase === null || g.phase === phase;
}

/** The label of the menu item at `to`, for hints that send the user there ("see 《考生管理》"). */
export function navLabel(to: string): MessageKey {
  for (const g of NAVIGATION) for (const i of g.items) if (i.to === to) return i.label;
  throw new Error(`no menu item at ${to}`);
}
