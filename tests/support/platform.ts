import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { pino } from "pino";
import { loadConfig } from "../../server/config.ts";
import { loadBuild, startPlatform, type Platform } from "../../server/platform.ts";
import { createTestDatabase } from "./database.ts";
import { drawSeedKeys } from "../../appraisal/index.ts";

export const TEST_SESSION_SECRET = "test-session-secret-at-least-32-characters-long";
/** The key the test server derives draw seeds under (P6); tests that draw without a server use the same ring. */
export const TEST_DRAW_SEED_KEY = "test-draw-seed-key-at-least-32-characters-long";
export const testDrawSeedKeys = drawSeedKeys(TEST_DRAW_SEED_KEY);

export interface TestPlatform extends Platform {
  database: Database;
  stop(): Promise<void>;
}

/** The real server (Express, React Router build, Socket.IO, pg-boss) on an ephemeral port and its own database. */
/** `env` adds settings, e.g. SMTP_URL to e-mail notices through Mailpit. */
export async function startTestPlatform(clock: Clock, env: Record<string, string> = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", SESSION_SECRET: TEST_SESSION_SECRET, DRAW_SEED_KEY: TEST_DRAW_SEED_KEY, DATABASE_URL: database.url, LOG_LEVEL: "silent", ...env });
  const platform = await startPlatform({ config, database, clock, source: await loadBuild(), log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) });
  return {
    ...platform,
    database,
    async stop() {
      await platform.close();
      await database.close();
    },
  };
}
