import { and, asc, count, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { accountNotices, bidderProfiles, noticeDeliveries, users, type AccountNoticeKind, type NoticeChannel } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";

/** A delivery claimed for sending, with what a sender needs to write the message. */
export interface ClaimedDelivery {
  id: string;
  channel: NoticeChannel;
  noticeId: string;
  userId: string;
  kind: AccountNoticeKind;
  lotId: string | null;
  createdAt: Date;
  email: string | null;
  phone: string | null;
  /** The account's unread notices, for the bell (site channel). */
  unread: number;
}

/** How a channel sends; a channel without a sender is not claimed (e-mails stay in the outbox without SMTP). */
export type NoticeSenders = Partial<Record<NoticeChannel, (deliveries: readonly ClaimedDelivery[]) => Promise<PromiseSettledResult<unknown>[]>>>;

/** After this many failed attempts a delivery is given up (status failed), about a day after the first. */
export const DELIVERY_MAX_ATTEMPTS = 8;
const BATCH = 50;

/** 30 s, 1 min, 2 min, … capped at 6 hours: a mail server that is down for a while is retried without hammering it. */
const retryDelayMs = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 6 * 3_600_000);

/**
 * Sends what is due in the outbox, channel by channel, a batch at a time. Each batch is claimed FOR UPDATE SKIP
 * LOCKED in a transaction that also marks the outcome: however many nodes run this at once, a delivery is sent by
 * one of them, and a sent one is never sent again. A failure is retried later with a growing delay. (A node that
 * dies between sending and committing leaves the row pending, so that one message may go out twice: at least once,
 * never lost.)
 */
export async function deliverPendingNotices(db: Db, clock: Clock, senders: NoticeSenders): Promise<{ sent: number; failed: number }> {
  const totals = { sent: 0, failed: 0 };
  for (const [channel, send] of Object.entries(senders) as [NoticeChannel, NonNullable<NoticeSenders[NoticeChannel]>][]) {
    for (;;) {
      const batch = await deliverBatch(db, clock, channel, send);
      totals.sent += batch.sent;
      totals.failed += batch.failed;
      if (batch.claimed < BATCH) break;
    }
  }
  return totals;
}

async function deliverBatch(db: Db, clock: Clock, channel: NoticeChannel, send: NonNullable<NoticeSenders[NoticeChannel]>) {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const rows = await tx
      .select({ id: noticeDeliveries.id, attempts: noticeDeliveries.attempts, noticeId: accountNotices.id, userId: accountNotices.userId, kind: accountNotices.kind, lotId: accountNotices.lotId, createdAt: accountNotices.createdAt, email: users.email, phone: bidderProfiles.phone })
      .from(noticeDeliveries)
      .innerJoin(accountNotices, eq(accountNotices.id, noticeDeliveries.noticeId))
      .innerJoin(users, eq(users.id, accountNotices.userId))
      .leftJoin(bidderProfiles, eq(bidderProfiles.userId, users.id))
      .where(and(eq(noticeDeliveries.channel, channel), eq(noticeDeliveries.status, "pending"), lte(noticeDeliveries.nextAttemptAt, now)))
      .orderBy(asc(noticeDeliveries.nextAttemptAt))
      .limit(BATCH)
      .for("update", { of: noticeDeliveries, skipLocked: true });
    if (rows.length === 0) return { claimed: 0, sent: 0, failed: 0 };
    const unread = await unreadCounts(tx, channel === "site" ? rows.map((r) => r.userId) : []);
    const outcomes = await send(rows.map((r) => ({ ...r, channel, unread: unread.get(r.userId) ?? 0 })));
    let sent = 0;
    let failed = 0;
    for (const [i, row] of rows.entries()) {
      const outcome = outcomes[i];
      if (outcome?.status === "fulfilled") {
        sent += 1;
        await tx.update(noticeDeliveries).set({ status: "sent", sentAt: now, attempts: row.attempts + 1 }).where(eq(noticeDeliveries.id, row.id));
        continue;
      }
      failed += 1;
      const attempts = row.attempts + 1;
      const reason = outcome ? String((outcome.reason as Error)?.message ?? outcome.reason).slice(0, 500) : "not sent";
      await tx
        .update(noticeDeliveries)
        .set({ attempts, lastError: reason, status: attempts >= DELIVERY_MAX_ATTEMPTS ? "failed" : "pending", nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) })
        .where(eq(noticeDeliveries.id, row.id));
    }
    return { claimed: rows.length, sent, failed };
  });
}

async function unreadCounts(tx: Tx, userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx
    .select({ userId: accountNotices.userId, n: count() })
    .from(accountNotices)
    .where(and(inArray(accountNotices.userId, [...new Set(userIds)]), isNull(accountNotices.readAt)))
    .groupBy(accountNotices.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

/** What the outbox holds for an account's notices, for its page: waiting e-mails when the site has no mail server. */
export async function pendingEmailCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(noticeDeliveries)
    .innerJoin(accountNotices, eq(accountNotices.id, noticeDeliveries.noticeId))
    .where(and(eq(accountNotices.userId, userId), eq(noticeDeliveries.channel, "email"), eq(noticeDeliveries.status, "pending")));
  return row?.n ?? 0;
}
