import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { getDb } from "~db/client";
import { maskIdNumber } from "~/domain/id-number";
import { translator, type MessageKey } from "~/i18n";
import { cardDownloadStatistics, candidateCardCheck } from "~/services/candidate-cards.server";
import { XLSX_TYPE } from "~/services/registration-statistics.server";
import { guardLoader } from "~/utils/http.server";
import { requireCapability } from "~/utils/permissions.server";
import { resolveSetupSite } from "~/utils/setup-site.server";

/**
 * DOC-3: the check report (every candidate with a number: their card's state, downloads; ID numbers
 * masked, X-4) or the download statistics per subject, as .xlsx; `?site=` as on the page (ORG-2).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "personal_data");
    const { site } = await resolveSetupSite(ctx, request);
    const what = new URL(request.url).searchParams.get("what") === "stats" ? "stats" : "report";
    const t = translator(ctx.locale);
    const db = getDb();
    const wb = new ExcelJS.Workbook();
    let file: string;
    if (what === "report") {
      const check = await candidateCardCheck(db, ctx.sitting.id, site.id);
      const regs = check.states.length
        ? await db
            .selectFrom("registration as g")
            .innerJoin("entry as e", "e.registration_id", "g.id")
            .leftJoin("candidate_card as c", "c.registration_id", "g.id")
            .select(["g.id", "g.name", "g.id_number", "e.admission_no", "c.downloads"])
            .where(
              "g.id",
              "in",
              check.states.map((s) => s.registrationId),
            )
            .where("e.admission_no", "is not", null)
            .orderBy("e.admission_no")
            .execute()
        : [];
      const byReg = new Map<number, { name: string; id: string; nos: string[]; downloads: number }>();
      for (const r of regs) {
        const x = byReg.get(r.id) ?? { name: r.name, id: r.id_number, nos: [], downloads: Number(r.downloads ?? 0) };
        x.nos.push(r.admission_no!);
        byReg.set(r.id, x);
      }
      const ws = wb.addWorksheet(t("ccards.report_sheet"));
      ws.addRow([
        t("ccards.col_admission_no"),
        t("ccards.col_name"),
        t("ccards.col_id"),
        t("ccards.col_state"),
        t("ccards.col_downloads"),
      ]);
      const order = { missing: 0, stale: 1, current: 2 } as const;
      for (const s of [...check.states].sort(
        (a, b) => order[a.state] - order[b.state] || a.registrationId - b.registrationId,
      )) {
        const x = byReg.get(s.registrationId);
        if (!x) continue;
        ws.addRow([
          x.nos.join(" "),
          x.name,
          maskIdNumber(x.id),
          t(`ccards.state.${s.state}` as MessageKey),
          x.downloads,
        ]);
      }
      ws.getColumn(1).numFmt = "@";
      ws.getColumn(1).width = 20;
      file = `${t("ccards.report_file")}-${site.code}.xlsx`;
    } else {
      const stats = await cardDownloadStatistics(db, ctx.sitting.id, site.id);
      const ws = wb.addWorksheet(t("ccards.stats_sheet"));
      ws.addRow([
        t("ccards.col_subject"),
        t("ccards.col_entries"),
        t("ccards.col_downloaded"),
        t("ccards.col_downloads"),
      ]);
      for (const s of stats) ws.addRow([`(${s.code}) ${s.name}`, s.entries, s.downloaded, s.downloads]);
      ws.addRow([
        t("ccards.col_total"),
        stats.reduce((a, s) => a + s.entries, 0),
        stats.reduce((a, s) => a + s.downloaded, 0),
        stats.reduce((a, s) => a + s.downloads, 0),
      ]).font = { bold: true };
      ws.getColumn(1).width = 36;
      file = `${t("ccards.stats_file")}-${site.code}.xlsx`;
    }
    const body = await wb.xlsx.writeBuffer();
    return new Response(new Uint8Array(body as ArrayBuffer), {
      headers: {
        "Content-Type": XLSX_TYPE,
        "Content-Disposition": `attachment; filename="${what}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
