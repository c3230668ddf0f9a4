import { allocationBench } from "./allocation";
import { cardsBench } from "./cards";
import { predataBench } from "./predata";
import { checkinBench } from "./checkin";
import { scoresBench } from "./scores";
import { groupBench } from "./group";
import { importBench } from "./import";
import { login } from "./login";
import { managementBench } from "./management";
import { registrationBench } from "./registration";
import { startup } from "./startup";
import { statisticsBench } from "./statistics";
import { reconciliationBench } from "./reconciliation";

// npm run bench            every benchmark
// npm run bench -- startup one of them (startup | login | import | registration | group | management | allocation | cards | predata | checkin | scores | statistics)
// Benchmarks print figures; they never assert timings.

const BENCHMARKS = [
  "startup",
  "login",
  "import",
  "registration",
  "group",
  "management",
  "allocation",
  "cards",
  "predata",
  "checkin",
  "scores",
  "statistics",
] as const;
type Name = (typeof BENCHMARKS)[number];

const asked = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = asked.filter((a) => !(BENCHMARKS as readonly string[]).includes(a));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(", ")} (known: ${BENCHMARKS.join(", ")})`);
  process.exit(2);
}
const run = new Set<Name>(asked.length ? (asked as Name[]) : BENCHMARKS);

try {
  // When both run, the login benchmark uses the last server the start-up benchmark started.
  const server = run.has("startup") ? await startup({ keepLast: run.has("login") }) : undefined;
  if (run.has("login")) await login({ server });
  if (run.has("import")) await importBench();
  if (run.has("registration")) await registrationBench();
  if (run.has("group")) await groupBench();
  if (run.has("management")) await managementBench();
  if (run.has("allocation")) await allocationBench();
  if (run.has("cards")) await cardsBench();
  if (run.has("predata")) await predataBench();
  if (run.has("checkin")) await checkinBench();
  if (run.has("scores")) await scoresBench();
  if (run.has("statistics")) {
    await statisticsBench();
    // FIN-2: reconciling 100,000 payments belongs to the same issue's figures.
    await reconciliationBench();
  }
} catch (e) {
  console.error("[bench] failed:", e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
