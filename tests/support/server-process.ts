import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { unpackBids, type ClientToServerEvents, type ServerToClientEvents, type WireBid } from "../../core/live-events.ts";
import { TEST_DRAW_SEED_KEY, TEST_SESSION_SECRET } from "./platform.ts";
import { Visitor } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the process wrote to stderr and stdout so far (for failure messages). */
  output(): string;
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** The database it serves (a test database made by createTestDatabase). */
  databaseUrl: string;
  /** Extra environment, e.g. TEST_CLOCK=1. */
  env?: Record<string, string>;
  /** How long to wait for /healthz. */
  startTimeoutMs?: number;
}

/** A port nobody listens on right now (the child binds it a moment later). */
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

/**
 * The real server as its own process (`node server/main.ts`, the production build), as a node behind
 * a load balancer would run: its own pools, its own pg-boss workers, its own Socket.IO server, joined
 * to the others through LIVE_ADAPTER=postgres. Needs the build (the global setup makes it).
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "server/main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "test",
      DATABASE_URL: options.databaseUrl,
      SESSION_SECRET: TEST_SESSION_SECRET,
      DRAW_SEED_KEY: TEST_DRAW_SEED_KEY,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
      LIVE_ADAPTER: "postgres",
      SEED_DEMO: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const url = `http://127.0.0.1:${port}`;

  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server process exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await kill("SIGKILL");
      throw new Error(`server process not healthy within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    exited,
    kill,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
      try {
        await kill("SIGTERM");
      } finally {
        clearTimeout(force);
      }
    },
  };
}

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client on a node's /live namespace, over a websocket, no reconnection. */
export function liveClient(baseUrl: string, cookie?: string): LiveClient {
  return connect(`${baseUrl}/live`, { transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });
}

export async function connected(socket: LiveClient): Promise<LiveClient> {
  if (socket.connected) return socket;
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Signs in through the node's real sign-in page (fixtures' password); the session cookie works on every node. */
export async function signInCookie(baseUrl: string, username: string): Promise<string> {
  const visitor = new Visitor(baseUrl);
  const response = await visitor.post("/sign-in", { username, password: "test-password" });
  if (response.status !== 302) throw new Error(`sign-in of ${username} answered ${response.status}`);
  return visitor.cookieHeader;
}

/** What one watcher received, in arrival order. */
export function watch(socket: LiveClient) {
  const bids: WireBid[] = [];
  const closed: Parameters<ServerToClientEvents["lot:closed"]>[0][] = [];
  socket.on("bid:accepted", (e) => bids.push(...unpackBids(e.bids)));
  socket.on("lot:closed", (e) => closed.push(e));
  return { bids, closed };
}

export async function until(check: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads until `done` holds (every `every` ms), and answers the value read; fails after `ms`. */
export async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number, what: string, every = 25): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}
