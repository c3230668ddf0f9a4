import fs from "node:fs";
import path from "node:path";
import { childEnv, createScratchDb, dropScratchDbs, psql, runChild } from "./children";
import { mb, tempDataDir } from "./server";
import { compliantPhoto } from "../tests/fixtures/photos";

// npm run bench -- cards
//
// Issue 17 item 8: small admission cards (6 a page, photo, Code 128, QR of the signed token) end to
// end on PostgreSQL through the real generate-file path (query, draw, zip, store), next to a bare
// pdf-lib loop drawing the same text, font, photo, QR and barcode with no application around it,
// at 1k, 10k and 20k cards; then one candidate's own card on demand. Targets: ≤ 1.5× the bare
// loop, ≥ 300 cards/s, peak RSS < 500 MB whatever the count, one card ≤ 150 ms. Figures only.
//
// BENCH_CARDS     counts (default 1000,10000,20000)
// DATABASE_URL    the PostgreSQL server for the scratch database (default postgres://postgres@127.0.0.1:5432/postgres)

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export async function cardsBench() {
  const counts = (process.env.BENCH_CARDS ?? "1000,10000,20000").split(",").map(Number);
  const adminUrl = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
  const dir = tempDataDir();
  const photo = path.join(dir, "photo.jpg");
  fs.writeFileSync(photo, await compliantPhoto());
  console.log(
    `\n[cards] small admission cards with photo (${Math.round(fs.statSync(photo).size / 1024)} KB), Code 128 and QR`,
  );
  let pg = true;
  try {
    await psql(adminUrl, "select 1", 5000);
  } catch (e) {
    pg = false;
    console.log(
      `  end to end: skipped, PostgreSQL not reachable (set DATABASE_URL): ${e instanceof Error ? e.message : e}`,
    );
  }
  try {
    for (const n of counts) {
      const limit = 120_000 + n * 50;
      const raw = await runChild(
        "bench/cards-child.ts",
        "cards raw",
        ["raw", String(n), photo],
        limit,
        childEnv({}, ["DATABASE_URL"]),
      );
      const rawMs = Number(raw.ms);
      const lines = [
        `  ${n.toLocaleString("en-US")} cards: bare pdf-lib ${Math.round(n / (rawMs / 1000))} cards/s (${(rawMs / 1000).toFixed(1)} s, ${mb(Number(raw.bytes) / 1024)}, peak RSS ${mb(Number(raw.peakRssKb))})`,
      ];
      if (pg) {
        const url = await createScratchDb(adminUrl, "kaowu_bench_cards");
        const app = await runChild(
          "bench/cards-child.ts",
          "cards app",
          ["app", String(n), photo],
          limit * 2,
          childEnv(
            {
              DATABASE_URL: url,
              DATA_DIR: path.join(dir, `data-${n}`),
              NODE_ENV: "production",
              PAYMENT_PROVIDER: "simulated",
              MESSAGE_PROVIDER: "outbox",
            },
            ["REDIS_URL"],
          ),
        );
        const appMs = Number(app.ms);
        lines.push(
          `    app (query, draw, zip, store): ${Math.round(n / (appMs / 1000))} cards/s (${(appMs / 1000).toFixed(1)} s, ${(appMs / rawMs).toFixed(2)}× the bare loop, zip ${mb(Number(app.bytes) / 1024)}); RSS before ${mb(Number(app.rssBeforeKb))}, peak while generating ${mb(Number(app.generatePeakKb))}`,
          `    one candidate's own card on demand: median ${app.oneMedianMs} ms, slowest ${app.oneMaxMs} ms (of 20)`,
        );
        await dropScratchDbs("cards");
      }
      console.log(lines.join("\n"));
    }
  } finally {
    await dropScratchDbs("cards");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
