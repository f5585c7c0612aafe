import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, until } from "../support/server-process.ts";

// The whole `npm start` of a newcomer — embedded PostgreSQL, demo data — on its own data directory and
// ports, killed with SIGKILL the way a crash or an OOM killer does it.
const ROOT = path.resolve(import.meta.dirname, "../..");
const DATA_DIR = path.join(ROOT, `.data/test-npm-start-${process.pid}`);

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  postmasterPid: number;
  ms: number;
}

const running: ChildProcess[] = [];

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) killGroup(child, "SIGTERM");
  await new Promise((r) => setTimeout(r, 3_000));
  rmSync(DATA_DIR, { recursive: true, force: true });
}, 30_000);

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` in its own process group, as a terminal runs it; resolves once /healthz answers. */
async function npmStart(ports: { http: number; postgres: number }): Promise<Started> {
  const started = Date.now();
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(ports.http), HOST: "127.0.0.1", EMBEDDED_PG_PORT: String(ports.postgres), DATA_DIR, LOG_LEVEL: "warn" },
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${ports.http}`;
  let healthy = false;
  const deadline = Date.now() + 60_000;
  while (!healthy) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start not healthy within 60 s:\n${output}`);
    healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (!healthy) await new Promise((r) => setTimeout(r, 200));
  }
  const postmasterPid = Number(readFileSync(path.join(DATA_DIR, "postgres/postmaster.pid"), "utf8").split("\n")[0]);
  return { child, output: () => output, url, postmasterPid, ms: Date.now() - started };
}

/** The app's own process in `npm start`'s group (npm → sh → node server/start.ts). */
function appPid(group: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …
      const pgrp = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[2]);
      if (pgrp === group && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("server/start.ts") && !readFileSync(`/proc/${entry}/cmdline`, "utf8").startsWith("sh")) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no app process in group ${group}`);
}

/** The shell that waits to stop this postmaster if the app dies (db/embedded.ts). */
function watchdogOf(postmasterPid: number): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes("embedded-postgres-watchdog") && args.includes(String(postmasterPid))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

async function serves(url: string) {
  const lots = await fetch(`${url}/lots`, { headers: { cookie: "lang=en" } });
  expect(lots.status).toBe(200);
  // The demo lots, seeded once by the first start, are there.
  expect(await lots.text()).toContain("/lots/");
}

describe.runIf(process.platform === "linux")("D7, V1.14.x: `npm start` after a SIGKILL works at once", () => {
  it("a killed app takes its embedded PostgreSQL with it (watchdog); a server left running anyway is stopped by the next start; every start serves the demo; a start that cannot work says why", async () => {
    const ports = { http: await freePort(), postgres: await freePort() };

    // 1. The app crashes (SIGKILL to its process alone, as the OOM killer does): the watchdog stops the
    //    postmaster, which would otherwise run on as an orphan, and the next start simply works.
    const first = await npmStart(ports);
    expect(watchdogOf(first.postmasterPid)).not.toBeNull();
    process.kill(appPid(first.child.pid!), "SIGKILL");
    await until(() => !alive(first.postmasterPid), 10_000, "the postmaster to stop after the app was killed");
    expect(existsSync(path.join(DATA_DIR, "postgres/postmaster.pid"))).toBe(false);

    const second = await npmStart(ports);
    await serves(second.url);

    // 2. The watchdog is gone too (killed with the app): the postmaster is left running on our data
    //    directory. The next start stops it cleanly and goes on, with the data intact.
    const watchdog = watchdogOf(second.postmasterPid);
    expect(watchdog).not.toBeNull();
    process.kill(watchdog!, "SIGKILL");
    killGroup(second.child, "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(second.postmasterPid), "the left-over postmaster").toBe(true);

    const third = await npmStart(ports);
    expect(alive(second.postmasterPid)).toBe(false);
    expect(third.output()).toContain(`left running on`);
    expect(third.output()).not.toMatch(/^undefined$/m);
    await serves(third.url);

    // 3. A clean stop (Ctrl-C reaches the group): the app stops the database last, and nothing is left.
    killGroup(third.child, "SIGINT");
    await until(() => third.child.exitCode !== null || third.child.signalCode !== null, 20_000, "npm start to exit after SIGINT");
    await until(() => !alive(third.postmasterPid), 10_000, "the postmaster to stop with the app");

    // 4. A start that cannot work says what failed and what to do (here: the database port is taken).
    const taken = createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const blocked = spawn("npm", ["start"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(ports.http), HOST: "127.0.0.1", EMBEDDED_PG_PORT: String((taken.address() as AddressInfo).port), DATA_DIR, LOG_LEVEL: "warn" },
    });
    let said = "";
    blocked.stdout!.on("data", (c: Buffer) => (said += c.toString()));
    blocked.stderr!.on("data", (c: Buffer) => (said += c.toString()));
    const [code] = (await once(blocked, "exit")) as [number | null];
    taken.close();
    expect(code).toBe(1);
    expect(said).toContain("The platform could not start.");
    expect(said).toMatch(/What to do: Port \d+ is taken by another program\. Set EMBEDDED_PG_PORT/);
    console.log(JSON.stringify({ firstStartMs: first.ms, restartMs: second.ms, restartOverLeftOverMs: third.ms }));
  }, 120_000);
});
