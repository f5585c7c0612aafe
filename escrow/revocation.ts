import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { balancesDue, depositOutcomes, distributions, payments } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { recordRevocation, type revokeSchema } from "../auction/index.ts";
import type { SessionUser } from "../identity/index.ts";
import { caseEscrowAccount } from "./accounts.ts";
import { releaseLotDeposits } from "./deposits.ts";
import { lockLot } from "./locks.ts";
import { requestMoneyOutMany, type MoneyOutRequest } from "./money-out.ts";
import type { z } from "zod";

// A revoked sale (撤销, G7, I5) unwinds its money (P2): what the buyer paid towards the price, the deposit moved to the
// case's escrow (F2) and any balance, goes back through the gateway that took it; every other deposit still held is
// released. Once the case's proceeds are distributed the money has left the escrow, and the sale is not revoked here.

/**
 * The court revokes a sale: the lot's step (auction), the buyer's refund and the balance's end in one transaction,
 * then the release of any deposit still held. Returns the drafted re-auction.
 */
export async function revokeSale(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof revokeSchema>): Promise<{ nextLotId: string | null }> {
  const result = await db.transaction(async (tx) => {
    await lockLot(tx, lotId);
    const [due] = await tx.select().from(balancesDue).where(eq(balancesDue.lotId, lotId)).for("update");
    const revoked = await recordRevocation(tx, clock, actor, lotId, input, due?.status ?? null);
    const [distributed] = await tx
      .select({ id: distributions.id })
      .from(distributions)
      .where(and(eq(distributions.caseId, revoked.caseId), inArray(distributions.status, ["approved", "paid"])))
      .limit(1);
    if (distributed) throw new AppError("REVOCATION_AFTER_DISTRIBUTION");
    if (due) await refundBuyer(tx, clock, due);
    return revoked;
  });
  // Losers' deposits went back at the close (F1); a winner whose deposit never reached the escrow gets it back here.
  await releaseLotDeposits(db, clock, lotId, "revoked");
  return { nextLotId: result.nextLotId };
}

type Due = typeof balancesDue.$inferSelect;

/** P2: the buyer's deposit (held in the case's escrow since F2) and any balance paid go back, each to where it came from. */
async function refundBuyer(tx: Tx, clock: Clock, due: Due): Promise<void> {
  const paid = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.registrationId, due.registrationId), eq(payments.status, "succeeded"), inArray(payments.kind, ["deposit", "balance"])));
  const escrow = await caseEscrowAccount(tx, clock, due.caseId);
  const refund = (payment: (typeof paid)[number], amountFen: bigint): MoneyOutRequest => ({
    kind: "refund",
    key: `revoked:${payment.id}`,
    gatewayId: payment.gateway,
    from: escrow,
    amountFen,
    payeeName: payment.holderName ?? payment.payerName ?? "",
    purpose: "sale_revoked",
    caseId: due.caseId,
    lotId: due.lotId,
    paymentId: payment.id,
  });
  const deposit = paid.find((p) => p.kind === "deposit");
  const requests = [
    ...(deposit && due.depositAppliedFen > 0n ? [refund(deposit, due.depositAppliedFen)] : []),
    ...(due.status === "paid" ? paid.filter((p) => p.kind === "balance").map((p) => refund(p, p.amountFen)) : []),
  ];
  await requestMoneyOutMany(tx, clock, requests);
  // A deposit still waiting for its balance ends released; one already applied to the price (paid) keeps that outcome.
  if (due.status === "due" && due.depositAppliedFen > 0n) {
    const [released] = await tx
      .insert(depositOutcomes)
      .values({ registrationId: due.registrationId, lotId: due.lotId, outcome: "released", amountFen: due.depositAppliedFen, reason: "revoked", decidedAt: clock.now() })
      .onConflictDoNothing()
      .returning();
    if (released) {
      const data = { outcome: "released" as const, amountFen: due.depositAppliedFen, reason: "revoked", lotId: due.lotId };
      await appendAudit(tx, clock, { actorId: null, action: "escrow.deposit_settled", entityType: "registration", entityId: due.registrationId, data });
    }
  }
  await tx.update(balancesDue).set({ status: "revoked", settledAt: clock.now() }).where(eq(balancesDue.lotId, due.lotId));
  const refundFen = requests.reduce((sum, r) => sum + r.amountFen, 0n);
  await appendAudit(tx, clock, { actorId: null, action: "escrow.sale_refunded", entityType: "lot", entityId: due.lotId, data: { registrationId: due.registrationId, refundFen } });
}
