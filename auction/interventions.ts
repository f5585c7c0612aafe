import { and, asc, eq, inArray, isNull, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { assets, lotInterventions, lots, saleRulings } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { plainText } from "../core/validation.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { HOLD_KEEPS_DEPOSITS_MS, lotLife, nextLotState, REVOCATION_GROUNDS, storedStatus, WITHDRAWAL_GROUNDS, type LotEvent } from "./lifecycle.ts";
import { draftNextLot } from "./next-round.ts";
import { noticeRegistrants } from "./registration.ts";
import { reportPublishError, type LotPublisher } from "./publisher.ts";
import type { LotScheduler } from "./scheduler.ts";

// The court's interventions on a lot (G1–G7, P15, ADR 022): holds, resumptions, withdrawals and revocations, each a step of the
// lot's state machine. A judge suspends (暂缓) or stays (中止) a lot before or during its bidding, with a reason posted
// on the lot (G3); the platform's admin may suspend for a system fault, and the court sees it at once (G2). A held lot
// takes no bids and its countdown stands still. Resumed within the day, it goes on with its bids and deposits and the
// time it had left; a hold that lasts HOLD_KEEPS_DEPOSITS_MS releases the deposits (P2) and can no longer resume.

export const holdSchema = z.object({ kind: z.enum(["suspend", "stay"]), reason: plainText({ max: 500, multiline: true }) });
export const resumeSchema = z.object({ reason: plainText({ max: 500, multiline: true }) });
export const withdrawSchema = z.object({ ground: z.enum(WITHDRAWAL_GROUNDS), reason: plainText({ max: 500, multiline: true }) });

type LotRow = typeof lots.$inferSelect;

/** Takes one step of the lot's life, or refuses it with its code (nothing written). */
function step(lot: LotRow, now: Date, event: LotEvent) {
  const next = nextLotState(lotLife(lot, now), event);
  if (!next.ok) throw new AppError(next.code);
  return next.life;
}

async function lockLot(tx: Tx, lotId: string): Promise<LotRow> {
  const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
  if (!lot || lot.status === "draft") throw new AppError("NOT_FOUND");
  return lot;
}

export interface HeldLot {
  seq: number;
  kind: "suspend" | "stay";
  reason: string;
  heldAt: Date;
}

export interface ResumedLot {
  seq: number;
  /** Where the lot went back to: before its start, or bidding. */
  phase: "announced" | "bidding";
  reason: string;
  biddingStartsAt: Date;
  closesAt: Date;
}

/**
 * G1, G2, P15: holds the lot now. A judge of the lot's court suspends or stays it; the platform's admin may only
 * suspend (a system fault). Refused for a lot whose bidding has ended (its close is due).
 */
export async function holdLot(db: Db, clock: Clock, publisher: LotPublisher, actor: SessionUser, lotId: string, input: z.infer<typeof holdSchema>): Promise<HeldLot> {
  const by = actor.role === "admin" ? "platform" : "court";
  const held = await db.transaction(async (tx) => {
    const lot = await lockLot(tx, lotId);
    authorize(actor, by === "platform" ? "lots.hold_for_fault" : "lots.hold", { courtId: lot.courtId });
    if (by === "platform" && input.kind === "stay") throw new AppError("FORBIDDEN");
    const now = clock.now();
    if (lot.status === "published" && now.getTime() >= lot.closesAt.getTime()) throw new AppError("LOT_CLOSED");
    const life = step(lot, now, input.kind === "suspend" ? { type: "suspend", by } : { type: "stay" });
    const seq = lot.seq + 1;
    await tx.update(lots).set({ status: storedStatus(life.state), heldFrom: life.resumesTo, heldAt: now, seq }).where(eq(lots.id, lotId));
    await tx.insert(lotInterventions).values({ lotId, kind: input.kind, by, reason: input.reason, actorId: actor.id, at: now });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_held", entityType: "lot", entityId: lotId, data: { kind: input.kind, by, reason: input.reason, heldFrom: life.resumesTo!, closesAt: lot.closesAt } });
    await noticeRegistrants(tx, clock, lotId, input.kind === "suspend" ? "lot_suspended" : "lot_stayed");
    return { seq, kind: input.kind, reason: input.reason, heldAt: now };
  });
  try {
    publisher.lotHeld(lotId, held);
  } catch (error) {
    reportPublishError(error, lotId);
  }
  return held;
}

/**
 * G3, P15: the judge resumes a held lot while its deposits are held. The time the hold lasted is added to the lot's
 * schedule: a lot held in bidding closes after the time it had left, counted from now (and the 5-minute rule applies
 * again); one held before its start keeps its notice period to the start.
 */
export async function resumeLot(db: Db, clock: Clock, publisher: LotPublisher, scheduler: LotScheduler, actor: SessionUser, lotId: string, input: z.infer<typeof resumeSchema>): Promise<ResumedLot> {
  const resumed = await db.transaction(async (tx) => {
    const lot = await lockLot(tx, lotId);
    authorize(actor, "lots.hold", { courtId: lot.courtId });
    const now = clock.now();
    const life = step(lot, now, { type: "resume" });
    const heldForMs = now.getTime() - lot.heldAt!.getTime();
    const later = (d: Date) => new Date(d.getTime() + heldForMs);
    const schedule = {
      biddingStartsAt: lot.heldFrom === "announced" ? later(lot.biddingStartsAt) : lot.biddingStartsAt,
      biddingEndsAt: later(lot.biddingEndsAt),
      closesAt: later(lot.closesAt),
    };
    const seq = lot.seq + 1;
    await tx.update(lots).set({ status: storedStatus(life.state), heldFrom: null, heldAt: null, ...schedule, seq }).where(eq(lots.id, lotId));
    await tx.insert(lotInterventions).values({ lotId, kind: "resume", by: "court", reason: input.reason, actorId: actor.id, closesAt: schedule.closesAt, at: now });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_resumed", entityType: "lot", entityId: lotId, data: { heldForMs, biddingStartsAt: schedule.biddingStartsAt, closesAt: schedule.closesAt } });
    await noticeRegistrants(tx, clock, lotId, "lot_resumed");
    return { seq, phase: life.state as ResumedLot["phase"], reason: input.reason, biddingStartsAt: schedule.biddingStartsAt, closesAt: schedule.closesAt };
  });
  await scheduler.scheduleClose(lotId, resumed.closesAt);
  try {
    publisher.lotResumed(lotId, resumed);
  } catch (error) {
    reportPublishError(error, lotId);
  }
  return resumed;
}

/**
 * P2, G6: holds that have lasted HOLD_KEEPS_DEPOSITS_MS are marked as such, once each, whichever node's job gets there
 * first. Answers the lots whose deposits must now be released (the caller asks the escrow).
 */
export async function expireHolds(db: Db, clock: Clock): Promise<{ lotId: string; reason: "suspended" | "stayed" }[]> {
  const due = await db
    .select({ id: lots.id })
    .from(lots)
    .where(and(inArray(lots.status, ["suspended", "stayed"]), isNull(lots.holdDepositsReleasedAt), lte(lots.heldAt, new Date(clock.now().getTime() - HOLD_KEEPS_DEPOSITS_MS))))
    .orderBy(asc(lots.heldAt))
    .limit(500);
  const expired: { lotId: string; reason: "suspended" | "stayed" }[] = [];
  for (const { id } of due) {
    const done = await db.transaction(async (tx) => {
      const lot = await lockLot(tx, id);
      const next = nextLotState(lotLife(lot, clock.now()), { type: "hold_expired" });
      if (!next.ok || clock.now().getTime() - lot.heldAt!.getTime() < HOLD_KEEPS_DEPOSITS_MS) return null; // resumed or taken meanwhile
      await tx.update(lots).set({ holdDepositsReleasedAt: clock.now() }).where(eq(lots.id, id));
      await tx.insert(lotInterventions).values({ lotId: id, kind: "hold_expired", by: "clock", reason: "", at: clock.now() });
      await appendAudit(tx, clock, { actorId: null, action: "auction.hold_expired", entityType: "lot", entityId: id, data: { heldAt: lot.heldAt! } });
      return lot.status as "suspended" | "stayed";
    });
    if (done) expired.push({ lotId: id, reason: done });
  }
  return expired;
}

/**
 * G5: the judge withdraws (撤回) a lot before its bidding starts, on one of the law's grounds, with a public reason.
 * The lot ends; its deposits are released (P2) by the escrow, which the caller asks at once (settleLotDeposits) and
 * whose minute step catches a lost call.
 */
export async function withdrawLot(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof withdrawSchema>): Promise<void> {
  await db.transaction(async (tx) => {
    const lot = await lockLot(tx, lotId);
    authorize(actor, "lots.hold", { courtId: lot.courtId });
    const now = clock.now();
    const life = step(lot, now, { type: "withdraw", ground: input.ground });
    await tx.update(lots).set({ status: storedStatus(life.state), heldFrom: null, heldAt: null, seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    await tx.insert(lotInterventions).values({ lotId, kind: "withdraw", by: "court", reason: input.reason, ground: input.ground, actorId: actor.id, at: now });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_withdrawn", entityType: "lot", entityId: lotId, data: { ground: input.ground, reason: input.reason } });
    await noticeRegistrants(tx, clock, lotId, "lot_withdrawn");
  });
}

/**
 * P2, ADR 022: a hold that outlasted its day released the deposits, so its bids can no longer stand and it cannot
 * resume. When the cause ends the judge takes it down (relist, stored as withdrawn) and the asset's lot of the same
 * round is drafted, to be announced anew with fresh registrations. Returns the draft.
 */
export async function relistLot(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof resumeSchema>): Promise<{ nextLotId: string | null }> {
  return db.transaction(async (tx) => {
    const lot = await lockLot(tx, lotId);
    authorize(actor, "lots.hold", { courtId: lot.courtId });
    const now = clock.now();
    const next = nextLotState(lotLife(lot, now), { type: "relist" });
    if (!next.ok) throw new AppError(next.code);
    await tx.update(lots).set({ status: storedStatus(next.life.state), heldFrom: null, heldAt: null, seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    await tx.insert(lotInterventions).values({ lotId, kind: "relist", by: "court", reason: input.reason, actorId: actor.id, at: now });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_relisted", entityType: "lot", entityId: lotId, data: { reason: input.reason } });
    await noticeRegistrants(tx, clock, lotId, "lot_relisted");
    return { nextLotId: await draftNextLot(tx, clock, lot, next.effects) };
  });
}

export const revokeSchema = z.object({ ground: z.enum(REVOCATION_GROUNDS), reason: plainText({ max: 500, multiline: true }) });

/**
 * G7, I5: the court revokes (撤销) a sale after its close, on one of G7's grounds, posted on the lot's page. The lot
 * ends revoked and the asset's re-auction is drafted. The escrow calls this in the transaction that sends the buyer's
 * money back (P2), with the balance's state, and refuses it once the proceeds are distributed. Returns the new draft.
 */
export async function recordRevocation(
  tx: Tx,
  clock: Clock,
  actor: SessionUser,
  lotId: string,
  input: z.infer<typeof revokeSchema>,
  balance: "due" | "paid" | "defaulted" | "revoked" | null,
): Promise<{ caseId: string; winnerRegistrationId: string | null; nextLotId: string | null }> {
  const lot = await lockLot(tx, lotId);
  authorize(actor, "lots.hold", { courtId: lot.courtId });
  const now = clock.now();
  const [ruling] = await tx.select().from(saleRulings).where(eq(saleRulings.lotId, lotId));
  const next = nextLotState(lotLife({ ...lot, balance, ruling }, now), { type: "revoke", ground: input.ground });
  if (!next.ok) throw new AppError(next.code);
  await tx.update(lots).set({ status: storedStatus(next.life.state), seq: lot.seq + 1 }).where(eq(lots.id, lotId));
  await tx.insert(lotInterventions).values({ lotId, kind: "revoke", by: "court", reason: input.reason, ground: input.ground, actorId: actor.id, at: now });
  await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_revoked", entityType: "lot", entityId: lotId, data: { ground: input.ground, reason: input.reason } });
  await noticeRegistrants(tx, clock, lotId, "lot_revoked");
  const nextLotId = await draftNextLot(tx, clock, lot, next.effects);
  const [asset] = await tx.select({ caseId: assets.caseId }).from(assets).where(eq(assets.id, lot.assetId));
  return { caseId: asset!.caseId, winnerRegistrationId: lot.winnerRegistrationId, nextLotId };
}
