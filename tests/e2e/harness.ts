import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Locator,
  type Page,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

// Browser tests run against the BUILT app (`npm run test:e2e` builds first), started as a child
// process on embedded PGlite in a throw-away DATA_DIR, so it seeds the demo data on start.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = path.join(ROOT, "tests/e2e/artifacts");
export const DEMO_PASSWORD = "Kaowu-demo-2026";
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const HEALTH_TIMEOUT_MS = 90_000;

export interface E2E {
  baseURL: string;
  /** When the server was started (it seeds its windows around this instant). */
  startedAt: number;
  browser: Browser;
  /** A fresh browser context (own cookies) with one page whose errors fail the current test. */
  newPage(): Promise<Page>;
  /** Lets the current test expect console errors matching `re` (e.g. the 4xx of a rejected form). */
  allowConsoleError(re: RegExp): void;
  /** The server's output so far (for debugging a failure). */
  serverLog(): string;
}

/** Console noise that is not the app's fault. */
const IGNORED_CONSOLE: RegExp[] = [
  /favicon/i,
  // Chrome autofill adds attributes to inputs before React hydrates.
  /Extra attributes from the server/,
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function tail(s: string, lines = 40) {
  return s.split("\n").slice(-lines).join("\n");
}

/** Registers beforeAll/afterAll/afterEach hooks for one server + one browser shared by the file. */
export function useE2E(opts: { prepare?: string } = {}): E2E {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let dataDir = "";
  let log = "";
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];
  let allowed: RegExp[] = [];

  const e2e: E2E = {
    baseURL: "",
    startedAt: 0,
    get browser() {
      if (!browser) throw new Error("browser not started");
      return browser;
    },
    async newPage() {
      const context = await e2e.browser.newContext({
        baseURL: e2e.baseURL,
        locale: "zh-CN",
        timezoneId: "UTC",
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      watch(page);
      context.on("page", watch);
      return page;
    },
    allowConsoleError(re) {
      allowed.push(re);
    },
    serverLog: () => log,
  };

  function watch(page: Page) {
    page.on("pageerror", (err) => problems.push(`pageerror on ${page.url()}: ${err.stack ?? err.message}`));
    page.on("console", (msg: ConsoleMessage) => {
      if (msg.type() !== "error") return;
      const text = `${msg.text()} ${msg.location()?.url ?? ""}`;
      if (IGNORED_CONSOLE.some((re) => re.test(text)) || allowed.some((re) => re.test(text))) return;
      problems.push(`console error on ${page.url()}: ${text}`);
    });
  }

  beforeAll(async () => {
    const entry = path.join(ROOT, "build/server/index.js");
    if (!fs.existsSync(entry)) {
      throw new Error(
        `${entry} is missing: build the app first (\`npm run build\`; \`npm run test:e2e\` does it for you).`,
      );
    }
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kaowu-e2e-"));
    const port = await freePort();
    e2e.baseURL = `http://127.0.0.1:${port}`;
    // The browser uses this address, so the server's public address (payment return URLs, Host check) is it;
    // the simulated gateway is chosen explicitly, as a production server requires.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      PORT: String(port),
      COOKIE_SECURE: "false",
      PUBLIC_URL: e2e.baseURL,
      PAYMENT_PROVIDER: "simulated",
      MESSAGE_PROVIDER: "outbox",
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;

    // A file's own starting point: a script (relative to the project) run on the server's DATA_DIR
    // before it starts, through the app's own services.
    if (opts.prepare)
      execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), [opts.prepare], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 120_000,
      });
    // As `npm start` runs it (one node process with tsx's loader), in its own process group.
    e2e.startedAt = Date.now();
    const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    // If the test run dies without afterAll, do not leave the server behind.
    process.once("exit", () => {
      try {
        if (proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    });
    proc.stdout!.on("data", (b: Buffer) => (log += b.toString()));
    proc.stderr!.on("data", (b: Buffer) => (log += b.toString()));
    let exitInfo: string | null = null;
    exited = new Promise((resolve) =>
      proc.on("exit", (code, signal) => {
        exitInfo = `code ${code}, signal ${signal}`;
        resolve();
      }),
    );

    const launching = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // The check-in scanner (DOC-9) gets Chromium's test camera, without a permission prompt.
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
      ],
    });

    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (exitInfo) throw new Error(`The server exited before it was ready (${exitInfo}):\n${tail(log)}`);
      try {
        const res = await fetch(`${e2e.baseURL}/healthz?part=web`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline)
        throw new Error(`GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s:\n${tail(log)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await launching;
  });

  afterEach(async (ctx) => {
    const failed = ctx.task.result?.state === "fail";
    if (failed) {
      // Leave what the browser showed and what the server said, for whoever reads the CI log.
      const slug = ctx.task.name.replace(/[^A-Za-z0-9-]+/g, "_").slice(0, 60);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      let n = 0;
      for (const c of contexts) {
        for (const p of c.pages())
          await p
            .screenshot({ path: path.join(ARTIFACTS, `FAILED-${slug}-${++n}.png`), fullPage: true })
            .catch(() => undefined);
      }
      console.error(`server output (last lines):\n${tail(log)}`);
    }
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    const found = problems;
    problems = [];
    allowed = [];
    // A test that already failed keeps its own error; otherwise browser errors fail it.
    if (!failed) expect(found, "page errors / console errors").toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child!.pid!, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return e2e;
}

/** Logs in through the /login form and waits until the browser has left it. */
export async function logIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== "/login"), page.locator("button.primary").click()]);
}

/**
 * CAN-1 (decision 0019): the newest code the demo outbox (MESSAGE_PROVIDER=outbox) holds for an
 * address, read from its page in another tab of the same browser, as a demo user would.
 */
export async function codeFromOutbox(page: Page, to: string): Promise<string> {
  const outbox = await page.context().newPage();
  try {
    await outbox.goto(`/dev/outbox?to=${encodeURIComponent(to)}`);
    const body = await outbox.locator("[data-testid=outbox] li .outbox-body").first().textContent();
    const code = /\b(\d{6})\b/.exec(body ?? "")?.[1];
    if (!code) throw new Error(`no code in the outbox for ${to}`);
    return code;
  } finally {
    await outbox.close();
  }
}

export async function logOut(page: Page) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/login"),
    page.locator("form[action='/logout'] button").click(),
  ]);
}

/** "YYYY-MM-DD HH:mm" or "YYYY/MM/DD HH:mm" wall-clock text plus `hours`, as a datetime-local value "YYYY-MM-DDTHH:mm". */
export function shiftWallClock(text: string, hours: number): string {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`not a wall-clock time: ${text}`);
  const [, y, mo, d, h, mi] = m.map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi) + hours * 3_600_000);
  return t.toISOString().slice(0, 16);
}

/**
 * Waits until React has hydrated `el` (its props are attached), so its event handlers run and forms
 * submit through Remix. The locator is resolved again on each try: a node React replaced loses
 * those props for good.
 */
export async function hydrated(el: Locator) {
  await expect
    .poll(
      () =>
        el
          .first()
          .evaluate((node) => Object.keys(node).some((k) => k.startsWith("__reactProps$")), undefined, {
            timeout: 2_000,
          })
          .catch(() => false),
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true);
}

export async function gotoHydrated(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page.locator("body"));
}
