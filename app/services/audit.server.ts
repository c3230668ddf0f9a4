import type { Kysely, Transaction } from "kysely";
import type { AuditAction, AuditEntityType } from "~/domain/audit";
import type { DB } from "~db/schema";
import { diffFields, maskAuditChanges, maskEntityId } from "~/domain/audit";

export interface Actor {
  accountId: string | null;
  name: string;
  orgId: number | null;
  sittingId: number | null;
  ip: string | null;
}

export interface AuditInput {
  action: AuditAction;
  entityType: AuditEntityType;
  /** The row id of the entity (never an ID number: the writer masks one anyway). */
  entityId: string | number;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The organisation the change is about, when it is not the actor's own (for scoped search). */
  orgId?: number | null;
}

/** every mutation records one entry, in the same transaction as the change itself. */
export async function recordAudit(trx: Transaction<DB> | Kysely<DB>, actor: Actor, input: AuditInput) {
  await recordAudits(trx, actor, [input]);
}

/** X-1 for bulk actions: one entry per changed record, written in one statement. */
export async function recordAudits(trx: Transaction<DB> | Kysely<DB>, actor: Actor, inputs: readonly AuditInput[]) {
  for (let i = 0; i < inputs.length; i += 500)
    await trx
      .insertInto("audit_log")
      .values(auditRows(actor, inputs.slice(i, i + 500)))
      .execute();
}

/** The audit_log rows of `inputs`, for a caller that writes them within a statement of its own. */
export function auditRows(actor: Actor, inputs: readonly AuditInput[]) {
  return inputs.map((input) => ({
    account_id: actor.accountId,
    actor_name: actor.name,
    org_id: input.orgId ?? actor.orgId,
    sitting_id: actor.sittingId,
    action: input.action,
    entity_type: input.entityType,
    // masked here, once, so that no caller can forget.
    entity_id: maskEntityId(input.entityType, String(input.entityId)),
    changes: JSON.stringify(maskAuditChanges(input.entityType, diffFields(input.before, input.after))),
    ip: actor.ip,
  }));
}
