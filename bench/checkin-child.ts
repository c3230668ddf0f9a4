import { printResult, runAsScript } from "./child";

// The seeding child of bench/checkin.ts: DATABASE_URL's scratch database seeded with the demo, 990101
// given n allocated, numbered entries (bench/seed-numbered.ts); prints the sitting code and the numbers.
await runAsScript(import.meta.url, "checkin-child", async ([nArg, photo]) => {
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { seedNumberedSite } = await import("./seed-numbered");
  await boot({ seed: true, runJobs: false });
  const { sittingId, siteId } = await seedNumberedSite(Number(nArg), photo, 40);
  const db = getDb();
  const sitting = await db.selectFrom("sitting").select("code").where("id", "=", sittingId).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("entry")
    .select("admission_no")
    .where("org_id", "=", siteId)
    .where("sitting_id", "=", sittingId)
    .orderBy("admission_no")
    .execute();
  await shutdown();
  printResult({ sittingCode: sitting.code, numbers: rows.map((r) => r.admission_no) });
});
