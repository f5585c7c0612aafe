/**
 * E1: the ledger's write path against plain INSERTs of the same width. Every variant runs one transaction per
 * write, from `writers` concurrent loops on the same pool, for the same time; only the work inside differs.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { ledgerTransfers } from "../../db/schema/index.ts";
import type { Clock } from "../../core/clock.ts";
import { clearingAccount, openAccount, transfer, type Account } from "../../escrow/index.ts";
import type { TransferRequest } from "../../escrow/ledger.ts";

/** Same column count and types as ledger_transfers (12), a primary key, no other index, no trigger, no audit. */
const PLAIN_TABLE = `
create table if not exists bench_plain_transfers (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null,
  kind text not null,
  debit_account_id uuid not null,
  credit_account_id uuid not null,
  amount_fen bigint not null,
  pending_id uuid,
  purpose text not null,
  case_id uuid,
  lot_id uuid,
  payment_id uuid,
  created_at timestamptz not null
)`;

export interface LedgerBook {
  /** clearing[i] is the gateway's clearing account (its shard) that deposits[i]'s payments and refunds go through. */
  clearing: Account[];
  deposits: Account[];
  /** The case escrow account of deposits[i] is escrows[i % escrows.length]. */
  escrows: Account[];
}

/** Deposits funded enough for any run: each write moves at most this much out of one. */
const MOVE_FEN = 100n;
const FUNDING_FEN = 10_000_000_000n;

/**
 * The accounts a real ledger writes to: the gateway's clearing account (every payment in and refund out goes
 * through one of its shards, escrow/accounts.ts), `deposits` deposit accounts spread over `cases` case escrow
 * accounts. Deposits are funded first.
 */
export async function openLedgerBook(db: Db, clock: Clock, deposits: number, cases: number): Promise<LedgerBook> {
  await db.execute(sql.raw(PLAIN_TABLE));
  return db.transaction(async (tx) => {
    const escrows: Account[] = [];
    for (let c = 0; c < cases; c++) escrows.push(await openAccount(tx, clock, { kind: "case_escrow", owner: `bench-case-${c}` }));
    const accounts: Account[] = [];
    const clearing: Account[] = [];
    for (let i = 0; i < deposits; i++) {
      const account = await openAccount(tx, clock, { kind: "deposit", owner: `bench-deposit-${i}` });
      const shard = await clearingAccount(tx, clock, "bench-gateway", account);
      await transfer(tx, clock, { idempotencyKey: `bench-fund-${i}`, debit: shard, credit: account, amountFen: FUNDING_FEN, purpose: "deposit_paid" });
      accounts.push(account);
      clearing.push(shard);
    }
    return { clearing, deposits: accounts, escrows };
  });
}

/**
 * Write k of a run: alternately a deposit paid in (clearing → deposit) and a deposit moved to its case's escrow
 * (deposit → escrow), on a deposit picked at random: the mix a day of sales writes.
 */
function nth(book: LedgerBook, k: number, tag: string): TransferRequest {
  const i = Math.floor(Math.random() * book.deposits.length);
  const deposit = book.deposits[i]!;
  const key = `${tag}-${k}-${randomUUID()}`;
  return k % 2 === 0
    ? { idempotencyKey: key, debit: book.clearing[i]!, credit: deposit, amountFen: MOVE_FEN, purpose: "deposit_paid" }
    : { idempotencyKey: key, debit: deposit, credit: book.escrows[i % book.escrows.length]!, amountFen: MOVE_FEN / 2n, purpose: "deposit_to_escrow" };
}

export type LedgerVariant = "plain" | "ledger" | "ledger-no-audit";

export interface LedgerRound {
  variant: LedgerVariant;
  writes: number;
  elapsedMs: number;
}

/** One write of the variant, in its own transaction. */
function writer(db: Db, clock: Clock, book: LedgerBook, variant: LedgerVariant): (k: number, tag: string) => Promise<unknown> {
  switch (variant) {
    case "ledger":
      // The product's write path: escrow/ledger.ts transfer (the insert and its audit event in one round trip, the
      // balance trigger, the event chained at the commit).
      return (k, tag) => db.transaction((tx) => transfer(tx, clock, nth(book, k, tag)));
    case "ledger-no-audit":
      // The same insert as transfer (the balance trigger included), without the audit event.
      return (k, tag) =>
        db.transaction(async (tx) => {
          const r = nth(book, k, tag);
          await tx
            .insert(ledgerTransfers)
            .values({ id: randomUUID(), idempotencyKey: r.idempotencyKey, kind: "posted", debitAccountId: r.debit.id, creditAccountId: r.credit.id, amountFen: r.amountFen, purpose: r.purpose, createdAt: clock.now() })
            .onConflictDoNothing()
            .returning();
        });
    case "plain":
      return (k, tag) =>
        db.transaction(async (tx) => {
          const r = nth(book, k, tag);
          await tx.execute(
            sql`insert into bench_plain_transfers (idempotency_key, kind, debit_account_id, credit_account_id, amount_fen, pending_id, purpose, case_id, lot_id, payment_id, created_at)
                values (${r.idempotencyKey}, 'posted', ${r.debit.id}, ${r.credit.id}, ${r.amountFen.toString()}::int8, null, ${r.purpose}, null, null, null, ${clock.now().toISOString()}::timestamptz)`,
          );
        });
  }
}

/** `writers` loops writing back to back for `durationMs`; counts the writes committed inside the round. */
export async function ledgerRound(db: Db, clock: Clock, book: LedgerBook, variant: LedgerVariant, writers: number, durationMs: number, tag: string): Promise<LedgerRound> {
  const write = writer(db, clock, book, variant);
  const start = performance.now();
  const end = start + durationMs;
  let writes = 0;
  let k = 0;
  const loop = async () => {
    while (performance.now() < end) {
      await write(k++, tag);
      if (performance.now() <= end) writes++;
    }
  };
  await Promise.all(Array.from({ length: writers }, loop));
  return { variant, writes, elapsedMs: durationMs };
}
