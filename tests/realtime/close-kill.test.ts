// A node killed (SIGKILL) while it closes failed lots and drafts their second auctions (F6, ADR 022): each transition
// is complete or absent. At the kill and after the restart, a lot is either still open with no next lot, or failed
// with exactly one drafted second auction, its close audited once; the next node finishes the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, lots } from "../../db/schema/index.ts";
import { scheduleCloseJob } from "../../server/jobs.ts";
import { makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { poll, startServerProcess, type ServerProcess } from "../support/server-process.ts";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
/** Enough failing lots that closing them takes the node a while: it is killed partway. */
const LOTS = Number(process.env.CLOSE_KILL_LOTS ?? 120);

let database: Database;
const processes: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await database?.close();
}, 30_000);

/** Every lot is open with no next lot, or failed with exactly one drafted second auction: nothing half done. */
async function wholeOrAbsent(lotIds: string[]) {
  const { db } = database;
  const rows = await db.select({ id: lots.id, status: lots.status }).from(lots).where(inArray(lots.id, lotIds));
  const next = await db.select({ previous: lots.previousLotId, round: lots.round, status: lots.status }).from(lots).where(inArray(lots.previousLotId, lotIds));
  const failedEvents = await db.select({ lotId: auditEvents.entityId }).from(auditEvents).where(eq(auditEvents.action, "auction.lot_failed"));
  for (const lot of rows) {
    const drafts = next.filter((n) => n.previous === lot.id);
    const closes = failedEvents.filter((e) => e.lotId === lot.id).length;
    if (lot.status === "failed") expect({ drafts, closes }).toEqual({ drafts: [{ previous: lot.id, round: "second", status: "draft" }], closes: 1 });
    else expect({ status: lot.status, drafts: drafts.length, closes }).toEqual({ status: "published", drafts: 0, closes: 0 });
  }
  return rows.filter((r) => r.status === "failed").length;
}

describe("a node killed while closing lots (SIGKILL)", () => {
  it(
    `F6, P5: of ${LOTS} lots failing at once, each close and its drafted second auction are complete or absent after a SIGKILL, and the next node finishes each once`,
    async () => {
      const { db } = database;
      // Announced 32 days ago; bidding ended a minute ago, with no bid.
      const announce = new TestClock(new Date(Date.now() - 32 * DAY - MINUTE));
      const lotIds: string[] = [];
      for (let i = 0; i < LOTS; i += 8) lotIds.push(...(await Promise.all(Array.from({ length: Math.min(8, LOTS - i) }, async () => (await makePublishedLot(db, announce)).lotId))));

      const first = await startServerProcess({ databaseUrl: database.url, startTimeoutMs: 120_000 });
      processes.push(first);
      const boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
      await boss.start();
      for (const lotId of lotIds) await scheduleCloseJob(boss, lotId, new Date());
      await boss.stop({ graceful: false });

      const closedCount = () => db.$count(auditEvents, eq(auditEvents.action, "auction.lot_failed"));
      // Kill the node once it has closed a quarter of the lots.
      await poll(closedCount, (n) => n >= LOTS / 4, 120_000, "the closes to begin", 5);
      await first.kill("SIGKILL");
      const atKill = await wholeOrAbsent(lotIds);
      expect(atKill, "the node closed every lot before it was killed: raise CLOSE_KILL_LOTS").toBeLessThan(LOTS);

      // The next node's minute sweep finds the lots left open and closes them.
      const second = await startServerProcess({ databaseUrl: database.url, startTimeoutMs: 120_000 });
      processes.push(second);
      await poll(closedCount, (n) => n >= LOTS, 240_000, "every lot closed", 250);
      expect(await wholeOrAbsent(lotIds)).toBe(LOTS);
      console.log(JSON.stringify({ lots: LOTS, closedAtKill: atKill }));
    },
    600_000,
  );
});
