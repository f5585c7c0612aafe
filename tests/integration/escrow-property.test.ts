import fc from "fast-check";
import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { balancesDue, depositOutcomes, ledgerAccounts, lots, moneyOut, payments, registrations, simCharges, simTransfers, simWebhooks } from "../../db/schema/index.ts";
import { applyForLot, closeLot, createAsset, createCase, createLotDraft, placeBid, publishLot, recordReferencePrice, silentPublisher } from "../../auction/index.ts";
import {
  ASK_GATEWAY_AFTER_MS,
  CONFIRMATION_CODE,
  available,
  caseEscrowAccount,
  findAccount,
  receiveWebhook,
  releaseLotDeposits,
  requestMoneyOut,
  runEscrowClock,
  settleLotDeposits,
  SIGNATURE_HEADER,
  signPayload,
  startBalancePayment,
  startDepositPayment,
  verifyLedger,
  type SimulatedGateway,
} from "../../escrow/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, lotDraftInput, makeBidder, makeCourt } from "../fixtures/auction.ts";
import { TEST_WEBHOOK_SECRET, testGateway } from "../support/payments.ts";

/*
 * The escrow's money under random histories. Each run is one lot of its own case: up to four bidders (from a shared
 * pool) pay deposits with every kind of test card and holder name, bid, the lot is suspended or closes, the winner pays
 * the balance or defaults, the case pays out, and the gateway's webhooks arrive shuffled, twice, replayed later, fail
 * and are retried, or are lost for good (then only the escrow clock's questions to the gateway recover them). Then the
 * lot is driven to its end (close, settlement, the balance's deadline, every webhook) and its books are checked; the
 * whole ledger is verified after every batch of runs.
 *
 * ESCROW_PROPERTY_RUNS sets how many runs in all (10,000 for the full check; the default keeps `npm test` short).
 */

const RUNS = Number(process.env.ESCROW_PROPERTY_RUNS ?? 50);
const RUNS_PER_BATCH = Number(process.env.ESCROW_PROPERTY_BATCH ?? 250);
const DAY = 24 * 60 * 60 * 1000;
const BASE = new Date("2026-11-26T02:00:00Z");
const START_FEN = 70_000_000n;
const DEPOSIT_FEN = 7_000_000n;
const INCREMENT_FEN = 100_000n;
const POOL = 4;
const CARDS = { succeeds: "4242424242424242", declined: "4000000000000002", confirm: "4000000000003220", abandon: "4000000000003220", failsLater: "4000000000000341" } as const;
type Card = keyof typeof CARDS;
type Fate = "ok" | "twice" | "fail" | "lost" | "later";

type Command =
  | { do: "pay"; b: number; card: Card; wrongHolder: boolean }
  | { do: "confirmAll" }
  | { do: "bid"; b: number }
  | { do: "wait"; ms: number }
  | { do: "deliver"; fates: Fate[]; shuffle: number }
  | { do: "clock" }
  | { do: "suspend"; reason: "suspended" | "stayed" | "withdrawn" | "revoked" }
  | { do: "close" }
  | { do: "settle" }
  | { do: "payBalance"; card: Card }
  | { do: "default" }
  | { do: "payout"; pct: number };

const cardArb = fc.constantFrom<Card>("succeeds", "succeeds", "declined", "confirm", "abandon", "failsLater");
const fateArb = fc.constantFrom<Fate>("ok", "ok", "ok", "twice", "fail", "lost", "later");
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ do: fc.constant("pay" as const), b: fc.nat({ max: POOL - 1 }), card: cardArb, wrongHolder: fc.constantFrom(false, false, false, true) }) },
  { weight: 1, arbitrary: fc.constant({ do: "confirmAll" as const }) },
  { weight: 6, arbitrary: fc.record({ do: fc.constant("bid" as const), b: fc.nat({ max: POOL - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant("wait" as const), ms: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 3 * DAY })) }) },
  { weight: 7, arbitrary: fc.record({ do: fc.constant("deliver" as const), fates: fc.array(fateArb, { minLength: 1, maxLength: 6 }), shuffle: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ do: "clock" as const }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant("suspend" as const), reason: fc.constantFrom("suspended" as const, "stayed" as const, "withdrawn" as const, "revoked" as const) }) },
  { weight: 2, arbitrary: fc.constant({ do: "close" as const }) },
  { weight: 1, arbitrary: fc.constant({ do: "settle" as const }) },
  { weight: 3, arbitrary: fc.record({ do: fc.constant("payBalance" as const), card: cardArb }) },
  { weight: 1, arbitrary: fc.constant({ do: "default" as const }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant("payout" as const), pct: fc.integer({ min: 1, max: 100 }) }) },
);
const scenarioArb = fc.record({ bidders: fc.integer({ min: 1, max: POOL }), commands: fc.array(commandArb, { minLength: 4, maxLength: 24 }) });
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

type Bidder = Awaited<ReturnType<typeof makeBidder>>;
let database: Database;
let court: Awaited<ReturnType<typeof makeCourt>>;
let pool: Bidder[];
let serial = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = new TestClock(BASE);
  court = await makeCourt(database.db, clock);
  pool = [];
  for (let i = 0; i < POOL; i++) pool.push(await makeBidder(database.db, clock, { name: `竞买人E${i}` }));
});
afterAll(() => database?.close());

/** A published lot of its own case and asset in the shared court, announced now (as makePublishedLot). */
async function publishedLot(db: Db, clock: TestClock) {
  const { judge, clerk } = court;
  const now = clock.now();
  const theCase = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${process.pid % 1000}${String(++serial).padStart(6, "0")}号`, enforcementBasis: "（2025）京0105民初100号民事判决书" });
  const asset = await createAsset(db, clock, judge, theCase.id, assetInput(now, "commercial"));
  await recordReferencePrice(db, clock, judge, asset.id, { method: "negotiation", amountFen: 100_000_000n, documentTitle: "议价记录", validFrom: new Date(now.getTime() - DAY), validUntil: new Date(now.getTime() + 300 * DAY) });
  const biddingStartsAt = new Date(now.getTime() + 31 * DAY);
  const lot = await createLotDraft(db, clock, clerk, lotDraftInput(asset.id, now, { startingPriceFen: START_FEN, depositFen: DEPOSIT_FEN, incrementFen: INCREMENT_FEN, biddingStartsAt }));
  await publishLot(db, clock, judge, lot.id);
  return { lotId: lot.id, caseId: theCase.id, biddingStartsAt };
}

/** Refusals are answers (the property is about money, not about who may act); anything else is a defect. */
async function refusable<T>(step: () => Promise<T>): Promise<T | null> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}

/** A deterministic shuffle from the run's seed (fast-check replays it when it shrinks). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

class Run {
  readonly clock = new TestClock(BASE);
  readonly gateway: SimulatedGateway;
  /** Signed bodies delivered once already, sent again by a later delivery (a provider's replay). */
  private replays: { body: string; headers: Record<string, string> }[] = [];
  private bidSerial = 0;
  private payouts = 0;

  private readonly db: Db;
  readonly lot: { lotId: string; caseId: string; biddingStartsAt: Date };
  readonly bidders: Bidder[];

  constructor(db: Db, lot: { lotId: string; caseId: string; biddingStartsAt: Date }, bidders: Bidder[]) {
    this.db = db;
    this.lot = lot;
    this.bidders = bidders;
    this.gateway = testGateway(db, this.clock);
  }

  async closesAt(): Promise<{ status: string; closesAt: Date; price: bigint | null; winner: string | null }> {
    const [l] = await this.db.select().from(lots).where(eq(lots.id, this.lot.lotId));
    return { status: l!.status, closesAt: l!.closesAt, price: l!.currentPriceFen, winner: l!.winnerRegistrationId };
  }

  async step(c: Command): Promise<void> {
    const { db, clock, gateway } = this;
    const { lotId, caseId } = this.lot;
    switch (c.do) {
      case "pay": {
        const bidder = this.bidders[c.b % this.bidders.length]!;
        const started = await refusable(() => startDepositPayment(db, clock, gateway, bidder, lotId, "/"));
        if (started?.redirectUrl) await this.payAtCheckout(started.redirectUrl, c.card, c.wrongHolder ? "李四" : bidder.displayName);
        return;
      }
      case "confirmAll": {
        const waiting = await db.select({ id: simCharges.id }).from(simCharges).innerJoin(payments, eq(payments.providerRef, simCharges.id)).where(and(eq(payments.caseId, caseId), eq(simCharges.status, "requires_action")));
        for (const w of waiting) await gateway.confirm(w.id, CONFIRMATION_CODE);
        return;
      }
      case "bid": {
        const bidder = this.bidders[c.b % this.bidders.length]!;
        if (clock.now() < this.lot.biddingStartsAt) clock.set(this.lot.biddingStartsAt);
        const { price } = await this.closesAt();
        await refusable(() => placeBid(db, clock, silentPublisher, bidder, lotId, { amountFen: price === null ? START_FEN : price + INCREMENT_FEN, clientBidId: `${lotId}-${++this.bidSerial}` }));
        return;
      }
      case "wait":
        clock.advance(c.ms);
        return;
      case "deliver":
        await this.deliver(c.fates, c.shuffle);
        return;
      case "clock":
        return this.escrowClock();
      case "suspend":
        await releaseLotDeposits(db, clock, lotId, c.reason);
        return;
      case "close":
        return this.close();
      case "settle":
        await settleLotDeposits(db, clock, lotId);
        return;
      case "payBalance": {
        const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lotId));
        const winner = due && this.bidders.find((b) => b.id === due.userId);
        if (!winner) return;
        const started = await refusable(() => startBalancePayment(db, clock, gateway, winner, lotId, "/"));
        if (started?.redirectUrl) await this.payAtCheckout(started.redirectUrl, c.card, winner.displayName);
        return;
      }
      case "default": {
        const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lotId));
        if (due && clock.now() <= due.dueAt) clock.set(new Date(due.dueAt.getTime() + 1));
        return this.escrowClock();
      }
      case "payout": {
        await db.transaction(async (tx) => {
          const escrow = await caseEscrowAccount(tx, clock, caseId);
          const amountFen = (available(escrow) * BigInt(c.pct)) / 100n;
          if (amountFen <= 0n) return;
          await requestMoneyOut(tx, clock, { kind: "payout", key: `payout:${caseId}:${++this.payouts}`, gatewayId: gateway.id, from: escrow, amountFen, payeeName: "申请执行人", purpose: "payout", caseId });
        });
        return;
      }
    }
  }

  /** The payer at the gateway's checkout page: card, name on it, and the bank's confirmation step when asked. */
  private async payAtCheckout(redirectUrl: string, card: Card, holderName: string) {
    const chargeId = redirectUrl.split("/").pop()!;
    const charge = await this.gateway.submitCard(chargeId, { number: CARDS[card], holderName });
    if (card === "confirm" && charge.status === "requires_action") await this.gateway.confirm(chargeId, CONFIRMATION_CODE);
  }

  /** Closes the lot, following late bids' extensions (D3). */
  async close() {
    for (;;) {
      const lot = await this.closesAt();
      if (lot.status !== "published") return;
      if (this.clock.now() < lot.closesAt) this.clock.set(lot.closesAt);
      if ((await closeLot(this.db, this.clock, silentPublisher, this.lot.lotId)).kind === "closed") return;
    }
  }

  async escrowClock() {
    const { errors } = await runEscrowClock(this.db, this.clock, this.gateway);
    expect(errors).toEqual([]);
  }

  /**
   * Delivers the due webhooks in a shuffled order, each with its fate: once, twice, replayed at a later delivery,
   * failed (the gateway retries later), or lost for good (the gateway thinks it was delivered).
   */
  async deliver(fates: Fate[], seed: number): Promise<number> {
    for (const r of this.replays.splice(0)) await this.receive(r.body, r.headers);
    const due = await this.db.select().from(simWebhooks).where(and(isNull(simWebhooks.deliveredAt), lte(simWebhooks.deliverAfter, this.clock.now())));
    const order = shuffled(due, seed);
    for (const [i, w] of order.entries()) {
      const fate = fates[i % fates.length]!;
      const body = JSON.stringify(w.payload);
      const headers = { "content-type": "application/json", [SIGNATURE_HEADER]: signPayload(TEST_WEBHOOK_SECRET, body, this.clock.now()) };
      if (fate === "ok" || fate === "twice" || fate === "later") await this.receive(body, headers);
      if (fate === "twice") await this.receive(body, headers);
      if (fate === "later") this.replays.push({ body, headers });
      await this.db
        .update(simWebhooks)
        .set({ attempts: w.attempts + 1, ...(fate === "fail" ? {} : { deliveredAt: this.clock.now() }) })
        .where(eq(simWebhooks.id, w.id));
    }
    return due.length;
  }

  private async receive(body: string, headers: Record<string, string>) {
    try {
      await receiveWebhook(this.db, this.clock, this.gateway, Buffer.from(body), headers);
    } catch (error) {
      // A replay whose signature has gone stale is refused, as it should be; nothing else may fail.
      if (!(error instanceof AppError && error.code === "WEBHOOK_SIGNATURE_INVALID")) throw error;
    }
  }

  /** Drives the lot to its end: closed, settled, the balance paid or defaulted, every webhook and transfer done. */
  async finish() {
    await this.close();
    for (let round = 0; round < 8; round++) {
      const [due] = await this.db.select().from(balancesDue).where(eq(balancesDue.lotId, this.lot.lotId));
      this.clock.set(new Date(Math.max(this.clock.now().getTime(), due?.dueAt.getTime() ?? 0) + DAY));
      await this.escrowClock();
      const delivered = await this.deliver(["ok"], round);
      if (delivered === 0 && (await this.unfinished()) === 0) return;
    }
    throw new Error(`lot ${this.lot.lotId} did not settle: ${await this.unfinished()} transfers or payments open`);
  }

  private async unfinished(): Promise<number> {
    const { db } = this;
    const out = await db.$count(moneyOut, and(eq(moneyOut.caseId, this.lot.caseId), inArray(moneyOut.status, ["pending", "sent", "failed"])));
    const open = await db.$count(
      payments,
      and(eq(payments.caseId, this.lot.caseId), inArray(payments.status, ["created", "requires_action", "processing"]), sql`exists (select 1 from sim_charges c where c.id = ${payments.providerRef} and c.status in ('succeeded','failed'))`),
    );
    const due = await db.$count(balancesDue, and(eq(balancesDue.lotId, this.lot.lotId), eq(balancesDue.status, "due")));
    return out + open + due;
  }
}

/** The lot's books once it has ended: each paid deposit ended once, nothing left in a deposit, no refund paid twice. */
async function checkLot(db: Db, run: Run) {
  const { lotId, caseId } = run.lot;
  const regs = await db.select({ id: registrations.id }).from(registrations).where(eq(registrations.lotId, lotId));
  const outcomes = new Map((await db.select().from(depositOutcomes).where(eq(depositOutcomes.lotId, lotId))).map((o) => [o.registrationId, o]));
  const pays = await db.select().from(payments).where(eq(payments.lotId, lotId));
  // F1, F2, F4, G6, P2: every accepted deposit ended released, applied or forfeited (one row per registration by key).
  for (const p of pays.filter((p) => p.kind === "deposit" && p.status === "succeeded")) {
    expect(outcomes.get(p.registrationId), `deposit ${p.id} has no outcome`).toMatchObject({ amountFen: DEPOSIT_FEN });
  }
  for (const o of outcomes.values()) expect(pays.some((p) => p.registrationId === o.registrationId && p.kind === "deposit" && p.status === "succeeded")).toBe(true);
  // Nothing stays in a deposit account once the lot has ended: out to the payer or into the case's escrow.
  const deposits = await db.select().from(ledgerAccounts).where(inArray(ledgerAccounts.registrationId, regs.map((r) => r.id)));
  for (const a of deposits) expect({ key: a.key, held: a.creditsPostedFen - a.debitsPostedFen, pending: a.debitsPendingFen + a.creditsPendingFen }).toEqual({ key: a.key, held: 0n, pending: 0n });
  // Every refund and payout reached the gateway once and was confirmed.
  const outs = await db.select().from(moneyOut).where(eq(moneyOut.caseId, caseId));
  for (const m of outs) expect({ key: m.idempotencyKey, status: m.status }).toEqual({ key: m.idempotencyKey, status: "succeeded" });
  // H2: no charge is refunded more than was paid; each refused payment and each release refunded exactly its amount.
  const charges = await db.select().from(simCharges).where(inArray(simCharges.id, pays.flatMap((p) => (p.providerRef ? [p.providerRef] : []))));
  const refunds = charges.length ? await db.select().from(simTransfers).where(inArray(simTransfers.chargeId, charges.map((c) => c.id))) : [];
  for (const c of charges) {
    // The platform knows what the gateway knows: a charge that succeeded is booked, one that failed is failed.
    const p = pays.find((x) => x.providerRef === c.id)!;
    if (c.status === "succeeded") expect(["succeeded", "refused"], `charge ${c.id} succeeded`).toContain(p.status);
    if (c.status === "failed") expect(p.status, `charge ${c.id} failed`).toBe("failed");
    const refunded = refunds.filter((r) => r.chargeId === c.id).reduce((s, r) => s + r.amountFen, 0n);
    expect(refunded, `charge ${c.id} refunded more than paid`).toBeLessThanOrEqual(c.amountFen);
    const owed = p.status === "refused" || (p.kind === "deposit" && outcomes.get(p.registrationId)?.outcome === "released" && p.status === "succeeded") ? c.amountFen : 0n;
    const lateBalance = p.kind === "balance" && p.status === "succeeded" && outs.some((m) => m.idempotencyKey === `refund-late-balance:${p.id}`) ? c.amountFen : 0n;
    expect(refunded, `charge ${c.id} (${p.kind}, ${p.status})`).toBe(owed + lateBalance);
  }
  // P14: the case's escrow holds what came in (the winner's deposit, an accepted balance) less what was paid out.
  const [due] = await db.select().from(balancesDue).where(eq(balancesDue.lotId, lotId));
  if (due) expect(["paid", "defaulted"]).toContain(due.status);
  const escrow = await findAccount(db, { kind: "case_escrow", owner: caseId });
  const accepted = due?.status === "paid" ? due.amountFen : 0n;
  const paidOut = outs.filter((m) => m.kind === "payout").reduce((s, m) => s + m.amountFen, 0n);
  // A balance refunded after a default came in and went out again: it nets to nothing.
  expect(escrow ? escrow.creditsPostedFen - escrow.debitsPostedFen : 0n).toBe((due?.depositAppliedFen ?? 0n) + accepted - paidOut);
}

async function runScenario(s: Scenario) {
  const { db } = database;
  const clock = new TestClock(BASE);
  const lot = await publishedLot(db, clock);
  const bidders = pool.slice(0, s.bidders);
  for (const b of bidders) await applyForLot(db, clock, b, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
  const run = new Run(db, lot, bidders);
  for (const c of s.commands) await run.step(c);
  await run.finish();
  await checkLot(db, run);
}

describe("webhooks lost for good", () => {
  it("P14, F1: a deposit whose success never arrives is booked, and a refund whose confirmation never arrives is posted, by the escrow clock asking the gateway just after ASK_GATEWAY_AFTER_MS", async () => {
    const { db } = database;
    const clock = new TestClock(BASE);
    const lot = await publishedLot(db, clock);
    const [bidder] = pool;
    await applyForLot(db, clock, bidder!, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const run = new Run(db, lot, [bidder!]);
    const at = run.clock;
    await run.step({ do: "pay", b: 0, card: "succeeds", wrongHolder: false });
    await run.deliver(["lost"], 0);
    const payment = async () => (await db.select().from(payments).where(eq(payments.lotId, lot.lotId)))[0]!;
    at.advance(ASK_GATEWAY_AFTER_MS);
    await run.escrowClock();
    expect((await payment()).status).toBe("created");
    at.advance(1);
    await run.escrowClock();
    expect((await payment()).status).toBe("succeeded");
    const [reg] = await db.select().from(registrations).where(eq(registrations.lotId, lot.lotId));
    expect(reg).toMatchObject({ status: "active" });
    // Withdrawn: the deposit is released; the refund goes out; its confirmation is lost.
    await run.step({ do: "suspend", reason: "withdrawn" });
    await run.escrowClock();
    await run.deliver(["lost"], 0);
    const refund = async () => (await db.select().from(moneyOut).where(eq(moneyOut.caseId, lot.caseId)))[0]!;
    expect((await refund()).status).toBe("sent");
    at.advance(ASK_GATEWAY_AFTER_MS);
    await run.escrowClock();
    expect((await refund()).status).toBe("sent");
    at.advance(1);
    await run.escrowClock();
    expect((await refund()).status).toBe("succeeded");
    const deposit = await findAccount(db, { kind: "deposit", owner: reg!.id });
    expect(deposit).toMatchObject({ creditsPostedFen: DEPOSIT_FEN, debitsPostedFen: DEPOSIT_FEN, debitsPendingFen: 0n });
  });
});

describe("escrow under random histories", () => {
  it(
    `P14, F1, F2, F4, G6, P2, H2: deposits with declined, confirmed, abandoned, failing and other people's cards, bids, closes, suspensions, balances paid or defaulted, payouts, and webhooks shuffled, doubled, replayed and lost — every transfer balances, every paid deposit ends once, no refund is paid twice (${RUNS} runs)`,
    async () => {
      const started = Date.now();
      for (let done = 0; done < RUNS; done += RUNS_PER_BATCH) {
        await fc.assert(
          fc.asyncProperty(scenarioArb, (s) => runScenario(s)),
          { numRuns: Math.min(RUNS_PER_BATCH, RUNS - done) },
        );
        const ledger = await verifyLedger(database.db);
        expect(ledger.differences).toEqual([]);
        if (process.env.ESCROW_PROPERTY_LOG) console.log(JSON.stringify({ done: Math.min(done + RUNS_PER_BATCH, RUNS), seconds: Math.round((Date.now() - started) / 1000), transfers: ledger.transfers }));
      }
      console.log(JSON.stringify({ runs: RUNS, seconds: Math.round((Date.now() - started) / 1000) }));
    },
    Math.max(120_000, RUNS * 3_000),
  );
});
