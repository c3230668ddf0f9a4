import ExcelJS from "exceljs";
import type { Transaction } from "kysely";
import { getDb } from "~db/client";
import type { DB } from "~db/schema";
import { AppError } from "~/domain/errors";
import { idLastFour } from "~/domain/id-number";
import { oneTimePasswordExpiry } from "~/domain/verification";
import { formatDateTime, translator, type Locale } from "~/i18n";
import type { AdminContext } from "~/utils/auth.server";
import { getEnv } from "~/utils/env.server";
import {
  deleteFileBytes,
  findStoredFile,
  openStoredFile,
  recordStoredFiles,
  writeFileBytes,
  type WrittenFile,
} from "~/utils/file-store.server";
import { XLSX_TYPE } from "~/imports/start-import.server";
import { recordAudit } from "./audit.server";

/** ORG-9: the credentials sheet of a group import: written once, listed for the import page, downloadable once by a site administrator. */

/** One row of the credentials sheet (ORG-9). */
export interface Credential {
  row: number;
  name: string;
  email: string;
  idNumber: string;
  /** ORG-9/GRP-4: a new account or a taken-over one gets a one-time password; a proven one keeps its own. */
  kind: "new" | "takeover" | "existing";
  password: string;
  hash: string;
}

/**
 * ORG-9: the sheet's bytes, written while the import's transaction is still writing its rows (the
 * database works then and node would wait), but recorded only by `recordCredentialSheet` inside that
 * transaction; if it rolls back, the caller deletes the bytes (`deleteFileBytes`). The file is
 * recorded without an organisation, so /files/:id never serves it: only the credentials route
 * does, once.
 */
export function writeCredentialSheet(
  rows: Credential[],
  meta: { locale: Locale; sittingId: number; createdBy: string | null; createdAt: Date },
): Promise<WrittenFile> {
  const t = translator(meta.locale);
  return writeFileBytes(
    {
      kind: "credentials",
      // Named once the sheet has its number (recordCredentialSheet).
      name: "",
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
      for (const [i, r] of rows.entries()) {
        // The import's writes wait on this thread: let their answers in now and then.
        if (i > 0 && i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
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
}

/** The sheet's row and its file's, in the import's transaction; answers the sheet's number. */
export async function recordCredentialSheet(
  trx: Transaction<DB>,
  file: WrittenFile,
  sheet: { locale: Locale; sittingId: number; siteId: number; accounts: number; createdBy: string | null },
): Promise<number> {
  const { id } = await trx
    .insertInto("credential_sheet")
    .values({
      sitting_id: sheet.sittingId,
      org_id: sheet.siteId,
      file_id: null,
      accounts: sheet.accounts,
      created_by: sheet.createdBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const name = `${translator(sheet.locale)("group.cred.file_name")}-${id}.xlsx`;
  await recordStoredFiles(trx, [{ ...file, meta: { ...file.meta, name } }]);
  await trx.updateTable("credential_sheet").set({ file_id: file.id }).where("id", "=", id).execute();
  return id;
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
