/** The benchmark's long-lived children: the app server and the load generator (driven over IPC). */
import path from "node:path";
import { freePort, ROOT, spawnChild, waitHealthy, type Child } from "./procs.ts";
import type { Command, Response } from "./protocol.ts";

export interface Server {
  child: Child;
  url: string;
}

/** BENCH_APP_NODE_ARGS: extra node options for the app servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? "").split(" ").filter(Boolean);

/** The real server (production build, real clock, its job workers) on a free loopback port. */
export async function startApp(name: string, databaseUrl: string, sessionSecret: string, adapter: "none" | "postgres", nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawnChild(name, [...APP_NODE_ARGS, ...nodeArgs, path.join(ROOT, "server/main.ts")], {
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: "warn",
      SEED_DEMO: "0",
      LIVE_ADAPTER: adapter,
      // The load generator's thousands of watchers all come from this machine's address.
      LIVE_CONNECTIONS_PER_ADDRESS: "1000000",
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(child, `${url}/healthz`, 60_000);
  return { child, url };
}

/** The load generator (load.ts) in its own process; `call` sends one Command and resolves with its result. */
export class Load {
  readonly child: Child;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    // Many thousands of sockets and their buffers: room for the heap.
    this.child = spawnChild("load", ["--max-old-space-size=4096", path.join(ROOT, "bench/live/load.ts")], { ipc: true });
    this.child.proc.on("message", (message: Response) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.result);
      else p.reject(new Error(`load generator: ${message.error}`));
    });
    void this.child.exited.then(() => {
      for (const p of this.pending.values()) p.reject(new Error(`load generator exited:\n${this.child.output().slice(-4000)}`));
      this.pending.clear();
    });
  }

  call<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.proc.send({ id, command });
    });
  }
}
