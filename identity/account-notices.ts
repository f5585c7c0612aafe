import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { accountNotices, bidderProfiles, noticeDeliveries, users, type AccountNoticeKind, type NoticeChannel } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";

export interface AccountNotice {
  id: string;
  kind: AccountNoticeKind;
  lotId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** A notice to leave on an account. A `dedupeKey` makes it once per account (see `accountNotices.dedupeKey`). */
export interface NewNotice {
  userId: string;
  kind: AccountNoticeKind;
  lotId?: string | null;
  dedupeKey?: string | null;
}

/** Text messages cost the reader attention: only what needs acting on soon goes by SMS. */
const SMS_KINDS: ReadonlySet<AccountNoticeKind> = new Set(["lot_won", "lot_ends_soon"]);

/** The channels a notice goes out by, besides the site: e-mail when the account has an address, SMS for a few kinds. */
export function channelsFor(kind: AccountNoticeKind, contact: { email: string | null; phone: string | null }): NoticeChannel[] {
  return ["site", ...(contact.email ? (["email"] as const) : []), ...(contact.phone && SMS_KINDS.has(kind) ? (["sms"] as const) : [])];
}

/** The account holder's notices, newest first, for the notification centre. */
export async function accountNoticesOf(db: DbOrTx, userId: string, limit = 50): Promise<AccountNotice[]> {
  return db
    .select({ id: accountNotices.id, kind: accountNotices.kind, lotId: accountNotices.lotId, createdAt: accountNotices.createdAt, readAt: accountNotices.readAt })
    .from(accountNotices)
    .where(eq(accountNotices.userId, userId))
    .orderBy(desc(accountNotices.createdAt), desc(accountNotices.id))
    .limit(limit);
}

/** How many of the account's notices are unread (the bell's count). */
export async function unreadNoticeCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accountNotices).where(and(eq(accountNotices.userId, userId), isNull(accountNotices.readAt)));
  return row?.n ?? 0;
}

/** Marks every notice of the account read. An outbid alert's key is cleared, so the next outbid alerts again. */
export async function markNoticesRead(db: DbOrTx, clock: Clock, userId: string): Promise<void> {
  await db
    .update(accountNotices)
    .set({ readAt: clock.now(), dedupeKey: sql`case when ${accountNotices.kind} = 'outbid' then null else ${accountNotices.dedupeKey} end` })
    .where(and(eq(accountNotices.userId, userId), isNull(accountNotices.readAt)));
}

/**
 * Leaves notices in the caller's transaction, and queues their deliveries (site, e-mail, SMS) in the same one: a
 * notice is never delivered for a change that rolled back, and never lost for one that committed. A notice whose
 * `dedupeKey` the account already has is skipped.
 */
export async function notify(tx: Tx, clock: Clock, notices: readonly NewNotice[]): Promise<void> {
  if (notices.length === 0) return;
  const now = clock.now();
  const created = await tx
    .insert(accountNotices)
    .values(notices.map((n) => ({ userId: n.userId, kind: n.kind, lotId: n.lotId ?? null, dedupeKey: n.dedupeKey ?? null, createdAt: now })))
    .onConflictDoNothing()
    .returning({ id: accountNotices.id, userId: accountNotices.userId, kind: accountNotices.kind });
  if (created.length === 0) return;
  const contacts = await tx
    .select({ id: users.id, email: users.email, phone: bidderProfiles.phone })
    .from(users)
    .leftJoin(bidderProfiles, eq(bidderProfiles.userId, users.id))
    .where(inArray(users.id, [...new Set(created.map((c) => c.userId))]));
  const contactOf = new Map(contacts.map((c) => [c.id, c]));
  const deliveries = created.flatMap((n) =>
    channelsFor(n.kind, contactOf.get(n.userId) ?? { email: null, phone: null }).map((channel) => ({ noticeId: n.id, channel, nextAttemptAt: now, createdAt: now })),
  );
  await tx.insert(noticeDeliveries).values(deliveries);
}

/** One kind of notice about a lot to each account (G3: the affected bidders are told), in the caller's transaction. */
export async function noticeAccounts(tx: Tx, clock: Clock, userIds: readonly string[], kind: Exclude<AccountNoticeKind, "identity_reuse_attempt">, lotId: string): Promise<void> {
  await notify(
    tx,
    clock,
    userIds.map((userId) => ({ userId, kind, lotId })),
  );
}

/**
 * The outbid alert as one prepared statement, sent by the bid transaction among its other statements (no extra round
 * trip while the lot is locked): a notice for each outbid account, once until read (its dedupe key), and its
 * deliveries. Its channels are `channelsFor("outbid", …)`'s: the site, and e-mail when there is an address (an outbid
 * alert is never a text message). Parameters: user ids (text[]), lot id, instant (ISO).
 */
export const OUTBID_NOTICE_SQL = `with n as (
    insert into account_notices (user_id, kind, lot_id, dedupe_key, created_at)
    select u::uuid, 'outbid', $2::uuid, 'outbid:' || $2, $3::timestamptz from unnest($1::text[]) as u
    on conflict (user_id, dedupe_key) do nothing
    returning id, user_id)
  insert into notice_deliveries (notice_id, channel, next_attempt_at, created_at)
  select n.id, c.channel, $3::timestamptz, $3::timestamptz
  from n inner join users on users.id = n.user_id
  cross join lateral (values ('site'), (case when users.email is not null then 'email' end)) as c(channel)
  where c.channel is not null`;
