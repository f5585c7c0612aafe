import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { balancesDue, payments, type PaymentKind } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { confirmDeposit, depositToPay } from "../auction/index.ts";
import { authorize, notify, type SessionUser } from "../identity/index.ts";
import { caseEscrowAccount, clearingAccount, depositAccount } from "./accounts.ts";
import type { GatewayEvent, PaymentGateway } from "./gateway.ts";
import { lockAccounts, transfer } from "./ledger.ts";
import { lockLot } from "./locks.ts";
import { markBalancePaid } from "./balances.ts";
import { requestMoneyOut } from "./money-out.ts";

// Payments into the platform: a bidder's deposit (C2) and a winner's balance (F3, P3). Starting one records it and
// asks the gateway; the gateway's webhook settles it (escrow/webhooks.ts → settlePayment). One open payment per
// registration and kind (a unique index), so a double click on "pay" makes one payment.

export type Payment = typeof payments.$inferSelect;

export interface StartedPayment {
  paymentId: string;
  status: Payment["status"];
  /** Where the payer completes the payment (the gateway's checkout page). */
  redirectUrl: string | null;
}

interface PaymentPlan {
  kind: PaymentKind;
  registrationId: string;
  lotId: string;
  caseId: string;
  amountFen: bigint;
  payerName: string | null;
  description: string;
}

/** Starts (or returns the open) deposit payment for the bidder's registration. */
export async function startDepositPayment(db: Db, clock: Clock, gateway: PaymentGateway, actor: SessionUser, lotId: string, returnUrl: string): Promise<StartedPayment> {
  const due = await depositToPay(db, clock, actor, lotId);
  return start(db, clock, gateway, actor, returnUrl, { kind: "deposit", ...due, description: `保证金 ${due.lotTitle}` });
}

/** Starts (or returns the open) balance payment of the lot's winner (F3, P3). */
export async function startBalancePayment(db: Db, clock: Clock, gateway: PaymentGateway, actor: SessionUser, lotId: string, returnUrl: string): Promise<StartedPayment> {
  authorize(actor, "lots.bid");
  const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lotId));
  if (!due || due.userId !== actor.id || due.status !== "due") throw new AppError("NO_BALANCE_DUE");
  return start(db, clock, gateway, actor, returnUrl, {
    kind: "balance",
    registrationId: due.registrationId,
    lotId,
    caseId: due.caseId,
    amountFen: due.amountFen,
    payerName: null,
    description: `成交余款 ${lotId}`,
  });
}

async function start(db: Db, clock: Clock, gateway: PaymentGateway, actor: SessionUser, returnUrl: string, plan: PaymentPlan): Promise<StartedPayment> {
  if (plan.amountFen <= 0n) throw new AppError("INVALID_AMOUNT");
  const payment = await openPayment(db, clock, gateway, actor, plan);
  if (payment.status === "succeeded") return { paymentId: payment.id, status: payment.status, redirectUrl: null };
  if (payment.status === "processing") throw new AppError("PAYMENT_IN_PROGRESS");
  // Same idempotency key on a retry: the gateway returns the intent it made the first time.
  const remote = await gateway.createPayment({ idempotencyKey: `payment:${payment.id}`, amountFen: payment.amountFen, reference: payment.id, description: plan.description, returnUrl });
  if (payment.providerRef !== remote.providerRef) {
    await db.update(payments).set({ providerRef: remote.providerRef, updatedAt: clock.now() }).where(eq(payments.id, payment.id));
  }
  return { paymentId: payment.id, status: payment.status, redirectUrl: remote.redirectUrl };
}

/** The open payment for this registration and kind, or a new one (audited). */
async function openPayment(db: Db, clock: Clock, gateway: PaymentGateway, actor: SessionUser, plan: PaymentPlan): Promise<Payment> {
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [created] = await tx
      .insert(payments)
      .values({
        kind: plan.kind,
        gateway: gateway.id,
        registrationId: plan.registrationId,
        lotId: plan.lotId,
        caseId: plan.caseId,
        userId: actor.id,
        amountFen: plan.amountFen,
        payerName: plan.payerName,
        status: "created",
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const [open] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.registrationId, plan.registrationId), eq(payments.kind, plan.kind), inArray(payments.status, ["created", "requires_action", "processing", "succeeded"])));
      return open!;
    }
    // The audit names no one: who pays for which lot is sealed until the close (P4), like the registration.
    await appendAudit(tx, clock, {
      actorId: null,
      action: "escrow.payment_started",
      entityType: "payment",
      entityId: created.id,
      data: { kind: plan.kind, gateway: gateway.id, registrationId: plan.registrationId, lotId: plan.lotId, amountFen: plan.amountFen },
    });
    return created;
  });
}

/** The payment a gateway event is about (by the provider's reference, or by ours). */
async function paymentOf(tx: Tx, event: GatewayEvent): Promise<Payment | null> {
  const [byRef] = await tx.select().from(payments).where(eq(payments.providerRef, event.providerRef));
  if (byRef || !event.reference) return byRef ?? null;
  const [byOurs] = await tx.select().from(payments).where(eq(payments.id, event.reference));
  return byOurs ?? null;
}

/** Names compare without spaces and case: "张 三" is 张三, "ZHANG San" is "Zhang San". */
const sameName = (a: string, b: string) => a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();

/**
 * Applies a payment event. Only a payment still open moves: a late "failed" after "succeeded", or a second
 * "succeeded", changes nothing. A success books the money first (it has arrived whatever the platform decides), then
 * either admits it — the deposit activates the registration (C4), the balance completes the sale (F3) — or refunds it.
 */
export async function settlePayment(db: Db, clock: Clock, gateway: PaymentGateway, event: GatewayEvent): Promise<void> {
  await db.transaction(async (tx) => {
    const found = await paymentOf(tx, event);
    if (!found) return;
    // Lock order (lockAccounts in ledger.ts): the lot, then the payment, then the accounts.
    await lockLot(tx, found.lotId);
    const [payment] = await tx.select().from(payments).where(eq(payments.id, found.id)).for("update");
    if (!payment || !["created", "requires_action", "processing"].includes(payment.status)) return;
    const now = clock.now();
    if (event.type === "payment.requires_action" || event.type === "payment.processing") {
      await tx.update(payments).set({ status: event.type === "payment.processing" ? "processing" : "requires_action", updatedAt: now }).where(eq(payments.id, payment.id));
      return;
    }
    if (event.type === "payment.failed") {
      await tx.update(payments).set({ status: "failed", failureCode: event.failureCode ?? "failed", updatedAt: now }).where(eq(payments.id, payment.id));
      await audited(tx, clock, payment, "failed", event.failureCode ?? "failed", event.id);
      return;
    }
    if (event.type !== "payment.succeeded") return;
    if (event.amountFen !== payment.amountFen) throw new AppError("CONFLICT", { details: { reason: "amount differs from the payment" } });
    const holder = event.holderName ?? "";
    await tx.update(payments).set({ holderName: holder, providerRef: event.providerRef, updatedAt: now }).where(eq(payments.id, payment.id));
    if (payment.kind === "deposit") await settleDeposit(tx, clock, gateway, payment, holder, event.id);
    else await settleBalance(tx, clock, gateway, payment, event.id);
  });
}

async function settleDeposit(tx: Tx, clock: Clock, gateway: PaymentGateway, payment: Payment, holder: string, eventId: string) {
  const account = await depositAccount(tx, clock, payment.registrationId, payment.caseId);
  const clearing = await clearingAccount(tx, clock, gateway.id, account);
  await lockAccounts(tx, [account, clearing]);
  await transfer(tx, clock, { idempotencyKey: `payment:${payment.id}`, debit: clearing, credit: account, amountFen: payment.amountFen, purpose: "deposit_paid", caseId: payment.caseId, lotId: payment.lotId, paymentId: payment.id });
  // C2, P11: the deposit must come from an instrument in the bidder's own name.
  let refusal: string | null = sameName(holder, payment.payerName ?? "") ? null : "DEPOSIT_HOLDER_MISMATCH";
  if (!refusal) {
    try {
      // A savepoint: a refusal here leaves the booking above, and the refund below, in the transaction.
      await tx.transaction((sp) => confirmDeposit(sp, clock, payment.registrationId, payment.id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refusal = error.code;
    }
  }
  if (refusal) {
    // The money goes back in full; the registration stays unpaid, and the bidder may pay again in their own name.
    await requestMoneyOut(tx, clock, {
      kind: "refund",
      key: `refund-refused:${payment.id}`,
      gatewayId: gateway.id,
      from: account,
      amountFen: payment.amountFen,
      payeeName: holder,
      purpose: "deposit_released",
      caseId: payment.caseId,
      lotId: payment.lotId,
      paymentId: payment.id,
    });
  }
  await tx.update(payments).set({ status: refusal ? "refused" : "succeeded", failureCode: refusal, updatedAt: clock.now() }).where(eq(payments.id, payment.id));
  await audited(tx, clock, payment, refusal ? "refused" : "succeeded", refusal, eventId);
  if (!refusal) await notify(tx, clock, [{ userId: payment.userId, kind: "deposit_received", lotId: payment.lotId }]);
}

async function settleBalance(tx: Tx, clock: Clock, gateway: PaymentGateway, payment: Payment, eventId: string) {
  await tx.select({ lotId: balancesDue.lotId }).from(balancesDue).where(eq(balancesDue.lotId, payment.lotId)).for("update");
  const escrow = await caseEscrowAccount(tx, clock, payment.caseId);
  const clearing = await clearingAccount(tx, clock, gateway.id, escrow);
  await lockAccounts(tx, [escrow, clearing]);
  await transfer(tx, clock, { idempotencyKey: `payment:${payment.id}`, debit: clearing, credit: escrow, amountFen: payment.amountFen, purpose: "balance_paid", caseId: payment.caseId, lotId: payment.lotId, paymentId: payment.id });
  await tx.update(payments).set({ status: "succeeded", updatedAt: clock.now() }).where(eq(payments.id, payment.id));
  await audited(tx, clock, payment, "succeeded", null, eventId);
  await markBalancePaid(tx, clock, payment);
}

function audited(tx: Tx, clock: Clock, payment: Payment, status: "succeeded" | "failed" | "refused", failureCode: string | null, gatewayEvent: string) {
  return appendAudit(tx, clock, { actorId: null, action: "escrow.payment_settled", entityType: "payment", entityId: payment.id, data: { status, failureCode, gatewayEvent } });
}

/** The payer's latest payment of this kind for a lot, for the payment page: its status and why it failed. */
export async function latestPayment(db: Db, actor: SessionUser, lotId: string, kind: PaymentKind) {
  const [row] = await db
    .select({ id: payments.id, status: payments.status, amountFen: payments.amountFen, failureCode: payments.failureCode, providerRef: payments.providerRef, gateway: payments.gateway })
    .from(payments)
    .where(and(eq(payments.userId, actor.id), eq(payments.lotId, lotId), eq(payments.kind, kind)))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return row ?? null;
}
