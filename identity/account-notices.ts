import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { accountNotices, type AccountNoticeKind } from "../db/schema/index.ts";

export interface AccountNotice {
  kind: AccountNoticeKind;
  createdAt: Date;
}

/** The account holder's notices, newest first, for the account page. */
export async function accountNoticesOf(db: DbOrTx, userId: string): Promise<AccountNotice[]> {
  return db
    .select({ kind: accountNotices.kind, createdAt: accountNotices.createdAt })
    .from(accountNotices)
    .where(eq(accountNotices.userId, userId))
    .orderBy(desc(accountNotices.createdAt))
    .limit(20);
}
