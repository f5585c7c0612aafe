// 设置提醒 (following a lot) and the reminders that go with it, and the court's reminders of sale deadlines coming due.
// Reminders are notices (identity's outbox, ADR 023): each is once per account and lot (its dedupe key), so the
// minute job may run on every node, and run again, without repeating one.
import { and, eq, gt, inArray, isNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { assets, cases, lotFollows, lots, saleRulings } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { authorize, notify, type NewNotice, type SessionUser } from "../identity/index.ts";
import { viewingReminders } from "./viewings.ts";

/** A follower is reminded a day before bidding starts (time to register and pay the deposit), and an hour before it ends. */
export const STARTS_SOON_MS = 24 * 3_600_000;
export const ENDS_SOON_MS = 3_600_000;
/** The judge is reminded a day before a sale ruling or handover falls due (E7, E8). */
export const DEADLINE_SOON_MS = 24 * 3_600_000;

/** Follows or unfollows a published lot. Following reveals nothing and is seen by nobody else (P4). */
export async function setFollowing(db: Db, clock: Clock, actor: SessionUser, lotId: string, follow: boolean): Promise<void> {
  authorize(actor, "lots.follow");
  await db.transaction(async (tx) => {
    const [lot] = await tx.select({ status: lots.status }).from(lots).where(eq(lots.id, lotId));
    if (!lot || lot.status === "draft") throw new AppError("NOT_FOUND");
    const changed = follow
      ? await tx.insert(lotFollows).values({ userId: actor.id, lotId, createdAt: clock.now() }).onConflictDoNothing().returning({ lotId: lotFollows.lotId })
      : await tx
          .delete(lotFollows)
          .where(and(eq(lotFollows.userId, actor.id), eq(lotFollows.lotId, lotId)))
          .returning({ lotId: lotFollows.lotId });
    if (changed.length === 0) return;
    await appendAudit(tx, clock, { actorId: actor.id, action: follow ? "auction.lot_followed" : "auction.lot_unfollowed", entityType: "lot", entityId: lotId });
  });
}

/** Whether the signed-in user follows the lot (false for anyone else). */
export async function isFollowing(db: Db, actor: SessionUser | null, lotId: string): Promise<boolean> {
  if (!actor) return false;
  const [row] = await db
    .select({ lotId: lotFollows.lotId })
    .from(lotFollows)
    .where(and(eq(lotFollows.userId, actor.id), eq(lotFollows.lotId, lotId)));
  return row !== undefined;
}

/** Leaves the reminders that are due now: followers', the court's deadlines and viewings' (the minute job; idempotent). */
export async function sendReminders(db: Db, clock: Clock): Promise<{ reminders: number }> {
  const notices = [...(await followerReminders(db, clock)), ...(await deadlineReminders(db, clock)), ...(await viewingReminders(db, clock))];
  if (notices.length > 0) await db.transaction((tx) => notify(tx, clock, notices));
  return { reminders: notices.length };
}

/** Followers of lots starting within a day, or ending within the hour. They learn nothing of who registered (P4). */
async function followerReminders(db: Db, clock: Clock): Promise<NewNotice[]> {
  const now = clock.now();
  const soon = (ms: number) => new Date(now.getTime() + ms);
  const starting = await db
    .select({ userId: lotFollows.userId, lotId: lots.id })
    .from(lotFollows)
    .innerJoin(lots, eq(lots.id, lotFollows.lotId))
    .where(and(eq(lots.status, "published"), gt(lots.biddingStartsAt, now), lte(lots.biddingStartsAt, soon(STARTS_SOON_MS))));
  const ending = await db
    .select({ userId: lotFollows.userId, lotId: lots.id })
    .from(lotFollows)
    .innerJoin(lots, eq(lots.id, lotFollows.lotId))
    .where(and(eq(lots.status, "published"), lte(lots.biddingStartsAt, now), gt(lots.closesAt, now), lte(lots.closesAt, soon(ENDS_SOON_MS))));
  return [
    ...starting.map((r) => ({ userId: r.userId, kind: "lot_starts_soon" as const, lotId: r.lotId, dedupeKey: `starts:${r.lotId}` })),
    ...ending.map((r) => ({ userId: r.userId, kind: "lot_ends_soon" as const, lotId: r.lotId, dedupeKey: `ends:${r.lotId}` })),
  ];
}

/** The case's judge, a day before a sale ruling (E7) or a handover (E8) falls due (or at once, if it is nearer). */
async function deadlineReminders(db: Db, clock: Clock): Promise<NewNotice[]> {
  const horizon = new Date(clock.now().getTime() + DEADLINE_SOON_MS);
  const due = (when: SQL | undefined) =>
    db
      .select({ lotId: saleRulings.lotId, judgeId: cases.judgeId })
      .from(saleRulings)
      .innerJoin(lots, eq(lots.id, saleRulings.lotId))
      .innerJoin(assets, eq(assets.id, lots.assetId))
      .innerJoin(cases, eq(cases.id, assets.caseId))
      .where(and(eq(lots.status, "sold"), when));
  const rulings = await due(and(isNull(saleRulings.servedAt), lte(saleRulings.dueAt, horizon)));
  const handovers = await due(and(isNull(saleRulings.handedOverAt), lte(saleRulings.handoverDueAt, horizon)));
  return [
    ...rulings.map((r) => ({ userId: r.judgeId, kind: "ruling_due" as const, lotId: r.lotId, dedupeKey: `ruling_due:${r.lotId}` })),
    ...handovers.map((r) => ({ userId: r.judgeId, kind: "handover_due" as const, lotId: r.lotId, dedupeKey: `handover_due:${r.lotId}` })),
  ];
}

/** The titles of published lots, for the messages that name them (a lot's title is public once announced). */
export async function lotTitles(db: Db, lotIds: readonly string[]): Promise<Map<string, string>> {
  if (lotIds.length === 0) return new Map();
  const rows = await db.select({ id: lots.id, title: lots.title }).from(lots).where(inArray(lots.id, [...lotIds]));
  return new Map(rows.map((r) => [r.id, r.title]));
}
