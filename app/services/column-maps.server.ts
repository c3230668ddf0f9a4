import type { Kysely, Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { checkColumnMap, COLUMN_MAP_KINDS, type ColumnMapKind } from "~/domain/column-maps";
import { AppError } from "~/domain/errors";
import type { AdminContext } from "~/utils/auth.server";
import { recordAudit } from "./audit.server";

type Q = Kysely<DB> | Transaction<DB>;

/** SCO-1/SCO-2: the deployment's own header names of an import's fields (empty lists where none are set). */
export async function loadColumnMap(db: Q, kind: ColumnMapKind): Promise<Record<string, string[]>> {
  const rows = await db.selectFrom("column_map").select(["field", "names"]).where("import_kind", "=", kind).execute();
  const own = new Map(rows.map((r) => [r.field, r.names]));
  return Object.fromEntries(Object.keys(COLUMN_MAP_KINDS[kind]).map((f) => [f, own.get(f) ?? []]));
}

/** Sets the whole map at once (the centre's, for the deployment), refused whole with every problem; audited. */
export async function saveColumnMap(ctx: AdminContext, kind: ColumnMapKind, map: Record<string, string[]>) {
  if (ctx.org.level !== "centre") throw new AppError("columns.centre_only", {}, 403);
  const problems = checkColumnMap(kind, map);
  if (problems.length) throw new AppError(problems[0].key, { ...problems[0].params, field: problems[0].field });
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const before = await loadColumnMap(trx, kind);
      for (const [field, names] of Object.entries(map))
        await trx
          .insertInto("column_map")
          .values({ import_kind: kind, field, names: JSON.stringify(names), updated_by_name: ctx.name })
          .onConflict((oc) =>
            oc.columns(["import_kind", "field"]).doUpdateSet({
              names: JSON.stringify(names),
              updated_by_name: ctx.name,
              updated_at: new Date(),
            }),
          )
          .execute();
      await recordAudit(trx, ctx.actor, {
        action: "score.columns",
        entityType: "score",
        entityId: kind,
        before,
        after: map,
      });
    });
}
