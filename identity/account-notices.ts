import { desc, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { accountNotices, type AccountNoticeKind } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";

export interface AccountNotice {
  kind: AccountNoticeKind;
  lotId: string | null;
  createdAt: Date;
}

/** The account holder's notices, newest first, for the account page. */
export async function accountNoticesOf(db: DbOrTx, userId: string): Promise<AccountNotice[]> {
  return db
    .select({ kind: accountNotices.kind, lotId: accountNotices.lotId, createdAt: accountNotices.createdAt })
    .from(accountNotices)
    .where(eq(accountNotices.userId, userId))
    .orderBy(desc(accountNotices.createdAt))
    .limit(20);
}

/** Leaves a notice about a lot on each account, in the caller's transaction (G3: the affected bidders are told). */
export async function noticeAccounts(tx: Tx, clock: Clock, userIds: readonly string[], kind: Exclude<AccountNoticeKind, "identity_reuse_attempt">, lotId: string): Promise<void> {
  if (userIds.length === 0) return;
  await tx.insert(accountNotices).values(userIds.map((userId) => ({ userId, kind, lotId, createdAt: clock.now() })));
}
