import { and, eq, isNull, lt, lte } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { balancesDue, depositOutcomes, payments } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { recordDefault, recordFullPayment } from "../auction/index.ts";
import { caseEscrowAccount } from "./accounts.ts";
import { lockLot } from "./locks.ts";
import { requestMoneyOut } from "./money-out.ts";

// The winner's balance (F3, P3): due at the lot's deadline, reminded before it, paid in full or defaulted (F4, C8).

/** Reminders go out this long before the deadline. */
export const REMINDER_BEFORE_MS = 3 * 24 * 60 * 60 * 1000;

type Payment = typeof payments.$inferSelect;

/**
 * The balance has landed (its payment succeeded and is booked to the case's escrow): the sale is paid in full and the
 * winner's deposit is applied to the price (F1). A balance landing after a default is not accepted: it is refunded.
 */
export async function markBalancePaid(tx: Tx, clock: Clock, payment: Payment): Promise<void> {
  const [due] = await tx.select().from(balancesDue).where(eq(balancesDue.lotId, payment.lotId)).for("update");
  if (!due || due.status !== "due") {
    await requestMoneyOut(tx, clock, {
      kind: "refund",
      key: `refund-late-balance:${payment.id}`,
      gatewayId: payment.gateway,
      from: await caseEscrowAccount(tx, clock, payment.caseId),
      amountFen: payment.amountFen,
      payeeName: payment.holderName ?? "",
      purpose: "correction",
      caseId: payment.caseId,
      lotId: payment.lotId,
      paymentId: payment.id,
    });
    return;
  }
  await tx.update(balancesDue).set({ status: "paid", settledAt: clock.now() }).where(eq(balancesDue.lotId, due.lotId));
  await appendAudit(tx, clock, { actorId: null, action: "escrow.balance_paid", entityType: "lot", entityId: due.lotId, data: { paymentId: payment.id, amountFen: payment.amountFen } });
  await depositApplied(tx, clock, due, "paid_in_full");
  // E7: paid in full, the sale's ruling falls due.
  await recordFullPayment(tx, clock, due.lotId, true);
}

/** F1: the price is paid in full and the winner's deposit counts towards it. */
export async function depositApplied(tx: Tx, clock: Clock, due: typeof balancesDue.$inferSelect, reason: string): Promise<void> {
  if (due.depositAppliedFen > 0n) await outcome(tx, clock, due, "applied", reason);
}

async function outcome(tx: Tx, clock: Clock, due: typeof balancesDue.$inferSelect, kind: "applied" | "forfeited", reason: string, amountFen = due.depositAppliedFen) {
  const [row] = await tx
    .insert(depositOutcomes)
    .values({ registrationId: due.registrationId, lotId: due.lotId, outcome: kind, amountFen, reason, decidedAt: clock.now() })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await appendAudit(tx, clock, {
      actorId: null,
      action: "escrow.deposit_settled",
      entityType: "registration",
      entityId: due.registrationId,
      data: { outcome: kind, amountFen, reason, lotId: due.lotId },
    });
  }
}

/**
 * F4, C8: the deadline passed unpaid. The whole deposit, already in the case's escrow (F2), is forfeited there and
 * applied through the distribution in F4's order (costs first); the default is recorded so the defaulter is barred
 * from the asset's later lots. Idempotent.
 */
async function defaultBalance(tx: Tx, clock: Clock, lotId: string): Promise<boolean> {
  await lockLot(tx, lotId);
  const [due] = await tx.select().from(balancesDue).where(eq(balancesDue.lotId, lotId)).for("update");
  // The deadline's own instant (24:00 of the last day) still belongs to the period.
  if (!due || due.status !== "due" || clock.now().getTime() <= due.dueAt.getTime()) return false;
  await tx.update(balancesDue).set({ status: "defaulted", settledAt: clock.now() }).where(eq(balancesDue.lotId, lotId));
  if (due.forfeitableFen > 0n) await outcome(tx, clock, due, "forfeited", "default", due.forfeitableFen);
  await refundPrepaidRest(tx, clock, due);
  await recordDefault(tx, clock, lotId, due.registrationId);
  await appendAudit(tx, clock, {
    actorId: null,
    action: "escrow.balance_defaulted",
    entityType: "lot",
    entityId: lotId,
    data: { registrationId: due.registrationId, forfeitedFen: due.forfeitableFen, dueAt: due.dueAt },
  });
  return true;
}

/** F9: a sale-off's defaulter forfeits the deposit portion; the rest of the prepaid price goes back to where it came from. */
async function refundPrepaidRest(tx: Tx, clock: Clock, due: typeof balancesDue.$inferSelect): Promise<void> {
  const restFen = due.depositAppliedFen - due.forfeitableFen;
  if (restFen <= 0n) return;
  const [deposit] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.registrationId, due.registrationId), eq(payments.kind, "deposit"), eq(payments.status, "succeeded")));
  await requestMoneyOut(tx, clock, {
    kind: "refund",
    key: `refund-prepaid-rest:${due.registrationId}`,
    gatewayId: deposit!.gateway,
    from: await caseEscrowAccount(tx, clock, due.caseId),
    amountFen: restFen,
    payeeName: deposit!.holderName ?? deposit!.payerName ?? "",
    purpose: "deposit_released",
    caseId: due.caseId,
    lotId: due.lotId,
    paymentId: deposit!.id,
  });
}

/** The minute sweep: reminders due, and defaults whose deadline has passed. */
export async function sweepBalances(db: Db, clock: Clock): Promise<{ reminded: number; defaulted: number }> {
  const now = clock.now();
  const toRemind = await db
    .select({ lotId: balancesDue.lotId, dueAt: balancesDue.dueAt })
    .from(balancesDue)
    .where(and(eq(balancesDue.status, "due"), isNull(balancesDue.remindedAt), lte(balancesDue.dueAt, new Date(now.getTime() + REMINDER_BEFORE_MS))));
  let reminded = 0;
  for (const r of toRemind) {
    await db.transaction(async (tx) => {
      const [row] = await tx.update(balancesDue).set({ remindedAt: now }).where(and(eq(balancesDue.lotId, r.lotId), isNull(balancesDue.remindedAt))).returning();
      if (row) {
        reminded++;
        await appendAudit(tx, clock, { actorId: null, action: "escrow.balance_reminded", entityType: "lot", entityId: r.lotId, data: { dueAt: r.dueAt } });
      }
    });
  }
  const overdue = await db.select({ lotId: balancesDue.lotId }).from(balancesDue).where(and(eq(balancesDue.status, "due"), lt(balancesDue.dueAt, now)));
  let defaulted = 0;
  for (const r of overdue) if (await db.transaction((tx) => defaultBalance(tx, clock, r.lotId))) defaulted++;
  return { reminded, defaulted };
}
