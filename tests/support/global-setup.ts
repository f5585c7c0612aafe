import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
    // Each project its own server, so projects running side by side do not share a data directory.
    const port = 55400 + (name === "realtime" ? 1 : 0);
    const server = await startEmbedded(path.join(ROOT, `.data/test-postgres-${name}`), port);
    adminUrl = server.adminUrl;
    stop = server.stop;
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
