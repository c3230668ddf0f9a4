import { randomBytes, randomUUID } from "node:crypto";
import { getDb } from "~db/client";
import { findAccountByLogin, normaliseLogin } from "~db/queries/accounts";
import type { MemberRole } from "~db/schema";
import { AppError } from "~/domain/errors";
import { rolesAt } from "~/domain/permissions";
import { makeOneTimePassword } from "~/domain/password";
import { oneTimePasswordExpiry } from "~/domain/verification";
import type { AdminContext } from "~/utils/auth.server";
import { oneTimePasswordHasher } from "~/utils/password.server";
import { recordAudit } from "./audit.server";
import { sendInvitation } from "./send-invitation.server";
import { requireOrgInScope } from "~/utils/permissions.server";

// ORG-4, ORG-11: an organisation's users are administrators or finance staff. Each operation checks
// the organisation is in the actor's scope (ORG-2) and refuses to touch the actor's own membership.

/**
 * ORG-9: a new address gets a new administrator account with a one-time password, returned once and
 * never stored in clear. ORG-2/ORG-3: an existing account is never bound here; it is invited, and
 * joins only when its owner accepts (invitations.server.ts). The caller learns only "invited".
 */
export async function addUser(
  ctx: AdminContext,
  orgId: number,
  input: { login: string; name: string; phone: string; role: MemberRole },
) {
  const path = await requireOrgInScope(ctx, orgId);
  // DOC-9: an invigilator belongs to a site (a forged role elsewhere is refused).
  if (!rolesAt(path[path.length - 1].level).includes(input.role)) throw new AppError("user.role_level");
  const db = getDb();
  const n = normaliseLogin(input.login);
  if (n.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(n.email)) throw new AppError("user.email_format");
  if (n.mobile && !/^1\d{10}$/.test(n.mobile)) throw new AppError("user.login_format");
  const login = (n.email ?? n.mobile)!;
  // The one-time password's key is read before the transaction (it may be made in the database the first time).
  const hashOneTimePassword = await oneTimePasswordHasher();
  return db.transaction().execute(async (trx) => {
    const existing = await findAccountByLogin(trx, input.login);
    if (existing) {
      await sendInvitation(trx, ctx, orgId, existing, { ...input, login });
      return { invited: true as const, oneTimePassword: null };
    }
    const oneTimePassword = makeOneTimePassword((k) => randomBytes(k));
    const id = randomUUID();
    await trx
      .insertInto("account")
      .values({
        id,
        email: n.email ?? null,
        mobile: n.mobile ?? null,
        name: input.name,
        password_hash: hashOneTimePassword(oneTimePassword),
        must_change_password: true,
        role: "admin",
        // ORG-9 (decision 0019): made and vouched for by an administrator; the one-time password lasts 14 days.
        site_vouched_at: new Date(),
        otp_expires_at: oneTimePasswordExpiry(new Date()),
      })
      .execute();
    const m = await trx
      .insertInto("membership")
      .values({
        account_id: id,
        org_id: orgId,
        sitting_id: ctx.sitting.id,
        role: input.role,
        name: input.name,
        phone: input.phone,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.actor, {
      action: "user.add",
      entityType: "membership",
      entityId: m.id,
      orgId,
      after: { login, name: input.name, role: input.role, new_account: true },
    });
    return { invited: false as const, oneTimePassword: oneTimePassword as string | null };
  });
}
