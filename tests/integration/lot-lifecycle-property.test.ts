// A lot's life under random histories (ADR 022): bids, closes, balance payments, the escrow's minute step (defaults),
// holds, resumptions, withdrawals, revocations, hold expiries and clock jumps drive the real use cases against the
// database, and a small reference model written here (not the product's machine) says what each step must do. Every
// lot ends in a legal state, no bid is accepted outside bidding, and every paid deposit ends released, applied,
// forfeited or awaiting the balance exactly once.
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { balancesDue, depositOutcomes, lots } from "../../db/schema/index.ts";
import { closeLot, expireHolds, holdLot, placeBid, relistLot, resumeLot, silentPublisher, withdrawLot } from "../../auction/index.ts";
import { deliverInProcess, revokeSale, runEscrowClock, settleLotDeposits, startBalancePayment } from "../../escrow/index.ts";
import { endOfDays } from "../../core/ruleset.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { testGateway } from "../support/payments.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

type Step =
  | { kind: "advance"; ms: number }
  | { kind: "bid" }
  | { kind: "close" }
  | { kind: "hold"; stay: boolean }
  | { kind: "resume" }
  | { kind: "expire" }
  | { kind: "withdraw" }
  | { kind: "pay" }
  | { kind: "escrow" }
  | { kind: "revoke" }
  | { kind: "relist" };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constantFrom(MINUTE, HOUR, 5 * HOUR, 23 * HOUR, 10 * DAY, 40 * DAY).map((ms) => ({ kind: "advance", ms }) as const), weight: 3 },
  { arbitrary: fc.constant({ kind: "bid" } as const), weight: 3 },
  fc.constant({ kind: "close" } as const),
  fc.boolean().map((stay) => ({ kind: "hold", stay }) as const),
  fc.constant({ kind: "resume" } as const),
  fc.constant({ kind: "expire" } as const),
  fc.constant({ kind: "withdraw" } as const),
  fc.constant({ kind: "pay" } as const),
  fc.constant({ kind: "escrow" } as const),
  fc.constant({ kind: "revoke" } as const),
  fc.constant({ kind: "relist" } as const),
);

/** The reference: what a lot is, in the fewest words. */
interface Model {
  state: "published" | "suspended" | "stayed" | "sold" | "failed" | "withdrawn" | "defaulted" | "revoked";
  /** A sold lot's balance (F3): due by its deadline, paid, or ended by a default or a revocation. */
  balance: "due" | "paid" | "defaulted" | "revoked" | null;
  dueAt: number | null;
  /** The balance was paid: the winner's deposit counts towards the price (F1), even if the sale is revoked later. */
  paid: boolean;
  heldFrom: "announced" | "bidding" | null;
  heldAt: number | null;
  released: boolean;
  startsAt: number;
  closesAt: number;
  bids: number;
}

const HOLD_DAY = 23 * HOUR;
const held = (m: Model) => m.state === "suspended" || m.state === "stayed";
const codeOf = (error: unknown) => (error instanceof AppError ? error.code : `unexpected: ${String(error)}`);

/** Runs one step against the database and the model; fails on the first disagreement. */
async function apply(m: Model, s: Step, lot: Awaited<ReturnType<typeof makePublishedLot>>, bidders: Awaited<ReturnType<typeof makeActiveBidder>>[]) {
  const { db } = database;
  const now = () => clock.now().getTime();
  const scheduler = { scheduleClose: async () => {} };
  switch (s.kind) {
    case "advance":
      clock.advance(s.ms);
      return;
    case "bid": {
      const bidder = bidders[m.bids % 2]!; // the other one leads
      const amountFen = lot.startingPriceFen + BigInt(m.bids) * 100_000n;
      const open = m.state === "published" && now() >= m.startsAt && now() < m.closesAt;
      const expected = open ? "ok" : held(m) ? "LOT_SUSPENDED" : m.state === "published" && now() < m.startsAt ? "LOT_NOT_OPEN" : "LOT_CLOSED";
      const got = await placeBid(db, clock, silentPublisher, bidder, lot.lotId, { amountFen, clientBidId: crypto.randomUUID() }).then(
        (bid) => {
          // D3: a bid in the last five minutes moves the close.
          m.closesAt = bid.closesAt.getTime();
          return "ok";
        },
        codeOf,
      );
      expect(got, `bid in ${m.state}`).toBe(expected);
      if (got === "ok") m.bids++;
      return;
    }
    case "close": {
      const result = await closeLot(db, clock, silentPublisher, lot.lotId);
      if (m.state !== "published") expect(result.kind).toBe("already_closed");
      else if (now() < m.closesAt) expect(result.kind).toBe("not_yet");
      else {
        expect(result).toMatchObject({ kind: "closed", outcome: m.bids > 0 ? "sold" : "failed" });
        m.state = m.bids > 0 ? "sold" : "failed";
        await settleLotDeposits(db, clock, lot.lotId);
        // F3, P3: the balance falls due at 24:00 of the lot's 10th day.
        if (m.state === "sold") Object.assign(m, { balance: "due", dueAt: endOfDays(new Date(m.closesAt), 10).getTime() });
      }
      return;
    }
    case "hold": {
      const legal = m.state === "published" && now() < m.closesAt;
      const expected = legal ? "ok" : m.state === "published" ? "LOT_CLOSED" : "LOT_TRANSITION_ILLEGAL";
      const got = await holdLot(db, clock, silentPublisher, lot.judge, lot.lotId, { kind: s.stay ? "stay" : "suspend", reason: "审查异议" }).then(() => "ok", codeOf);
      expect(got, `hold in ${m.state}`).toBe(expected);
      if (got === "ok") Object.assign(m, { state: s.stay ? "stayed" : "suspended", heldFrom: now() < m.startsAt ? "announced" : "bidding", heldAt: now(), released: false });
      return;
    }
    case "resume": {
      const expected = held(m) && !m.released ? "ok" : "LOT_TRANSITION_ILLEGAL";
      const got = await resumeLot(db, clock, silentPublisher, scheduler, lot.judge, lot.lotId, { reason: "审查完毕" }).then(() => "ok", codeOf);
      expect(got, `resume in ${m.state}`).toBe(expected);
      if (got !== "ok") return;
      // P15: the hold's length is added; a lot held in bidding keeps the time it had left.
      const length = now() - m.heldAt!;
      if (m.heldFrom === "announced") m.startsAt += length;
      m.closesAt += length;
      Object.assign(m, { state: "published", heldFrom: null, heldAt: null });
      return;
    }
    case "expire": {
      const expired = (await expireHolds(db, clock)).filter((e) => e.lotId === lot.lotId);
      const due = held(m) && !m.released && now() - m.heldAt! >= HOLD_DAY;
      expect(expired.length).toBe(due ? 1 : 0);
      if (due) {
        m.released = true;
        await settleLotDeposits(db, clock, lot.lotId);
      }
      return;
    }
    case "withdraw": {
      const legal = (m.state === "published" && now() < m.startsAt) || (held(m) && m.heldFrom === "announced");
      const got = await withdrawLot(db, clock, lot.judge, lot.lotId, { ground: "debt_paid", reason: "已履行" }).then(() => "ok", codeOf);
      expect(got, `withdraw in ${m.state}`).toBe(legal ? "ok" : "LOT_TRANSITION_ILLEGAL");
      if (got === "ok") {
        Object.assign(m, { state: "withdrawn", heldFrom: null, heldAt: null });
        await settleLotDeposits(db, clock, lot.lotId);
      }
      return;
    }
    case "pay": {
      // The leader at the close pays on the bank's page; the escrow takes a balance while it is due (F3).
      const gateway = testGateway(db, clock);
      const winner = bidders[(m.bids + 1) % 2]!;
      const got = await startBalancePayment(db, clock, gateway, winner, lot.lotId, "/").then(async (started) => {
        await gateway.submitCard(started.redirectUrl!.split("/").pop()!, { number: "4242424242424242", holderName: "买受人" });
        await deliverInProcess(db, clock, gateway);
        return "ok";
      }, codeOf);
      expect(got, `pay in ${m.state}`).toBe(m.balance === "due" ? "ok" : "NO_BALANCE_DUE");
      if (got === "ok") Object.assign(m, { balance: "paid", paid: true });
      return;
    }
    case "escrow": {
      await runEscrowClock(db, clock, testGateway(db, clock));
      // F4, C8: the minute step defaults a balance past its deadline (24:00 of the last day still belongs to it).
      if (m.balance === "due" && now() > m.dueAt!) Object.assign(m, { state: "defaulted", balance: "defaulted" });
      return;
    }
    case "relist": {
      // P2: only a hold whose deposits went back is ended and announced anew.
      const got = await relistLot(db, clock, lot.judge, lot.lotId, { reason: "重新公告" }).then(() => "ok", codeOf);
      expect(got, `relist in ${m.state}`).toBe(held(m) && m.released ? "ok" : "LOT_TRANSITION_ILLEGAL");
      if (got === "ok") Object.assign(m, { state: "withdrawn", heldFrom: null, heldAt: null });
      return;
    }
    case "revoke": {
      const got = await revokeSale(db, clock, lot.judge, lot.lotId, { ground: "collusion", reason: "串通" }).then(() => "ok", codeOf);
      // G7: a sale is revoked after its close, until its money is distributed; a default or an unsold lot is not.
      expect(got, `revoke in ${m.state}`).toBe(m.state === "sold" ? "ok" : "LOT_TRANSITION_ILLEGAL");
      if (got === "ok") Object.assign(m, { state: "revoked", balance: "revoked" });
      return;
    }
  }
}

describe("a lot's life under random histories (ADR 022, model-based)", () => {
  it("G1–G7, P2, P15, D1, F1, F3, F4, F6, C8: every step does what the reference says, the lot ends in a legal state, and every paid deposit ends once", async () => {
    const { db } = database;
    await fc.assert(
      // Half the histories start an hour into bidding, so bids, holds in bidding and closes are common.
      fc.asyncProperty(fc.boolean(), fc.array(step, { minLength: 1, maxLength: 14 }), async (inBidding, steps) => {
        clock.set(new Date(Date.UTC(2026, 11, 1, 2)));
        const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
        const bidders = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
        const m: Model = { state: "published", balance: null, dueAt: null, paid: false, heldFrom: null, heldAt: null, released: false, startsAt: lot.biddingStartsAt.getTime(), closesAt: lot.closesAt.getTime(), bids: 0 };
        if (inBidding) clock.set(new Date(m.startsAt + HOUR));
        for (const s of steps) {
          await apply(m, s, lot, bidders);
          const [row] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
          expect(row).toMatchObject({ status: m.state, bidCount: m.bids, closesAt: new Date(m.closesAt), biddingStartsAt: new Date(m.startsAt) });
        }
        // To the end: a hold runs out its day, an open lot reaches its close; then the escrow's minute step.
        if (held(m) && !m.released) {
          clock.set(new Date(m.heldAt! + HOLD_DAY));
          await apply(m, { kind: "expire" }, lot, bidders);
        }
        if (m.state === "published") {
          clock.set(new Date(Math.max(m.closesAt, clock.now().getTime())));
          await apply(m, { kind: "close" }, lot, bidders);
        }
        await apply(m, { kind: "escrow" }, lot, bidders);
        expect(["sold", "failed", "withdrawn", "suspended", "stayed", "defaulted", "revoked"]).toContain(m.state);
        expect((await db.select().from(lots).where(eq(lots.id, lot.lotId)))[0]!.status).toBe(m.state);
        const outcomes = await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lot.lotId));
        const due = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lot.lotId));
        // Each of the two paid deposits ends once: released; or the winner's, held towards the balance while it is due,
        // forfeited once its deadline passed unpaid (F4: the clock may have run far past it).
        const ends = new Map<string, number>();
        for (const o of outcomes) ends.set(o.registrationId, (ends.get(o.registrationId) ?? 0) + 1);
        for (const d of due) if (d.status === "due") ends.set(d.registrationId, (ends.get(d.registrationId) ?? 0) + 1);
        expect([...ends.values()]).toEqual([1, 1]);
        expect(due.map((d) => d.status)).toEqual(m.balance ? [m.balance] : []);
        // F4: forfeited on a default; F1: applied to the price once paid (a revocation then refunds the price); else released.
        const forfeited = outcomes.filter((o) => o.outcome === "forfeited");
        expect(forfeited.length).toBe(m.balance === "defaulted" ? 1 : 0);
        expect(outcomes.filter((o) => o.outcome === "applied").length).toBe(m.paid ? 1 : 0);
        expect(outcomes.length).toBe(forfeited.length + (m.paid ? 1 : 0) + outcomes.filter((o) => o.outcome === "released").length);
      }),
      { numRuns: Number(process.env.LOT_PROPERTY_RUNS ?? 25) },
    );
  });
});
