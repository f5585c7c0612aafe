import { PgBoss } from "pg-boss";
import { lt } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../db/client.ts";
import { loginAttempts } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { LOGIN_WINDOW_MS } from "../identity/index.ts";

const PURGE_LOGIN_ATTEMPTS = "identity.purge-login-attempts";

/**
 * pg-boss keeps timed work in the same PostgreSQL, so any node may run it and a job runs once.
 * Contexts add their queues here as they arrive (lot closing, deadlines, deposit release).
 */
export async function startJobs(database: Database, clock: Clock, log: Logger): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: database.url, max: 4 });
  boss.on("error", (error) => log.error({ err: error }, "pg-boss error"));
  await boss.start();

  await boss.createQueue(PURGE_LOGIN_ATTEMPTS);
  // Attempts older than the rate-limit window no longer count for anything.
  await boss.work(PURGE_LOGIN_ATTEMPTS, async () => {
    const cutoff = new Date(clock.now().getTime() - 2 * LOGIN_WINDOW_MS);
    await database.db.delete(loginAttempts).where(lt(loginAttempts.attemptedAt, cutoff));
  });
  await boss.schedule(PURGE_LOGIN_ATTEMPTS, "17 * * * *");
  return boss;
}
