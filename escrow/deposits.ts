import { and, eq, inArray, isNotNull, isNull, notExists, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { balancesDue, depositOutcomes, ledgerAccounts, payments } from "../db/schema/index.ts";
import { appendAudit, appendAudits } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { endOfDays } from "../core/ruleset.ts";
import { lotForSettlement, lots, recordFullPayment, type LotForSettlement } from "../auction/index.ts";
import { accountKey, available, lockAccounts, transfer, type Account } from "./ledger.ts";
import { caseEscrowAccount, clearingAccounts } from "./accounts.ts";
import { lockLot } from "./locks.ts";
import { notify } from "../identity/index.ts";
import { requestMoneyOutMany } from "./money-out.ts";
import { depositApplied } from "./balances.ts";

/**
 * Deposits released in one transaction: enough that their round trips, locks and commit are shared, few enough that
 * the audit chain's lock, which every bid's commit also takes, is held for milliseconds, not seconds (ADR 020).
 */
const RELEASE_BATCH = 100;

// Where each deposit ends (ADR 019): released (F1, G6, P2), moved to the case's escrow and applied to the price (F2),
// or forfeited (F4). deposit_outcomes holds one row per registration, written in the transaction that moves the money,
// so a second run, a second node or a restart after a crash finds it and moves nothing twice.

/**
 * The registration's deposit account and the account its money goes to, locked in the escrow's order (the lot, then
 * accounts by id; see lockAccounts) and read under the lock; null when nothing was ever paid.
 */
async function lockedDeposit(tx: Tx, lotId: string, registrationId: string, to: () => Promise<Account>): Promise<{ deposit: Account; to: Account } | null> {
  await lockLot(tx, lotId);
  const [row] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, accountKey({ kind: "deposit", owner: registrationId })));
  if (!row) return null;
  const target = await to();
  const locked = await lockAccounts(tx, [row, target]);
  return { deposit: locked.find((a) => a.id === row.id)!, to: target };
}

/**
 * Releases the registrations' deposits: the whole of what each holds goes back to its payer (F1, G6, P2), through a
 * refund request whose ledger transfer is pending until the gateway confirms. A deposit never paid, or with an outcome
 * already (deposit_outcomes: one row per registration), is left alone. Returns how many were released.
 */
async function releaseDeposits(tx: Tx, clock: Clock, lotId: string, registrationIds: readonly string[], reason: string): Promise<number> {
  await lockLot(tx, lotId);
  const paid = await tx
    .select()
    .from(payments)
    .where(and(inArray(payments.registrationId, [...registrationIds]), eq(payments.kind, "deposit"), eq(payments.status, "succeeded")));
  if (paid.length === 0) return 0;
  const deposits = await tx
    .select()
    .from(ledgerAccounts)
    .where(inArray(ledgerAccounts.key, paid.map((p) => accountKey({ kind: "deposit", owner: p.registrationId }))));
  // Refunded through the gateway that took it. The clearing accounts the refunds will use are locked with the
  // deposits, in one statement in id order: a refund posting locks a deposit and its clearing account in id order too.
  const gatewayOf = new Map(paid.map((p) => [accountKey({ kind: "deposit", owner: p.registrationId }), p.gateway]));
  const clearing = await clearingAccounts(tx, clock, deposits.map((d) => ({ gatewayId: gatewayOf.get(d.key)!, counterpart: d })));
  const locked = new Map((await lockAccounts(tx, [...deposits, ...clearing])).map((a) => [a.key, a]));
  const now = clock.now();
  const due = paid.flatMap((payment) => {
    const account = locked.get(accountKey({ kind: "deposit", owner: payment.registrationId }));
    const amountFen = account ? available(account) : 0n;
    return account && amountFen > 0n ? [{ payment, account, amountFen }] : [];
  });
  if (due.length === 0) return 0;
  const recorded = await tx
    .insert(depositOutcomes)
    .values(due.map((d) => ({ registrationId: d.payment.registrationId, lotId, outcome: "released" as const, amountFen: d.amountFen, reason, decidedAt: now })))
    .onConflictDoNothing()
    .returning({ registrationId: depositOutcomes.registrationId });
  const fresh = new Set(recorded.map((r) => r.registrationId));
  const released = due.filter((d) => fresh.has(d.payment.registrationId));
  await requestMoneyOutMany(
    tx,
    clock,
    released.map(({ payment, account, amountFen }) => ({
      kind: "refund" as const,
      key: `release:${payment.registrationId}`,
      gatewayId: payment.gateway,
      from: account,
      amountFen,
      payeeName: payment.holderName ?? payment.payerName ?? "",
      purpose: "deposit_released" as const,
      caseId: payment.caseId,
      lotId,
      paymentId: payment.id,
    })),
  );
  await appendAudits(
    tx,
    clock,
    released.map(({ payment, amountFen }) => ({
      actorId: null,
      action: "escrow.deposit_settled",
      entityType: "registration",
      entityId: payment.registrationId,
      data: { outcome: "released", amountFen, reason, lotId },
    })),
  );
  await notify(
    tx,
    clock,
    released.map(({ payment }) => ({ userId: payment.userId, kind: "deposit_released" as const, lotId })),
  );
  return released.length;
}

/**
 * Releases deposits RELEASE_BATCH at a time, one transaction each: a lot may have thousands, and one transaction per
 * deposit spent most of its time waiting for the lot's lock and the audit chain's, one commit after another.
 */
async function releaseInBatches(db: Db, clock: Clock, lotId: string, registrationIds: readonly string[], reason: string): Promise<number> {
  let released = 0;
  for (let i = 0; i < registrationIds.length; i += RELEASE_BATCH) {
    const batch = registrationIds.slice(i, i + RELEASE_BATCH);
    released += await db.transaction((tx) => releaseDeposits(tx, clock, lotId, batch, reason));
  }
  return released;
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
  // F9: a sale-off's buyer prepaid the full price; with no higher bid nothing is left to pay, and the sale is paid.
  const prepaid = lot.priceFen - held === 0n;
  const [due] = await tx
    .insert(balancesDue)
    .values({
      lotId: lot.lotId,
      registrationId,
      userId,
      caseId: lot.caseId,
      priceFen: lot.priceFen,
      depositAppliedFen: held,
      forfeitableFen: lot.forfeitCapFen !== null && lot.forfeitCapFen < held ? lot.forfeitCapFen : held,
      amountFen: lot.priceFen - held,
      dueAt,
      status: prepaid ? "paid" : "due",
      settledAt: prepaid ? clock.now() : null,
    })
    .onConflictDoNothing()
    .returning();
  if (due && prepaid) {
    await depositApplied(tx, clock, due, "prepaid_in_full");
    await recordFullPayment(tx, clock, lot.lotId, false);
  }
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
 * to the case's escrow. A withdrawal, or a hold that lasted its day, releases every deposit (P2). Idempotent: a second run moves
 * nothing. Does nothing for a lot still open.
 */
export async function settleLotDeposits(db: Db, clock: Clock, lotId: string): Promise<{ released: number }> {
  const lot = await lotForSettlement(db, lotId);
  if (!lot) return { released: 0 };
  const heldPastItsDay = (lot.status === "suspended" || lot.status === "stayed") && lot.holdDepositsReleasedAt !== null;
  if (lot.status === "withdrawn" || lot.status === "revoked" || heldPastItsDay) return { released: await releaseInBatches(db, clock, lotId, lot.registrations.map((r) => r.id), lot.status) };
  // A defaulted lot was sold: its losers' deposits go back as any sold lot's; the winner's was forfeited (F4).
  const sold = lot.status === "sold" || lot.status === "defaulted";
  if ((!sold && lot.status !== "failed") || !lot.closedAt) return { released: 0 };
  const winner = lot.priceFen !== null ? lot.winnerRegistrationId : null;
  if (winner) {
    const winning = lot.registrations.find((r) => r.id === winner)!;
    await db.transaction((tx) => moveWinnerDeposit(tx, clock, { ...lot, closedAt: lot.closedAt!, priceFen: lot.priceFen! }, winner, winning.userId));
  }
  const others = lot.registrations.filter((r) => r.id !== winner).map((r) => r.id);
  return { released: await releaseInBatches(db, clock, lotId, others, sold ? "lost" : "unsold") };
}

/**
 * G6, P2: a suspension, stay, withdrawal or revocation releases every deposit of the lot that is not forfeited or
 * already settled. The auction context calls this when it builds those interventions.
 */
export async function releaseLotDeposits(db: Db, clock: Clock, lotId: string, reason: "suspended" | "stayed" | "withdrawn" | "revoked"): Promise<{ released: number }> {
  const lot = await lotForSettlement(db, lotId);
  if (!lot) return { released: 0 };
  return { released: await releaseInBatches(db, clock, lotId, lot.registrations.map((r) => r.id), reason) };
}

/**
 * The lots the sweep must settle: closed, withdrawn or held past its day (P2), with a paid deposit that has no outcome yet, or sold with no balance due
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
        or(inArray(lots.status, ["sold", "failed", "withdrawn", "defaulted", "revoked"]), and(inArray(lots.status, ["suspended", "stayed"]), isNotNull(lots.holdDepositsReleasedAt))),
        isNull(depositOutcomes.registrationId),
        // The winner's deposit waits for the balance once its balance is due.
        notExists(db.select({ x: sql`1` }).from(balancesDue).where(eq(balancesDue.registrationId, payments.registrationId))),
      ),
    );
  const soldWithoutBalance = await db
    .select({ lotId: lots.id })
    .from(lots)
    .leftJoin(balancesDue, eq(balancesDue.lotId, lots.id))
    // Only one with a winner: without one there is nothing to settle, and it would be picked again every minute.
    .where(and(eq(lots.status, "sold"), isNotNull(lots.winnerRegistrationId), isNull(balancesDue.lotId)));
  return [...new Set([...unsettled, ...soldWithoutBalance].map((r) => r.lotId))];
}
