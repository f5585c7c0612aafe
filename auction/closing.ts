import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { bids, lots } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { lotLife, nextLotState } from "./lifecycle.ts";
import { draftNextLot } from "./next-round.ts";
import { noticeOutcome, recordWaivers } from "./registration.ts";
import { reportPublishError, type LotPublisher } from "./publisher.ts";

export type CloseResult =
  | { kind: "closed"; outcome: "sold" | "failed"; lotId: string; seq: number; priceFen: bigint | null; bidderCode: string | null; closedAt: Date }
  | { kind: "not_yet"; closesAt: Date }
  | { kind: "already_closed" | "not_found" };

/**
 * Closes a lot whose close instant has passed: exactly once, whichever node's job gets here first
 * (the row lock and the status check make a second call a no-op). The winner is the leading bid:
 * every accepted bid took the lead (D6, E2, E3). No bid → failed (流拍, F6). The close is published
 * after commit, by the call that closed it (so once).
 */
export async function closeLot(db: Db, clock: Clock, publisher: LotPublisher, lotId: string): Promise<CloseResult> {
  const result = await closeInTransaction(db, clock, lotId);
  if (result.kind === "closed") {
    try {
      publisher.lotClosed(lotId, result);
    } catch (error) {
      reportPublishError(error, lotId);
    }
  }
  return result;
}

async function closeInTransaction(db: Db, clock: Clock, lotId: string): Promise<CloseResult> {
  return db.transaction(async (tx) => {
    const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
    if (!lot) return { kind: "not_found" };
    if (lot.status !== "published") return { kind: "already_closed" };
    // A late bid may have moved the close since this job was scheduled (D3).
    if (clock.now().getTime() < lot.closesAt.getTime()) return { kind: "not_yet", closesAt: lot.closesAt };

    const winner = lot.leadingBidId ? (await tx.select().from(bids).where(eq(bids.id, lot.leadingBidId)))[0] : undefined;
    // F6: no valid bid, the lot fails. The deposits are settled by the job the close schedules (server/jobs.ts).
    const step = nextLotState(lotLife(lot, clock.now()), { type: "close", sold: winner !== undefined });
    if (!step.ok) throw new AppError(step.code);
    const outcome = step.life.state === "closed_sold" ? "sold" : "failed";
    const seq = lot.seq + 1;
    await tx
      .update(lots)
      .set({ status: outcome, closedAt: lot.closesAt, winnerRegistrationId: winner?.registrationId ?? null, seq })
      .where(eq(lots.id, lotId));
    await appendAudit(tx, clock, {
      actorId: null,
      action: outcome === "sold" ? "auction.lot_sold" : "auction.lot_failed",
      entityType: "lot",
      entityId: lotId,
      data: { closedAt: lot.closesAt, priceFen: winner?.amountFen ?? null, bidderCode: winner?.bidderCode ?? null, bids: lot.bidCount },
    });
    await recordWaivers(tx, clock, lotId, lot.closesAt);
    if (winner) await noticeOutcome(tx, clock, lotId, winner.registrationId);
    // F6, F8: a failed lot's next round is drafted for the court at once.
    await draftNextLot(tx, clock, lot, step.effects);
    return { kind: "closed", outcome, lotId, seq, priceFen: winner?.amountFen ?? null, bidderCode: winner?.bidderCode ?? null, closedAt: lot.closesAt };
  });
}

/** Lots whose close instant has passed but are not yet closed: the safety net behind the per-lot jobs. */
export async function lotsDueToClose(db: Db, clock: Clock): Promise<string[]> {
  const rows = await db
    .select({ id: lots.id })
    .from(lots)
    .where(and(eq(lots.status, "published"), lte(lots.closesAt, clock.now())))
    .orderBy(asc(lots.closesAt))
    .limit(500);
  return rows.map((r) => r.id);
}
