import { sql, type Kysely, type Transaction } from "kysely";
import { getDb } from "~db/client";
import { isUniqueViolation } from "~db/errors";
import type { DB, SettlementAccount } from "~db/schema";
import { AppError } from "~/domain/errors";
import {
  maskAccountNo,
  parseAccountForm,
  type AccountField,
  type AccountFieldErrors,
  type SettlementAccountValue,
} from "~/domain/settlement-accounts";
import type { AdminContext } from "~/utils/auth.server";
import { isSite, requireCapabilityOf, requireWritableSitting } from "~/utils/permissions.server";
import { recordAudit, recordAudits } from "./audit.server";

type Q = Kysely<DB> | Transaction<DB>;

// FIN-1 (manual §四十五): a site's settlement accounts in one sitting. Everyone with "payments" in
// whose scope the site lies reads them (the site's finance staff and administrators, its city,
// province and centre); only the site's own finance staff and administrators change them, in the
// current sitting (ORG-7), and only their own site's rows: another site's id is "not found" (ORG-2).
// The account number is shown whole only on the edit form; lists and the audit log keep its last 4.

const UNIQUE = "settlement_account_no_unique";

/** A settlement account as a list shows it: the account number masked. */
export interface SettlementAccountRow {
  id: number;
  org_id: number;
  bank: string;
  bank_code: string;
  account_name: string;
  account_no: string;
  account_type: SettlementAccount["account_type"];
  remark: string;
  updated_at: Date;
}

/** The form's raw fields (as typed; the domain normalises them). */
export type SettlementAccountInput = Partial<Record<AccountField, string>>;

export type SaveAccountOutcome =
  { ok: true; id: number; account: string; changed: boolean } | { ok: false; fieldErrors: AccountFieldErrors };

/**
 * FIN-1: the settlement accounts of the given sites in a sitting, numbers masked, by site then in
 * the order they were added. The caller passes sites already in the viewer's scope (ORG-2), e.g.
 * resolveSetupSite's site or listSetupSites' ids (the finance home page).
 */
export async function listSettlementAccounts(
  db: Q,
  sittingId: number,
  siteIds: readonly number[],
): Promise<SettlementAccountRow[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .selectFrom("settlement_account")
    .select(["id", "org_id", "bank", "bank_code", "account_name", "account_no", "account_type", "remark", "updated_at"])
    .where("sitting_id", "=", sittingId)
    .where("org_id", "in", [...siteIds])
    .orderBy("org_id")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, account_no: maskAccountNo(r.account_no) }));
}

/**
 * ORG-1/ORG-7/ORG-11: who changes a site's settlement accounts: its own finance staff and
 * administrators (finance's own change, capability "payments"), in the current sitting. Superiors read.
 */
export function requireAccountsWriter(ctx: AdminContext) {
  requireWritableSitting(ctx);
  requireCapabilityOf(ctx, "payments");
  if (!isSite(ctx)) throw new AppError("accounts.site_only", {}, 403);
}

/** What a page may offer: the same checks as requireAccountsWriter. */
export function canChangeAccounts(ctx: AdminContext): boolean {
  try {
    requireAccountsWriter(ctx);
    return true;
  } catch {
    return false;
  }
}

/** ORG-2: one of the acting site's accounts in the viewed sitting, whole; another site's id is not found. */
async function ownAccount(db: Q, ctx: AdminContext, id: number, lock = false) {
  let q = db
    .selectFrom("settlement_account")
    .selectAll()
    .where("id", "=", id)
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError("accounts.not_found", {}, 404);
  return row;
}

/** FIN-1: the edit form's account, its number whole: only for those who may change it (ORG-2, ORG-11). */
export async function getSettlementAccountForEdit(ctx: AdminContext, id: number): Promise<SettlementAccount> {
  requireAccountsWriter(ctx);
  return ownAccount(getDb(), ctx, id);
}

/** what the audit log keeps of an account: everything but the number's first digits. */
function audited(v: SettlementAccountValue) {
  return {
    bank: v.bank,
    bank_code: v.bank_code,
    account_name: v.account_name,
    account_no: maskAccountNo(v.account_no),
    account_type: v.account_type,
    remark: v.remark,
  };
}

const duplicate = (accountNo: string): SaveAccountOutcome => ({
  ok: false,
  fieldErrors: { account_no: { key: "accounts.err.duplicate", params: { account: maskAccountNo(accountNo) } } },
});

async function numberTaken(db: Q, ctx: AdminContext, accountNo: string, exceptId?: number) {
  let q = db
    .selectFrom("settlement_account")
    .select("id")
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", ctx.org.id)
    .where("account_no", "=", accountNo);
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** FIN-1: add an account to the acting site in the current sitting; a number already there is refused. */
export async function addSettlementAccount(
  ctx: AdminContext,
  input: SettlementAccountInput,
): Promise<SaveAccountOutcome> {
  requireAccountsWriter(ctx);
  const parsed = parseAccountForm(input);
  if (!parsed.value) return { ok: false, fieldErrors: parsed.errors };
  const v = parsed.value;
  try {
    return await getDb()
      .transaction()
      .execute(async (trx) => {
        if (await numberTaken(trx, ctx, v.account_no)) return duplicate(v.account_no);
        const row = await trx
          .insertInto("settlement_account")
          .values({ ...v, sitting_id: ctx.sitting.id, org_id: ctx.org.id, created_by: ctx.accountId })
          .returning("id")
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx.actor, {
          action: "settlement_account.add",
          entityType: "settlement_account",
          entityId: row.id,
          after: audited(v),
        });
        return { ok: true as const, id: row.id, account: maskAccountNo(v.account_no), changed: true };
      });
  } catch (e) {
    // Two adds of the same number at once: the unique constraint decides, with the same message.
    if (isUniqueViolation(e, UNIQUE)) return duplicate(v.account_no);
    throw e;
  }
}

/** FIN-1: change one of the acting site's accounts (ORG-2: another site's id is not found). */
export async function updateSettlementAccount(
  ctx: AdminContext,
  id: number,
  input: SettlementAccountInput,
): Promise<SaveAccountOutcome> {
  requireAccountsWriter(ctx);
  const parsed = parseAccountForm(input);
  // The scope first: a forged id is refused as such, whatever the form holds.
  if (!parsed.value) {
    await ownAccount(getDb(), ctx, id);
    return { ok: false, fieldErrors: parsed.errors };
  }
  const v = parsed.value;
  try {
    return await getDb()
      .transaction()
      .execute(async (trx) => {
        const old = await ownAccount(trx, ctx, id, true);
        const was: SettlementAccountValue = {
          bank: old.bank,
          bank_code: old.bank_code,
          account_name: old.account_name,
          account_no: old.account_no,
          account_type: old.account_type,
          remark: old.remark,
        };
        const changed = (Object.keys(v) as (keyof SettlementAccountValue)[]).some((k) => v[k] !== was[k]);
        if (!changed) return { ok: true as const, id, account: maskAccountNo(v.account_no), changed: false };
        if (v.account_no !== old.account_no && (await numberTaken(trx, ctx, v.account_no, id)))
          return duplicate(v.account_no);
        await trx
          .updateTable("settlement_account")
          .set({ ...v, updated_at: sql`now()` })
          .where("id", "=", id)
          .execute();
        const before: Record<string, unknown> = audited(was);
        const after: Record<string, unknown> = audited(v);
        // A new number with the same last 4 digits masks alike: say that it changed all the same.
        if (v.account_no !== old.account_no && before.account_no === after.account_no) {
          before.account_no_changed = false;
          after.account_no_changed = true;
        }
        await recordAudit(trx, ctx.actor, {
          action: "settlement_account.update",
          entityType: "settlement_account",
          entityId: id,
          before,
          after,
        });
        return { ok: true as const, id, account: maskAccountNo(v.account_no), changed: true };
      });
  } catch (e) {
    if (isUniqueViolation(e, UNIQUE)) return duplicate(v.account_no);
    throw e;
  }
}

/** FIN-1: delete one of the acting site's accounts; returns its masked number. */
export async function deleteSettlementAccount(ctx: AdminContext, id: number): Promise<string> {
  requireAccountsWriter(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const old = await ownAccount(trx, ctx, id, true);
      await trx.deleteFrom("settlement_account").where("id", "=", id).execute();
      await recordAudit(trx, ctx.actor, {
        action: "settlement_account.delete",
        entityType: "settlement_account",
        entityId: id,
        before: audited(old),
      });
      return maskAccountNo(old.account_no);
    });
}

export interface CopyOutcome {
  /** The sitting copied from: the most recent earlier one with accounts of this site; null if none. */
  from: { code: string; name: string } | null;
  copied: number;
  /** Accounts of that sitting whose number this sitting already has. */
  skipped: number;
}

/**
 * FIN-1 (复制上一考次, manual's 获取上个考次数据): copy the acting site's accounts of the most recent
 * sitting before the current one that has any, skipping numbers already here. Running it twice
 * copies nothing the second time; two at once cannot copy a number twice (the unique constraint).
 */
export async function copyFromPreviousSitting(ctx: AdminContext): Promise<CopyOutcome> {
  requireAccountsWriter(ctx);
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const source = await trx
        .selectFrom("settlement_account as a")
        .innerJoin("sitting as s", "s.id", "a.sitting_id")
        .select(["s.id", "s.code", "s.name"])
        .where("a.org_id", "=", ctx.org.id)
        .where((w) =>
          w.or([
            w("s.starts_on", "<", ctx.sitting.starts_on),
            w.and([w("s.starts_on", "=", ctx.sitting.starts_on), w("s.id", "<", ctx.sitting.id)]),
          ]),
        )
        .orderBy("s.starts_on", "desc")
        .orderBy("s.id", "desc")
        .limit(1)
        .executeTakeFirst();
      if (!source) return { from: null, copied: 0, skipped: 0 };
      const rows = await trx
        .selectFrom("settlement_account")
        .select(["bank", "bank_code", "account_name", "account_no", "account_type", "remark"])
        .where("sitting_id", "=", source.id)
        .where("org_id", "=", ctx.org.id)
        .orderBy("id")
        .execute();
      const inserted = await trx
        .insertInto("settlement_account")
        .values(rows.map((r) => ({ ...r, sitting_id: ctx.sitting.id, org_id: ctx.org.id, created_by: ctx.accountId })))
        .onConflict((oc) => oc.columns(["sitting_id", "org_id", "account_no"]).doNothing())
        .returning(["id", "bank", "bank_code", "account_name", "account_no", "account_type", "remark"])
        .execute();
      await recordAudits(
        trx,
        ctx.actor,
        inserted.map((r) => ({
          action: "settlement_account.copy" as const,
          entityType: "settlement_account" as const,
          entityId: r.id,
          after: { ...audited(r), copied_from_sitting: source.code },
        })),
      );
      return {
        from: { code: source.code, name: source.name },
        copied: inserted.length,
        skipped: rows.length - inserted.length,
      };
    });
}
