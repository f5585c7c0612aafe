import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { verifyChain } from "../../core/audit.ts";
import type { Database } from "../../db/client.ts";
import { openAccount, settlePending, transfer, verifyLedger } from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";

const clock = new TestClock(new Date("2026-12-05T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

async function accounts(tag: string) {
  return database.db.transaction(async (tx) => ({
    clearing: await openAccount(tx, clock, { kind: "clearing", owner: `test-${tag}` }),
    deposit: await openAccount(tx, clock, { kind: "deposit", owner: `reg-${tag}` }),
  }));
}

const balances = async (key: string) =>
  (await database.db.execute<{ dp: string; dpo: string; cp: string; cpo: string }>(
    sql`select debits_pending_fen::text dp, debits_posted_fen::text dpo, credits_pending_fen::text cp, credits_posted_fen::text cpo from ledger_accounts where key = ${key}`,
  ))[0]!;

describe("the ledger (P14, P5)", () => {
  it("P14: a transfer moves money between two accounts, balanced, and joins the audit chain; the same key writes once", async () => {
    const { clearing, deposit } = await accounts("a");
    const request = { idempotencyKey: "pay-a", debit: clearing, credit: deposit, amountFen: 5_000_00n, purpose: "deposit_paid" as const };
    const first = await database.db.transaction((tx) => transfer(tx, clock, request));
    const again = await database.db.transaction((tx) => transfer(tx, clock, request));
    expect(again.id).toBe(first.id);
    expect(await balances("deposit:reg-a")).toEqual({ dp: "0", dpo: "0", cp: "0", cpo: "500000" });
    expect(await balances("clearing:test-a")).toEqual({ dp: "0", dpo: "500000", cp: "0", cpo: "0" });
    const chain = await verifyChain(database.db);
    expect(chain.ok).toBe(true);
    const [audit] = await database.db.execute<{ n: string }>(sql`select count(*)::text n from audit_events where action = 'escrow.transfer' and entity_id = ${first.id}`);
    expect(audit!.n).toBe("1");
  });

  it("P14: a key reused for a different transfer is refused (LEDGER_KEY_REUSED) and writes nothing", async () => {
    const { clearing, deposit } = await accounts("b");
    await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "pay-b", debit: clearing, credit: deposit, amountFen: 100n, purpose: "deposit_paid" }));
    await expect(
      database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "pay-b", debit: clearing, credit: deposit, amountFen: 101n, purpose: "deposit_paid" })),
    ).rejects.toMatchObject({ code: "LEDGER_KEY_REUSED" });
    expect((await balances("deposit:reg-b")).cpo).toBe("100");
  });

  it("P14: an account flagged 'debits must not exceed credits' refuses an overdraft (INSUFFICIENT_FUNDS), pending holds included", async () => {
    const { clearing, deposit } = await accounts("c");
    await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "pay-c", debit: clearing, credit: deposit, amountFen: 1000n, purpose: "deposit_paid" }));
    await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "hold-c", debit: deposit, credit: clearing, amountFen: 600n, purpose: "deposit_released" }, "pending"));
    await expect(
      database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "more-c", debit: deposit, credit: clearing, amountFen: 401n, purpose: "deposit_released" })),
    ).rejects.toMatchObject({ code: "INSUFFICIENT_FUNDS" });
    // Voiding the hold frees it; posting a hold twice is one post.
    await database.db.transaction((tx) => settlePending(tx, clock, "hold-c", "void"));
    await expect(database.db.transaction((tx) => settlePending(tx, clock, "hold-c", "post"))).rejects.toMatchObject({ code: "CONFLICT" });
    await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "all-c", debit: deposit, credit: clearing, amountFen: 1000n, purpose: "deposit_released" }, "pending"));
    const posted = await database.db.transaction((tx) => settlePending(tx, clock, "all-c", "post"));
    const twice = await database.db.transaction((tx) => settlePending(tx, clock, "all-c", "post"));
    expect(twice.id).toBe(posted.id);
    expect(await balances("deposit:reg-c")).toEqual({ dp: "0", dpo: "1000", cp: "0", cpo: "1000" });
  });

  it("P14: the database refuses UPDATE and DELETE of a transfer, a direct balance change, and a post that does not match its pending transfer", async () => {
    const { clearing, deposit } = await accounts("d");
    const t = await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "pay-d", debit: clearing, credit: deposit, amountFen: 70n, purpose: "deposit_paid" }));
    await expect(database.db.execute(sql`update ledger_transfers set amount_fen = 71 where id = ${t.id}`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from ledger_transfers where id = ${t.id}`)).rejects.toThrow();
    await expect(database.db.execute(sql`update ledger_accounts set credits_posted_fen = 0 where key = 'deposit:reg-d'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from ledger_accounts where key = 'deposit:reg-d'`)).rejects.toThrow();
    const hold = await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: "hold-d", debit: deposit, credit: clearing, amountFen: 70n, purpose: "deposit_released" }, "pending"));
    // An unbalanced completion: a different amount than the pending transfer reserved.
    await expect(
      database.db.execute(
        sql`insert into ledger_transfers (idempotency_key, kind, debit_account_id, credit_account_id, amount_fen, pending_id, purpose, created_at) values ('bad-d', 'post', ${deposit.id}, ${clearing.id}, 69, ${hold.id}, 'deposit_released', now())`,
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/unbalanced post/) } });
    expect((await verifyLedger(database.db)).differences).toEqual([]);
  });

  it("P14: transfers written at once from many transactions through one shared account all apply, with no deadlock", async () => {
    // The gateway's clearing account is on nearly every transfer: each transaction's foreign keys hold it shared while
    // its trigger locks it for the balance update.
    const { clearing, deposits } = await database.db.transaction(async (tx) => ({
      clearing: await openAccount(tx, clock, { kind: "clearing", owner: "test-shared" }),
      deposits: await Promise.all(Array.from({ length: 8 }, (_, i) => openAccount(tx, clock, { kind: "deposit", owner: `reg-shared-${i}` }))),
    }));
    await Promise.all(
      deposits.map(async (deposit, w) => {
        for (let k = 0; k < 20; k++) {
          await database.db.transaction((tx) => transfer(tx, clock, { idempotencyKey: `shared-${w}-${k}`, debit: clearing, credit: deposit, amountFen: 100n, purpose: "deposit_paid" }));
        }
      }),
    );
    expect(await balances("clearing:test-shared")).toEqual({ dp: "0", dpo: String(8 * 20 * 100), cp: "0", cpo: "0" });
  });

  it("P14: ledger verification recomputes balances from transfers and names the first difference", async () => {
    const before = await verifyLedger(database.db);
    expect(before.differences).toEqual([]);
    expect(before.transfers).toBeGreaterThan(0);
    // Tamper as only a superuser could: bypass the guard trigger.
    await database.db.execute(sql`alter table ledger_accounts disable trigger ledger_accounts_guard`);
    await database.db.execute(sql`update ledger_accounts set credits_posted_fen = credits_posted_fen + 1 where key = 'deposit:reg-a'`);
    await database.db.execute(sql`alter table ledger_accounts enable trigger ledger_accounts_guard`);
    const after = await verifyLedger(database.db);
    expect(after.differences[0]).toMatchObject({ accountKey: "deposit:reg-a", column: "credits_posted_fen", stored: 500001n, recomputed: 500000n });
  });
});
