import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { connect, startEmbedded, withDatabase } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Once per test run: a PostgreSQL (TEST_DATABASE_URL, or an embedded server), and a freshly
 * migrated template database that each test file clones into a database of its own.
 */
export default async function setup(project: TestProject) {
  const name = project.name;
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | null = null;
  if (!adminUrl) {
    // A server of this run's own (own directory, free port): runs and projects side by side never collide.
    removeStaleClusters();
    const dir = path.join(ROOT, `.data/test-postgres/${name}-${process.pid}`);
    const server = await startEmbedded(dir, await freePort());
    adminUrl = server.adminUrl;
    stop = async () => {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    };
  }

  const template = `test_${name}_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${template}"`);
  const database = connect(withDatabase(adminUrl, template), { max: 2 });
  await migrate(database);
  await database.close();

  // Server-level tests run the real build of the site.
  if (name !== "unit" && !existsSync(path.join(ROOT, "build/server/index.js"))) {
    const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@react-router/dev/bin.cjs"), "build"], { cwd: ROOT, stdio: "inherit" });
    if (built.status !== 0) throw new Error("react-router build failed");
  }

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", template);

  return async () => {
    const made = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${template + "%"}`;
    for (const { datname } of made) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await stop?.();
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Data directories left by runs that were killed (their process is gone). */
function removeStaleClusters() {
  const base = path.join(ROOT, ".data/test-postgres");
  if (!existsSync(base)) return;
  for (const entry of readdirSync(base)) {
    const pid = Number(entry.split("-").pop());
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    rmSync(path.join(base, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
