import { and, eq, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client.ts";
import { moneyOut, payments, type TransferPurpose } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { clearingAccounts } from "./accounts.ts";
import type { GatewayTransfer, PaymentGateway } from "./gateway.ts";
import { accountById, settlePending, transfer, transferByKey, transferMany, type Account } from "./ledger.ts";
import { inParallel } from "./in-parallel.ts";

// Money leaving through the gateway: a deposit's refund (F1, G6, P2) or a distribution's payout (H8). Requesting it
// reserves the money at once (a pending transfer to the clearing account), in the caller's transaction; a job sends
// it; the provider's answer or webhook posts the transfer, or voids it so the money shows as held again and the
// request is retried under a new attempt number. Each attempt has its own ledger and gateway idempotency key.

export type MoneyOut = typeof moneyOut.$inferSelect;
/** Sending stops after this many failed attempts; the reconciliation report lists what is left. */
export const MAX_ATTEMPTS = 5;
/** Requests sent to the gateway at once by the sweep: a provider answers each call in its own time, over the network. */
const SEND_CONCURRENCY = 16;
/** Answers recorded per update by the sweep. */
const SEND_BATCH = 100;

export interface MoneyOutRequest {
  kind: "refund" | "payout";
  /** Unique for what is paid out, e.g. `release:<registrationId>`; a second request with it changes nothing. */
  key: string;
  gatewayId: string;
  from: Account;
  amountFen: bigint;
  payeeName: string;
  purpose: TransferPurpose;
  caseId: string | null;
  lotId?: string | null;
  paymentId?: string | null;
  distributionLineId?: string | null;
}

const attemptKey = (row: Pick<MoneyOut, "idempotencyKey" | "attempts">) => `${row.idempotencyKey}#${row.attempts}`;

/** Records the request and reserves its money (pending transfer), idempotently. Call inside the deciding transaction. */
export async function requestMoneyOut(tx: Tx, clock: Clock, request: MoneyOutRequest): Promise<void> {
  await requestMoneyOutMany(tx, clock, [request]);
}

/** Several requests with one insert and one ledger write (a lot's deposits released at once); each as requestMoneyOut. */
export async function requestMoneyOutMany(tx: Tx, clock: Clock, requests: readonly MoneyOutRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const now = clock.now();
  const created = await tx
    .insert(moneyOut)
    .values(
      requests.map((request) => ({
        kind: request.kind,
        idempotencyKey: request.key,
        gateway: request.gatewayId,
        paymentId: request.paymentId ?? null,
        distributionLineId: request.distributionLineId ?? null,
        caseId: request.caseId,
        amountFen: request.amountFen,
        payeeName: request.payeeName,
        status: "pending" as const,
        attempts: 1,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing({ target: moneyOut.idempotencyKey })
    .returning();
  const fresh = new Map(created.map((row) => [row.idempotencyKey, row]));
  const due = requests.filter((request) => fresh.has(request.key));
  const clearing = await clearingAccounts(tx, clock, due.map((request) => ({ gatewayId: request.gatewayId, counterpart: request.from })));
  const reservations = due.map((request, i) => ({
    idempotencyKey: attemptKey(fresh.get(request.key)!),
    debit: request.from,
    credit: clearing[i]!,
    amountFen: request.amountFen,
    purpose: request.purpose,
    caseId: request.caseId,
    lotId: request.lotId ?? null,
    paymentId: request.paymentId ?? null,
  }));
  await transferMany(tx, clock, reservations, "pending");
}

/** One request's call to the gateway. Safe to repeat, on any node: the attempt's key makes the provider answer as before. */
function callGateway(gateway: PaymentGateway, row: MoneyOut, paymentRef: string | null): Promise<GatewayTransfer> {
  if (row.kind === "refund") return gateway.refund({ idempotencyKey: attemptKey(row), providerRef: paymentRef!, amountFen: row.amountFen });
  return gateway.payout({ idempotencyKey: attemptKey(row), amountFen: row.amountFen, payeeName: row.payeeName, description: row.idempotencyKey });
}

/**
 * Sends pending requests: the gateway is called for several at once, their answers are recorded in one update (what
 * was answered before an error too), and a final answer settles its request at once. A webhook that comes before its
 * answer is recorded finds the request by the attempt key (settleMoneyOut).
 */
async function sendBatch(db: Db, clock: Clock, gateway: PaymentGateway, due: readonly { row: MoneyOut; paymentRef: string | null }[]): Promise<void> {
  const answers: { id: string; answer: GatewayTransfer }[] = [];
  try {
    await inParallel(due, SEND_CONCURRENCY, async ({ row, paymentRef }) => {
      answers.push({ id: row.id, answer: await callGateway(gateway, row, paymentRef) });
    });
  } finally {
    if (answers.length > 0) {
      const values = sql.join(answers.map(({ id, answer }) => sql`(${id}::uuid, ${answer.providerRef})`), sql`, `);
      await db.execute(sql`
        update money_out m set status = 'sent', provider_ref = v.ref, updated_at = ${clock.now().toISOString()}::timestamptz
        from (values ${values}) as v(id, ref) where m.id = v.id and m.status = 'pending'`);
    }
  }
  for (const { answer } of answers) {
    if (answer.status !== "pending") await settleMoneyOut(db, clock, { providerRef: answer.providerRef, succeeded: answer.status === "succeeded", failureCode: null });
  }
}

/**
 * The provider's final word on a refund or payout (its answer, or a webhook): posts the reserved transfer, or voids it
 * and marks the request failed for a retry. Idempotent, and a late or repeated word changes nothing. A webhook may
 * come before the provider's answer to the request is recorded: it is then found by our reference (the attempt key).
 */
export async function settleMoneyOut(db: Db, clock: Clock, outcome: { providerRef: string; reference?: string | null; succeeded: boolean; failureCode: string | null }): Promise<MoneyOut> {
  return db.transaction(async (tx) => {
    const row = await moneyOutOf(tx, outcome.providerRef, outcome.reference ?? null);
    if (!row || (row.status !== "sent" && row.status !== "pending")) return row!;
    await settlePending(tx, clock, attemptKey(row), outcome.succeeded ? "post" : "void");
    const [updated] = await tx
      .update(moneyOut)
      .set({ status: outcome.succeeded ? "succeeded" : "failed", providerRef: outcome.providerRef, failureCode: outcome.failureCode, updatedAt: clock.now() })
      .where(eq(moneyOut.id, row.id))
      .returning();
    return updated!;
  });
}

/** The request a provider's word is about, locked: by the provider's id, else by the attempt key it echoes. */
async function moneyOutOf(tx: Tx, providerRef: string, reference: string | null): Promise<MoneyOut | undefined> {
  const [byRef] = await tx.select().from(moneyOut).where(eq(moneyOut.providerRef, providerRef)).for("update");
  const at = reference?.lastIndexOf("#") ?? -1;
  if (byRef || !reference || at < 0) return byRef;
  const [byAttempt] = await tx
    .select()
    .from(moneyOut)
    .where(and(eq(moneyOut.idempotencyKey, reference.slice(0, at)), eq(moneyOut.attempts, Number(reference.slice(at + 1)))))
    .for("update");
  return byAttempt;
}

/** A failed request gets a new attempt: a new reservation and a new key, sent by the next sweep. */
async function retry(tx: Tx, clock: Clock, row: MoneyOut): Promise<void> {
  const first = (await transferByKey(tx, attemptKey(row)))!;
  const next = { ...row, attempts: row.attempts + 1 };
  await tx.update(moneyOut).set({ status: "pending", attempts: next.attempts, providerRef: null, failureCode: null, updatedAt: clock.now() }).where(eq(moneyOut.id, row.id));
  await transfer(
    tx,
    clock,
    {
      idempotencyKey: attemptKey(next),
      debit: await accountById(tx, first.debitAccountId),
      credit: await accountById(tx, first.creditAccountId),
      amountFen: row.amountFen,
      purpose: first.purpose,
      caseId: first.caseId,
      lotId: first.lotId,
      paymentId: first.paymentId,
    },
    "pending",
  );
}

/** The sweep: sends what is pending, and retries what failed (up to MAX_ATTEMPTS). Returns how many were sent. */
export async function sendDueMoneyOut(db: Db, clock: Clock, gateway: PaymentGateway): Promise<number> {
  const failed = await db
    .select()
    .from(moneyOut)
    .where(and(eq(moneyOut.gateway, gateway.id), eq(moneyOut.status, "failed"), lt(moneyOut.attempts, MAX_ATTEMPTS)));
  for (const row of failed) {
    await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(moneyOut).where(eq(moneyOut.id, row.id)).for("update");
      if (locked?.status === "failed") await retry(tx, clock, locked);
    });
  }
  const due = await db
    .select({ row: moneyOut, paymentRef: payments.providerRef })
    .from(moneyOut)
    .leftJoin(payments, eq(payments.id, moneyOut.paymentId))
    .where(and(eq(moneyOut.gateway, gateway.id), eq(moneyOut.status, "pending")));
  for (let i = 0; i < due.length; i += SEND_BATCH) await sendBatch(db, clock, gateway, due.slice(i, i + SEND_BATCH));
  return due.length;
}
