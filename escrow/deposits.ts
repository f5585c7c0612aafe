import { and, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { balancesDue, depositOutcomes, ledgerAccounts, payments, type DepositOutcome } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { endOfDays } from "../core/ruleset.ts";
import { lotForSettlement, lots, type LotForSettlement } from "../auction/index.ts";
import { accountKey, available, lockAccounts, transfer, type Account } from "./ledger.ts";
import { caseEscrowAccount, clearingAccount } from "./accounts.ts";
import { lockLot } from "./locks.ts";
import { requestMoneyOut } from "./money-out.ts";
import { inParallel } from "./in-parallel.ts";

/** Registrations settled at once: enough to overlap their round trips, few enough to leave the pool to bidding. */
const SETTLE_CONCURRENCY = 4;

// Where each deposit ends (ADR 019): released (F1, G6, P2), moved to the case's escrow and applied to the price (F2),
// or forfeited (F4). deposit_outcomes holds one row per registration, written in the transaction that moves the money,
// so a second run, a second node or a restart after a crash finds it and moves nothing twice.

/**
 * The registration's deposit account and the account its money goes to, locked in the escrow's order (the lot, then
 * accounts by id; see lockAccounts), with the deposit re-read under the lock; null when nothing was ever paid.
 */
async function lockedDeposit(tx: Tx, lotId: string, registrationId: string, to: () => Promise<Account>): Promise<{ deposit: Account; to: Account } | null> {
  await lockLot(tx, lotId);
  const [row] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, accountKey({ kind: "deposit", owner: registrationId })));
  if (!row) return null;
  const target = await to();
  await lockAccounts(tx, [row, target]);
  const [deposit] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, row.id));
  return { deposit: deposit!, to: target };
}

/**
 * Records the outcome once; false when the deposit already has one. The caller appends its audit event (auditOutcome)
 * after moving the money: a transfer locks its accounts before it appends to the audit chain, so a transaction that
 * appended first and then locked the clearing account would wait, in the opposite order, for one posting a refund.
 */
async function recordOutcome(tx: Tx, clock: Clock, registrationId: string, lotId: string, outcome: DepositOutcome, amountFen: bigint, reason: string): Promise<boolean> {
  const [row] = await tx
    .insert(depositOutcomes)
    .values({ registrationId, lotId, outcome, amountFen, reason, decidedAt: clock.now() })
    .onConflictDoNothing()
    .returning({ id: depositOutcomes.registrationId });
  return row !== undefined;
}

function auditOutcome(tx: Tx, clock: Clock, registrationId: string, lotId: string, outcome: DepositOutcome, amountFen: bigint, reason: string) {
  return appendAudit(tx, clock, { actorId: null, action: "escrow.deposit_settled", entityType: "registration", entityId: registrationId, data: { outcome, amountFen, reason, lotId } });
}

/**
 * Releases a registration's deposit: the whole of what it holds goes back to the payer (F1, G6, P2), through a refund
 * request whose ledger transfer is pending until the gateway confirms. Nothing happens when nothing was paid or the
 * deposit already has an outcome.
 */
export async function releaseDeposit(tx: Tx, clock: Clock, registrationId: string, lotId: string, reason: string): Promise<boolean> {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.registrationId, registrationId), eq(payments.kind, "deposit"), eq(payments.status, "succeeded")));
  if (!payment) return false;
  // Refunded through the gateway that took it.
  const locked = await lockedDeposit(tx, lotId, registrationId, () => clearingAccount(tx, clock, payment.gateway));
  const account = locked?.deposit;
  const amount = account ? available(account) : 0n;
  if (!account || amount <= 0n || !(await recordOutcome(tx, clock, registrationId, lotId, "released", amount, reason))) return false;
  await requestMoneyOut(tx, clock, {
    kind: "refund",
    key: `release:${registrationId}`,
    gatewayId: payment.gateway,
    from: account,
    amountFen: amount,
    payeeName: payment.holderName ?? payment.payerName ?? "",
    purpose: "deposit_released",
    caseId: payment.caseId,
    lotId,
    paymentId: payment.id,
  });
  await auditOutcome(tx, clock, registrationId, lotId, "released", amount, reason);
  return true;
}

/**
 * F2, F3, P3: the winner's deposit moves to the case's escrow and the balance falls due at 24:00 Beijing time of the
 * lot's last day for payment. The deposit's outcome waits for the balance: applied when paid, forfeited on default.
 */
async function moveWinnerDeposit(tx: Tx, clock: Clock, lot: LotForSettlement & { closedAt: Date; priceFen: bigint }, registrationId: string, userId: string): Promise<void> {
  const locked = await lockedDeposit(tx, lot.lotId, registrationId, () => caseEscrowAccount(tx, clock, lot.caseId));
  const held = locked ? available(locked.deposit) : 0n;
  if (locked && held > 0n) {
    await transfer(tx, clock, { idempotencyKey: `to-escrow:${registrationId}`, debit: locked.deposit, credit: locked.to, amountFen: held, purpose: "deposit_to_escrow", caseId: lot.caseId, lotId: lot.lotId });
  }
  const dueAt = endOfDays(lot.closedAt, lot.balanceDueDays);
  const [due] = await tx
    .insert(balancesDue)
    .values({ lotId: lot.lotId, registrationId, userId, caseId: lot.caseId, priceFen: lot.priceFen, depositAppliedFen: held, amountFen: lot.priceFen - held, dueAt, status: "due" })
    .onConflictDoNothing()
    .returning();
  if (due) {
    await appendAudit(tx, clock, {
      actorId: null,
      action: "escrow.balance_due",
      entityType: "lot",
      entityId: lot.lotId,
      data: { registrationId, priceFen: lot.priceFen, depositAppliedFen: held, amountFen: due.amountFen, dueAt },
    });
  }
}

/**
 * After the close (F1, F2): every losing deposit, and every deposit of an unsold lot, is released; the winner's moves
 * to the case's escrow. One transaction per registration, each idempotent. Does nothing for a lot still open.
 */
export async function settleLotDeposits(db: Db, clock: Clock, lotId: string): Promise<{ released: number }> {
  const lot = await lotForSettlement(db, lotId);
  if (!lot || (lot.status !== "sold" && lot.status !== "failed") || !lot.closedAt) return { released: 0 };
  let released = 0;
  // A few at a time: each transaction waits on its round trips and its commit, and a lot may have thousands.
  await inParallel(lot.registrations, SETTLE_CONCURRENCY, (reg) =>
    db.transaction(async (tx) => {
      if (reg.id === lot.winnerRegistrationId && lot.priceFen !== null) {
        await moveWinnerDeposit(tx, clock, { ...lot, closedAt: lot.closedAt!, priceFen: lot.priceFen }, reg.id, reg.userId);
      } else if (await releaseDeposit(tx, clock, reg.id, lotId, lot.status === "sold" ? "lost" : "unsold")) {
        released++;
      }
    }),
  );
  return { released };
}

/**
 * G6, P2: a suspension, stay, withdrawal or revocation releases every deposit of the lot that is not forfeited or
 * already settled. The auction context calls this when it builds those interventions.
 */
export async function releaseLotDeposits(db: Db, clock: Clock, lotId: string, reason: "suspended" | "stayed" | "withdrawn" | "revoked"): Promise<{ released: number }> {
  const lot = await lotForSettlement(db, lotId);
  if (!lot) return { released: 0 };
  let released = 0;
  for (const reg of lot.registrations) {
    if (await db.transaction((tx) => releaseDeposit(tx, clock, reg.id, lotId, reason))) released++;
  }
  return { released };
}

/**
 * The lots the sweep must settle: closed, with a paid deposit that has no outcome yet, or sold with no balance due
 * recorded. What a lost close job left undone is found here within a minute (F1's 24 hours hold regardless).
 */
export async function lotsAwaitingSettlement(db: Db): Promise<string[]> {
  const unsettled = await db
    .selectDistinct({ lotId: payments.lotId })
    .from(payments)
    .innerJoin(lots, eq(lots.id, payments.lotId))
    .leftJoin(depositOutcomes, eq(depositOutcomes.registrationId, payments.registrationId))
    .where(
      and(
        eq(payments.kind, "deposit"),
        eq(payments.status, "succeeded"),
        inArray(lots.status, ["sold", "failed"]),
        isNull(depositOutcomes.registrationId),
        // The winner's deposit waits for the balance once its balance is due.
        notExists(db.select({ x: sql`1` }).from(balancesDue).where(eq(balancesDue.registrationId, payments.registrationId))),
      ),
    );
  const soldWithoutBalance = await db
    .select({ lotId: lots.id })
    .from(lots)
    .leftJoin(balancesDue, eq(balancesDue.lotId, lots.id))
    .where(and(eq(lots.status, "sold"), isNull(balancesDue.lotId)));
  return [...new Set([...unsettled, ...soldWithoutBalance].map((r) => r.lotId))];
}
