import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { balancesDue, depositOutcomes, moneyOut, payments } from "../db/schema/index.ts";
import { lots } from "../auction/index.ts";
import { authorize, type SessionUser } from "../identity/index.ts";

// A bidder's own money, per lot (P14 for the payer): where each deposit stands and the balance still due (F3, P3).
// Only the payer reads this.

/** Where a deposit stands, in the bidder's words. */
export type DepositState = "paying" | "failed" | "refused" | "held" | "refund_on_way" | "refunded" | "applied" | "forfeited";

export interface BalanceView {
  priceFen: bigint;
  depositAppliedFen: bigint;
  amountFen: bigint;
  /** 24:00 Beijing time of the last day for payment. */
  dueAt: Date;
  status: "due" | "paid" | "defaulted" | "revoked";
  remindedAt: Date | null;
}

export interface LotMoneyOfBidder {
  lotId: string;
  lotTitle: string;
  depositFen: bigint;
  deposit: DepositState;
  balance: BalanceView | null;
  /** A balance payment has been started and not yet confirmed. */
  balancePaying: boolean;
}

type PaymentRow = typeof payments.$inferSelect;

function depositState(payment: PaymentRow, outcome: string | undefined, refund: string | undefined): DepositState {
  if (outcome === "released") return refund === "succeeded" ? "refunded" : "refund_on_way";
  if (outcome === "applied" || outcome === "forfeited") return outcome;
  if (payment.status === "succeeded") return "held";
  if (payment.status === "failed" || payment.status === "refused") return payment.status;
  return "paying";
}

/** The bidder's deposits and balances, newest first. */
export async function ownMoney(db: Db, actor: SessionUser): Promise<LotMoneyOfBidder[]> {
  authorize(actor, "lots.bid");
  const rows = await db
    .select({ payment: payments, lotTitle: lots.title })
    .from(payments)
    .innerJoin(lots, eq(lots.id, payments.lotId))
    .where(eq(payments.userId, actor.id))
    .orderBy(desc(payments.createdAt));
  const deposits = new Map<string, (typeof rows)[number]>();
  // The deposit that counts is the accepted one; otherwise the latest attempt.
  for (const r of rows.filter((r) => r.payment.kind === "deposit")) {
    const seen = deposits.get(r.payment.lotId);
    if (!seen || (seen.payment.status !== "succeeded" && r.payment.status === "succeeded")) deposits.set(r.payment.lotId, r);
  }
  const list = [...deposits.values()];
  if (list.length === 0) return [];
  const registrationIds = list.map((r) => r.payment.registrationId);
  const outcomes = await db.select().from(depositOutcomes).where(inArray(depositOutcomes.registrationId, registrationIds));
  const refunds = await db.select().from(moneyOut).where(and(eq(moneyOut.kind, "refund"), inArray(moneyOut.paymentId, list.map((r) => r.payment.id))));
  const dues = await db.select().from(balancesDue).where(eq(balancesDue.userId, actor.id));
  return list.map(({ payment, lotTitle }) => {
    const due = dues.find((d) => d.lotId === payment.lotId) ?? null;
    const outcome = outcomes.find((o) => o.registrationId === payment.registrationId);
    const refund = refunds.find((m) => m.paymentId === payment.id);
    return {
      lotId: payment.lotId,
      lotTitle,
      depositFen: payment.amountFen,
      deposit: depositState(payment, outcome?.outcome, refund?.status),
      balance: due && { priceFen: due.priceFen, depositAppliedFen: due.depositAppliedFen, amountFen: due.amountFen, dueAt: due.dueAt, status: due.status, remindedAt: due.remindedAt },
      balancePaying: rows.some((r) => r.payment.kind === "balance" && r.payment.lotId === payment.lotId && ["created", "requires_action", "processing"].includes(r.payment.status)),
    };
  });
}

/** The winner's balance for one lot, for its payment page; null when the bidder owes none there. */
export async function ownBalanceDue(db: Db, actor: SessionUser, lotId: string): Promise<(BalanceView & { lotTitle: string }) | null> {
  authorize(actor, "lots.bid");
  const [row] = await db
    .select({ due: balancesDue, lotTitle: lots.title })
    .from(balancesDue)
    .innerJoin(lots, eq(lots.id, balancesDue.lotId))
    .where(and(eq(balancesDue.lotId, lotId), eq(balancesDue.userId, actor.id)));
  if (!row) return null;
  const { due } = row;
  return { lotTitle: row.lotTitle, priceFen: due.priceFen, depositAppliedFen: due.depositAppliedFen, amountFen: due.amountFen, dueAt: due.dueAt, status: due.status, remindedAt: due.remindedAt };
}
