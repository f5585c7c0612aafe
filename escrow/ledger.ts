import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.ts";
import { ledgerAccounts, ledgerTransfers, type LedgerAccountKind, type TransferPurpose } from "../db/schema/index.ts";
import { randomUUID } from "node:crypto";
import { appendAudits, withdrawAudits, type AuditInput } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";

// The double-entry ledger (ADR 019, P14). The application only inserts transfers: the database applies each to its
// two accounts (trigger ledger_apply_transfer), enforces the accounts' flags (CHECK constraints) and refuses to
// change or delete a transfer. This module names accounts, makes every write idempotent and audits it (P5).

export type Account = typeof ledgerAccounts.$inferSelect;
export type Transfer = typeof ledgerTransfers.$inferSelect;

export interface AccountSpec {
  kind: LedgerAccountKind;
  /** What makes the account unique within its kind: a gateway id, registration id, case id, or case id + payee. */
  owner: string;
  caseId?: string | null;
  registrationId?: string | null;
  partyId?: string | null;
  holderName?: string | null;
}

/**
 * Which side an account may not overdraw. Money held for someone (a deposit, a case's escrow, a payee's account)
 * never pays out more than it received; the gateway's clearing account and a creditor's advances are the world
 * outside and may go either way.
 */
function flagsOf(kind: LedgerAccountKind) {
  return { debitsMustNotExceedCredits: !OUTSIDE_KINDS.includes(kind), creditsMustNotExceedDebits: false };
}

/** Accounts for money outside the platform: the gateway's clearing, and what a creditor paid for the case (A26). */
const OUTSIDE_KINDS: readonly LedgerAccountKind[] = ["clearing", "cost_advance"];

export const accountKey = (spec: Pick<AccountSpec, "kind" | "owner">) => `${spec.kind}:${spec.owner}`;

/**
 * Opens the account if it is not there yet (idempotent), and returns it. Looks first: inserting a key that exists
 * would wait for any transaction still moving money on that account (the clearing account nearly always has one).
 */
export async function openAccount(tx: DbOrTx, clock: Clock, spec: AccountSpec): Promise<Account> {
  const key = accountKey(spec);
  const found = await findAccount(tx, spec);
  if (found) return found;
  const [created] = await tx
    .insert(ledgerAccounts)
    .values({
      key,
      kind: spec.kind,
      caseId: spec.caseId ?? null,
      registrationId: spec.registrationId ?? null,
      partyId: spec.partyId ?? null,
      holderName: spec.holderName ?? null,
      ...flagsOf(spec.kind),
      createdAt: clock.now(),
    })
    .onConflictDoNothing({ target: ledgerAccounts.key })
    .returning();
  return created ?? (await findAccount(tx, spec))!;
}

/**
 * Locks the accounts a transaction will move money on, in id order, before it writes or audits anything, and returns
 * them as read under the lock. Escrow transactions take their locks in one order — the lot, then its registration and
 * payment rows, then ledger accounts (here), and the audit chain's lock last (at the commit, ADR 020) — so two of them, or one
 * and a bid, never wait on each other in a circle (DESIGN §4). The transfer trigger locks the same accounts again,
 * which is then free.
 */
export async function lockAccounts(tx: Tx, accounts: readonly Account[]): Promise<Account[]> {
  const ids = [...new Set(accounts.map((a) => a.id))].sort();
  if (ids.length === 0) return [];
  return tx.select().from(ledgerAccounts).where(inArray(ledgerAccounts.id, ids)).orderBy(asc(ledgerAccounts.id)).for("no key update");
}

export async function findAccount(tx: DbOrTx, spec: Pick<AccountSpec, "kind" | "owner">): Promise<Account | null> {
  const [row] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.key, accountKey(spec)));
  return row ?? null;
}

export interface TransferRequest {
  idempotencyKey: string;
  debit: Account;
  credit: Account;
  amountFen: bigint;
  purpose: TransferPurpose;
  caseId?: string | null;
  lotId?: string | null;
  paymentId?: string | null;
}

/**
 * Moves money at once (`posted`) or reserves it (`pending`). Writing a key that exists returns the transfer already
 * written when it is the same transfer, and refuses a different one under the same key (LEDGER_KEY_REUSED). An
 * overdraft is refused with INSUFFICIENT_FUNDS and writes nothing: the statement fails, and with it the transaction.
 */
export async function transfer(tx: Tx, clock: Clock, request: TransferRequest, kind: "posted" | "pending" = "posted"): Promise<Transfer> {
  return (await transferMany(tx, clock, [request], kind))[0]!;
}

/** Several transfers in one statement and one audit append (a lot's deposits released at once); each as `transfer`. */
export async function transferMany(tx: Tx, clock: Clock, requests: readonly TransferRequest[], kind: "posted" | "pending" = "posted"): Promise<Transfer[]> {
  if (requests.some((r) => r.amountFen <= 0n)) throw new AppError("INVALID_AMOUNT");
  return insertTransfers(
    tx,
    clock,
    requests.map((request) => ({
      idempotencyKey: request.idempotencyKey,
      kind,
      debitAccountId: request.debit.id,
      creditAccountId: request.credit.id,
      amountFen: request.amountFen,
      pendingId: null,
      purpose: request.purpose,
      caseId: request.caseId ?? null,
      lotId: request.lotId ?? null,
      paymentId: request.paymentId ?? null,
    })),
  );
}

/** Completes (`post`) or cancels (`void`) a pending transfer, once; a second call returns the first answer. */
export async function settlePending(tx: Tx, clock: Clock, pendingKey: string, kind: "post" | "void"): Promise<Transfer> {
  const [pending] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.idempotencyKey, pendingKey));
  if (!pending || pending.kind !== "pending") throw new AppError("NOT_FOUND");
  const [settled] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.pendingId, pending.id));
  if (settled) {
    if (settled.kind !== kind) throw new AppError("CONFLICT");
    return settled;
  }
  const [row] = await insertTransfers(tx, clock, [
    {
      idempotencyKey: `${pendingKey}:${kind}`,
      kind,
      debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId,
      amountFen: pending.amountFen,
      pendingId: pending.id,
      purpose: pending.purpose,
      caseId: pending.caseId,
      lotId: pending.lotId,
      paymentId: pending.paymentId,
    },
  ]);
  return row!;
}

type NewTransfer = Omit<typeof ledgerTransfers.$inferInsert, "id" | "createdAt">;

/**
 * One round trip: the transfers and their audit events go out together (the events are chained at the commit, ADR
 * 020), and the key check comes after, only for the keys the insert skipped: written before, or by a transaction the
 * unique index waited for (it has committed). The row found must be the same transfer; a skipped row's event is
 * withdrawn. The balance trigger runs after the insert, so a skipped row moves nothing.
 */
async function insertTransfers(tx: Tx, clock: Clock, values: readonly NewTransfer[]): Promise<Transfer[]> {
  if (values.length === 0) return [];
  const createdAt = clock.now();
  const rows = values.map((v) => ({ ...v, id: randomUUID(), createdAt }));
  let inserted: Transfer[];
  try {
    [inserted] = await Promise.all([tx.insert(ledgerTransfers).values(rows).onConflictDoNothing().returning(), appendAudits(tx, clock, rows.map(transferEvent))]);
  } catch (error) {
    if (overdraft(error)) throw new AppError("INSUFFICIENT_FUNDS");
    throw error;
  }
  const byKey = new Map(inserted.map((row) => [row.idempotencyKey, row]));
  const skipped = rows.filter((r) => !byKey.has(r.idempotencyKey));
  if (skipped.length === 0) return inserted;
  await withdrawAudits(tx, "ledger_transfer", skipped.map((r) => r.id));
  const found = await tx.select().from(ledgerTransfers).where(inArray(ledgerTransfers.idempotencyKey, skipped.map((r) => r.idempotencyKey)));
  for (const row of found) byKey.set(row.idempotencyKey, row);
  return values.map((v) => {
    const row = byKey.get(v.idempotencyKey);
    // Skipped, yet not under its key: a post and a void of the same pending transfer raced (ledger_transfers_pending_once).
    if (!row) throw new AppError("CONFLICT");
    return sameTransfer(row, v);
  });
}

function transferEvent(row: NewTransfer & { id: string }): AuditInput {
  return {
    actorId: null,
    action: "escrow.transfer",
    entityType: "ledger_transfer",
    entityId: row.id,
    data: {
      idempotencyKey: row.idempotencyKey,
      kind: row.kind,
      debitAccountId: row.debitAccountId,
      creditAccountId: row.creditAccountId,
      amountFen: row.amountFen,
      purpose: row.purpose,
      caseId: row.caseId ?? null,
      lotId: row.lotId ?? null,
    },
  };
}

function sameTransfer(existing: Transfer, values: NewTransfer): Transfer {
  const same =
    existing.kind === values.kind &&
    existing.debitAccountId === values.debitAccountId &&
    existing.creditAccountId === values.creditAccountId &&
    existing.amountFen === values.amountFen;
  if (!same) throw new AppError("LEDGER_KEY_REUSED");
  return existing;
}

function overdraft(error: unknown): boolean {
  const e = (error as { cause?: { code?: string; constraint_name?: string } }).cause ?? (error as { code?: string; constraint_name?: string });
  return e.code === "23514" && (e.constraint_name ?? "").startsWith("ledger_accounts_");
}

/** An account's balances: posted and pending, on the side it holds money (credits less debits). */
export function available(account: Account): bigint {
  return account.creditsPostedFen - account.debitsPostedFen - account.debitsPendingFen;
}

export async function accountById(tx: DbOrTx, id: string): Promise<Account> {
  const [row] = await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id));
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

export async function transferByKey(tx: DbOrTx, key: string): Promise<Transfer | null> {
  const [row] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.idempotencyKey, key));
  return row ?? null;
}

/** The transfers touching one case, oldest first (the fund flow, H6). */
export async function caseTransfers(tx: DbOrTx, caseId: string): Promise<Transfer[]> {
  return tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.caseId, caseId)).orderBy(asc(ledgerTransfers.createdAt), asc(ledgerTransfers.id));
}

export async function caseAccounts(tx: DbOrTx, caseId: string): Promise<Account[]> {
  return tx.select().from(ledgerAccounts).where(and(eq(ledgerAccounts.caseId, caseId))).orderBy(asc(ledgerAccounts.createdAt));
}

export interface LedgerDifference {
  accountKey: string;
  column: "debits_pending_fen" | "debits_posted_fen" | "credits_pending_fen" | "credits_posted_fen" | "total" | "flags";
  stored: bigint;
  recomputed: bigint;
}

/**
 * Recomputes every account's balances from the transfers and compares them with the stored ones; also checks that the
 * ledger's total is zero and no account breaks its flags. Returns the differences, first by account key.
 */
export async function verifyLedger(db: DbOrTx): Promise<{ accounts: number; transfers: number; differences: LedgerDifference[] }> {
  const rows = await db.execute<{
    key: string;
    dp: string;
    dpo: string;
    cp: string;
    cpo: string;
    rdp: string;
    rdpo: string;
    rcp: string;
    rcpo: string;
    dnec: boolean;
    cned: boolean;
  }>(sql`
    with effects as (
      select t.debit_account_id as account, t.amount_fen as amount, t.kind, 'debit' as side from ledger_transfers t where t.kind in ('posted','pending')
      union all
      select t.credit_account_id, t.amount_fen, t.kind, 'credit' from ledger_transfers t where t.kind in ('posted','pending')
      union all
      select t.debit_account_id, t.amount_fen, t.kind, 'debit' from ledger_transfers t where t.kind in ('post','void')
      union all
      select t.credit_account_id, t.amount_fen, t.kind, 'credit' from ledger_transfers t where t.kind in ('post','void')
    ),
    sums as (
      select account,
        sum(case when side = 'debit' and kind = 'pending' then amount when side = 'debit' and kind in ('post','void') then -amount else 0 end) as rdp,
        sum(case when side = 'debit' and kind in ('posted','post') then amount else 0 end) as rdpo,
        sum(case when side = 'credit' and kind = 'pending' then amount when side = 'credit' and kind in ('post','void') then -amount else 0 end) as rcp,
        sum(case when side = 'credit' and kind in ('posted','post') then amount else 0 end) as rcpo
      from effects group by account
    )
    select a.key, a.debits_pending_fen::text as dp, a.debits_posted_fen::text as dpo, a.credits_pending_fen::text as cp, a.credits_posted_fen::text as cpo,
      coalesce(s.rdp, 0)::text as rdp, coalesce(s.rdpo, 0)::text as rdpo, coalesce(s.rcp, 0)::text as rcp, coalesce(s.rcpo, 0)::text as rcpo,
      a.debits_must_not_exceed_credits as dnec, a.credits_must_not_exceed_debits as cned
    from ledger_accounts a left join sums s on s.account = a.id
    order by a.key`);
  const differences: LedgerDifference[] = [];
  let total = 0n;
  for (const r of rows) {
    const pairs = [
      ["debits_pending_fen", r.dp, r.rdp],
      ["debits_posted_fen", r.dpo, r.rdpo],
      ["credits_pending_fen", r.cp, r.rcp],
      ["credits_posted_fen", r.cpo, r.rcpo],
    ] as const;
    for (const [column, stored, recomputed] of pairs) {
      if (BigInt(stored) !== BigInt(recomputed)) differences.push({ accountKey: r.key, column, stored: BigInt(stored), recomputed: BigInt(recomputed) });
    }
    const [rdp, rdpo, rcpo] = [BigInt(r.rdp), BigInt(r.rdpo), BigInt(r.rcpo)];
    total += rcpo - rdpo;
    if (r.dnec && rdpo + rdp > rcpo) differences.push({ accountKey: r.key, column: "flags", stored: rcpo, recomputed: rdpo + rdp });
    if (r.cned && rcpo + BigInt(r.rcp) > rdpo) differences.push({ accountKey: r.key, column: "flags", stored: rdpo, recomputed: rcpo + BigInt(r.rcp) });
  }
  if (total !== 0n) differences.push({ accountKey: "(ledger)", column: "total", stored: total, recomputed: 0n });
  const [{ n }] = (await db.execute<{ n: string }>(sql`select count(*)::text as n from ledger_transfers`)) as unknown as [{ n: string }];
  return { accounts: rows.length, transfers: Number(n), differences };
}
