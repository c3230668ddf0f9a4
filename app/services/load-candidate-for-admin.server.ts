import { getDb } from "~db/client";
import { listPayments } from "~db/queries/registrations";
import { listManagedEntries } from "~db/queries/candidate-search";
import { maskEmail, maskMobile } from "~/domain/account-lookup";
import { AppError } from "~/domain/errors";
import { cancellationRefusal } from "~/domain/candidate-management";
import { isSittingWritable } from "~/domain/sitting";
import { isRowId } from "~/domain/row-id";
import type { AdminContext } from "~/utils/auth.server";
import { canChange, getWindowView, isSite, requireOrgInScope } from "~/utils/permissions.server";
import { loadRegistrationView } from "./load-registration.server";
import { reconcileRegistrationPayments } from "./reconcile-payments.server";

/** The registration if it belongs to the admin's scope and viewed sitting (ORG-2); otherwise 403/404. */
export async function requireRegistrationInScope(ctx: AdminContext, registrationId: number) {
  // A hand-typed URL (/admin/candidates/abc) is "not found", not a database error.
  if (!isRowId(registrationId)) throw new AppError("mgt.reg_not_found", {}, 404);
  const reg = await getDb().selectFrom("registration").selectAll().where("id", "=", registrationId).executeTakeFirst();
  if (!reg) throw new AppError("mgt.reg_not_found", {}, 404);
  await requireOrgInScope(ctx, reg.org_id);
  if (reg.sitting_id !== ctx.sitting.id) throw new AppError("mgt.reg_not_found", {}, 404);
  return reg;
}

/**
 * MGT-1: the candidate's own page as the site sees it (no window limit for looking), with the
 * account (masked, X-4), the payments and what the admin may do now.
 */
export async function loadCandidateForAdmin(ctx: AdminContext, registrationId: number, now = new Date()) {
  const db = getDb();
  const reg = await requireRegistrationInScope(ctx, registrationId);
  const [view, payments, managed, account, window] = await Promise.all([
    loadRegistrationView(db, ctx.sitting.id, reg, now),
    listPayments(db, reg.id),
    listManagedEntries(db, [reg.id]),
    reg.account_id
      ? db
          .selectFrom("account")
          .select(["id", "email", "mobile", "name", "created_at"])
          .where("id", "=", reg.account_id)
          .executeTakeFirst()
      : undefined,
    getWindowView(ctx, "registration", now),
  ]);
  const entries = managed.get(reg.id) ?? [];
  const groupPaid = entries.some((e) => e.group_paid);
  return {
    reg,
    view,
    payments,
    groupPaid,
    cancelRefusal: cancellationRefusal(entries),
    account: account ? { ...account, email: maskEmail(account.email), mobile: maskMobile(account.mobile) } : null,
    window,
    writable: isSite(ctx) && canChange(ctx, window),
    refreshable: isSittingWritable(ctx.sitting),
  };
}

/** The site's "update payment state" on the candidate page: asks the provider about every open order. */
export async function refreshCandidatePayments(ctx: AdminContext, registrationId: number, now = new Date()) {
  const reg = await requireRegistrationInScope(ctx, registrationId);
  return reconcileRegistrationPayments(reg.id, now);
}
