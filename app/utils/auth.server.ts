import { redirect } from "@remix-run/node";
import { getDb } from "~db/client";
import { findMembership } from "~db/queries/accounts";
import { findOrgSitting, getOrgPath } from "~db/queries/orgs";
import { findSittingById, getCurrentSitting } from "~db/queries/sittings";
import type { MemberRole, Org, Sitting } from "~db/schema";
import { AppError } from "~/domain/errors";
import { isLocale, type Locale } from "~/i18n";
import { readSession, readSessionWith, type SessionCompanion } from "./session.server";
import { countOpenInvitations } from "~db/queries/invitations";
import type { Actor } from "~/services/audit.server";

export function clientIp(request: Request): string | null {
  // server.ts overwrites this header with the socket's address, so a client cannot forge it.
  return request.headers.get("x-kaowu-client-ip");
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const to = url.pathname + url.search;
  return redirect(`/login?redirectTo=${encodeURIComponent(to)}`);
}

export async function getAccount(request: Request) {
  return readSession(request);
}

export async function requireAccount(request: Request, opts: { allowPasswordChange?: boolean } = {}) {
  const s = await readSession(request);
  if (!s) throw loginRedirect(request);
  // ORG-9: a one-time password must be replaced before anything else.
  if (s.user.must_change_password && !opts.allowPasswordChange) throw redirect("/change-password");
  return s;
}

export interface AdminContext {
  accountId: string;
  sessionId: string;
  name: string;
  locale: Locale;
  role: MemberRole;
  org: Org;
  /** Root first, own organisation last. */
  orgPath: Org[];
  currentSitting: Sitting;
  /** The sitting being viewed (ORG-7: may be a past one, read-only). */
  sitting: Sitting;
  ip: string | null;
  actor: Actor;
}

const adminPerRequest = new WeakMap<Request, Promise<AdminContext>>();

/** ORG-1, ORG-4: an administrator or finance user of an organisation enabled in the current sitting. */
export function requireAdmin(request: Request): Promise<AdminContext> {
  let p = adminPerRequest.get(request);
  if (!p) {
    p = loadAdmin(request);
    adminPerRequest.set(request, p);
  }
  return p;
}

async function loadAdmin(request: Request): Promise<AdminContext> {
  const s = await requireAccount(request);
  if (s.user.role !== "admin") throw redirect("/candidate");
  const db = getDb();
  const current = s.session.current_sitting ?? (await getCurrentSitting(db));
  const membership = await findMembership(db, s.user.id, current.id);
  if (!membership) {
    // ORG-3: an administrator account bound nowhere may have been invited: show it what waits.
    if ((await countOpenInvitations(getDb(), s.user.id)) > 0) throw redirect("/invitations");
    throw new AppError("auth.no_org", {}, 403);
  }
  const state = await findOrgSitting(db, membership.org_id, current.id);
  if (!state || !state.enabled) throw new AppError("auth.org_disabled", {}, 403);
  const orgPath = await getOrgPath(db, membership.org_id);
  let sitting = current;
  if (s.session.sitting_id && s.session.sitting_id !== current.id) {
    sitting = (await findSittingById(db, s.session.sitting_id)) ?? current;
  }
  const ip = clientIp(request);
  const org = orgPath[orgPath.length - 1];
  return {
    accountId: s.user.id,
    sessionId: s.session.id,
    name: membership.name || s.user.name,
    locale: isLocale(s.user.locale) ? s.user.locale : "zh-CN",
    role: membership.role,
    org,
    orgPath,
    currentSitting: current,
    sitting,
    ip,
    actor: { accountId: s.user.id, name: membership.name || s.user.name, orgId: org.id, sittingId: sitting.id, ip },
  };
}

export interface CandidateContext {
  accountId: string;
  name: string;
  email: string | null;
  mobile: string | null;
  locale: Locale;
  /** ORG-8: candidates work in the current sitting only. */
  sitting: Sitting;
  actor: Actor;
}

/** ORG-3/ORG-8: a candidate account (administrators hold separate accounts), in the current sitting. */
/** `requireCandidate`, with `companion`'s read made in the session's own statement (decision 0061). */
export async function requireCandidateWith(request: Request, companion: SessionCompanion): Promise<CandidateContext> {
  await readSessionWith(request, companion);
  return requireCandidate(request);
}

export async function requireCandidate(request: Request): Promise<CandidateContext> {
  const s = await requireAccount(request);
  if (s.user.role !== "candidate") throw redirect("/admin");
  const sitting = s.session.current_sitting ?? (await getCurrentSitting(getDb()));
  const ip = clientIp(request);
  return {
    accountId: s.user.id,
    name: s.user.name,
    email: s.user.email,
    mobile: s.user.mobile,
    locale: isLocale(s.user.locale) ? s.user.locale : "zh-CN",
    sitting,
    actor: { accountId: s.user.id, name: s.user.name, orgId: null, sittingId: sitting.id, ip },
  };
}
