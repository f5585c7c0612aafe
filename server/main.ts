import { pino } from "pino";
import { OffsetClock, systemClock } from "../core/clock.ts";
import { loadConfig } from "./config.ts";
import { indexLotsForSearch } from "../auction/index.ts";
import { openDatabase } from "./database.ts";
import { DEMO_PASSWORD, seedDemoData } from "./demo-seed.ts";
import { seedDemoLots } from "./demo-lots.ts";
import { loadBuild, startPlatform } from "./platform.ts";
import type { BuildSource } from "./http-app.ts";
import { describeStartFailure } from "./start-failure.ts";
import type { Config } from "./config.ts";

async function viteSource(): Promise<BuildSource> {
  const vite = await import("vite");
  const server = await vite.createServer({ server: { middlewareMode: true } });
  return {
    kind: "vite",
    middlewares: server.middlewares,
    load: () => server.ssrLoadModule("virtual:react-router/server-build") as never,
  };
}

/** Whatever stops the start (configuration, database, port), the person sees what failed and what to do. */
function failedToStart(error: unknown, config?: Config): never {
  console.error(`\n${describeStartFailure(error, { port: config?.port ?? Number(process.env.PORT ?? 3000), databaseUrl: config?.databaseUrl ?? process.env.DATABASE_URL })}\n`);
  if (process.env.LOG_LEVEL === "debug") console.error(error);
  process.exit(1);
}

async function start(config: Config) {
  const log = pino({ level: config.logLevel });
  const testClock = config.testClock ? new OffsetClock() : null;
  const clock = testClock ?? systemClock;
  if (testClock) log.warn("TEST_CLOCK=1: the clock can be moved through POST /__test/clock");
  const database = await openDatabase(config);
  log.info({ embedded: database.embedded }, database.embedded ? "embedded PostgreSQL started" : "connected to PostgreSQL");
  const indexed = await indexLotsForSearch(database.db);
  if (indexed > 0) log.info({ lots: indexed }, "lots made before search added to the search index");

  if (config.seedDemo) {
    const logins = await seedDemoData(database.db, clock);
    if (logins) {
      await seedDemoLots(database.db, config.sessionSecret);
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
  return { log, platform, database };
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  failedToStart(error);
}
const { log, platform, database } = await start(config).catch((error: unknown) => failedToStart(error, config));

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
// This process owns shutdown: it stops the embedded server itself, last, after requests, sockets and jobs
// (the server runs in its own process group, so a Ctrl-C does not reach it first).
process.on("SIGHUP", () => void shutdown("SIGHUP"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
