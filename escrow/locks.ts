import { eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { lots } from "../auction/index.ts";

/**
 * First lock of an escrow transaction that touches a lot's money: the lot's row, as a bid and a close take it. Rows
 * that point at the lot (payments, transfers, outcomes) are then written without waiting on a bid that holds the
 * lot and waits for the audit chain (see lockAccounts in ledger.ts for the whole order).
 */
export async function lockLot(tx: Tx, lotId: string): Promise<void> {
  await tx.select({ id: lots.id }).from(lots).where(eq(lots.id, lotId)).for("update");
}
