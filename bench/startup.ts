import fs from "node:fs";
import { ensureBuilt, mb, ms, startServer, summary, tempDataDir, type RunningServer } from "./server";

/** server.ts prints `ready in N ms`: the time boot() took (open the database, migrate, seed). */
const bootMs = (s: RunningServer) => Number(/ready in (\d+) ms/.exec(s.log())?.[1] ?? NaN);

/**
 * Time from spawning the built server to `GET /healthz` answering 200, on an empty DATA_DIR
 * (PGlite creation + migrations + demo seed) and again on the same, now non-empty, folder.
 * With `keepLast`, the last server is left running and returned (the login benchmark uses it).
 */
export async function startup(opts: { runs?: number; keepLast?: boolean } = {}): Promise<RunningServer | undefined> {
  const runs = opts.runs ?? 3;
  await ensureBuilt();
  const cold: number[] = [];
  const warm: number[] = [];
  const coldBoot: number[] = [];
  const warmBoot: number[] = [];
  const coldRss: number[] = [];
  const warmRss: number[] = [];
  const dirs: string[] = [];
  let kept: RunningServer | undefined;
  try {
    for (let i = 0; i < runs; i++) {
      const dataDir = tempDataDir();
      dirs.push(dataDir);
      const a = await startServer({ dataDir });
      cold.push(a.readyMs);
      coldBoot.push(bootMs(a));
      const rssA = a.peakRssKb();
      if (rssA !== null) coldRss.push(rssA);
      await a.stop();
      if (i === 0) console.log(`[startup] /healthz → ${JSON.stringify(a.health)}`);

      const b = await startServer({ dataDir });
      warm.push(b.readyMs);
      warmBoot.push(bootMs(b));
      const rssB = b.peakRssKb();
      if (rssB !== null) warmRss.push(rssB);
      if (opts.keepLast && i === runs - 1) kept = b;
      else await b.stop();
      console.log(
        `[startup] run ${i + 1}/${runs}: empty ${ms(a.readyMs)} (${mb(rssA)}), existing ${ms(b.readyMs)} (${mb(rssB)})`,
      );
    }
  } catch (e) {
    await kept?.stop();
    throw e;
  } finally {
    // The kept server still uses its folder; the caller removes it after stopping the server.
    for (const d of dirs) if (!kept || d !== dirs[dirs.length - 1]) fs.rmSync(d, { recursive: true, force: true });
  }
  const row = (name: string, v: number[], boot: number[], rss: number[]) => {
    const s = summary(v);
    const peak = rss.length ? Math.max(...rss) : null;
    console.log(
      `  ${name.padEnd(30)} median ${ms(s.median).padStart(8)}  min ${ms(s.min).padStart(8)}  max ${ms(s.max).padStart(8)}` +
        `  (boot() median ${ms(summary(boot).median)})  peak RSS ${mb(peak)}`,
    );
  };
  console.log(
    `startup: spawn → /healthz 200, NODE_ENV=production node --import tsx server.ts, PGlite, jobs in-process (${runs} runs each)`,
  );
  row("empty data dir (create+seed)", cold, coldBoot, coldRss);
  row("existing data dir", warm, warmBoot, warmRss);
  if (kept) {
    const dir = dirs[dirs.length - 1];
    const stop = kept.stop;
    kept.stop = async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  return kept;
}
