import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { attemptCounters } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";

/** At most `max` attempts per key within a fixed window of `windowMs` that starts at the key's first attempt. */
export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/**
 * Counts one attempt for the key and answers whether it is within the limit. One upsert: PostgreSQL takes the
 * key's row lock, so parallel attempts (on any node) are numbered 1, 2, 3, … and none sees a stale count.
 * Attempts past the limit are counted too.
 */
export async function countAttempt(db: DbOrTx, clock: Clock, key: string, limit: AttemptLimit): Promise<boolean> {
  const now = clock.now();
  // Instants go into raw SQL as ISO strings: the driver binds Dates only for typed columns.
  const windowOver = sql`${attemptCounters.windowStartedAt} <= ${new Date(now.getTime() - limit.windowMs).toISOString()}::timestamptz`;
  const [row] = await db
    .insert(attemptCounters)
    .values({ key, windowStartedAt: now, attempts: 1 })
    .onConflictDoUpdate({
      target: attemptCounters.key,
      set: {
        attempts: sql`case when ${windowOver} then 1 else ${attemptCounters.attempts} + 1 end`,
        windowStartedAt: sql`case when ${windowOver} then ${now.toISOString()}::timestamptz else ${attemptCounters.windowStartedAt} end`,
      },
    })
    .returning({ attempts: attemptCounters.attempts });
  return row!.attempts <= limit.max;
}

/** Takes back an attempt that turned out fine (a right password), so the counter keeps counting failures only. */
export async function forgiveAttempt(db: DbOrTx, clock: Clock, key: string, limit: AttemptLimit): Promise<void> {
  await db
    .update(attemptCounters)
    .set({ attempts: sql`greatest(${attemptCounters.attempts} - 1, 0)` })
    .where(and(eq(attemptCounters.key, key), gt(attemptCounters.windowStartedAt, new Date(clock.now().getTime() - limit.windowMs))));
}

/** Counters whose window ended long ago no longer count for anything: the hourly job deletes them. */
export async function purgeAttemptCounters(db: DbOrTx, clock: Clock, longestWindowMs: number): Promise<void> {
  await db.delete(attemptCounters).where(lt(attemptCounters.windowStartedAt, new Date(clock.now().getTime() - 2 * longestWindowMs)));
}
