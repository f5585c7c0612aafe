import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { lots } from "../../db/schema/index.ts";
import {
  addPriorityHolder,
  applyForLot,
  closeLot,
  createAsset,
  createCase,
  createLotDraft,
  getPublicLot,
  placeBid,
  placeBids,
  publishLot,
  recordReferencePrice,
  silentPublisher,
  type AcceptedBid,
} from "../../auction/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, lotDraftInput, makeBidder, makeCourt } from "../fixtures/auction.ts";
import { modelBid, modelClose, newModel, type ModelAnswer, type ModelState } from "../support/bidding-model.ts";
import { payDeposit } from "../support/payments.ts";

/*
 * Every run: a fresh lot, 3 ordinary bidders (B0–B2) and 2 priority holders (B3, B4; ranks drawn
 * from {1, 2}), a list of commands run through the engine (placeBid on a real database) and the
 * reference model (tests/support/bidding-model.ts) side by side. Each answer is compared; at the end
 * the lot is closed and the winner, price and close instant compared.
 *
 * Lots are made here rather than with makePublishedLot so that all runs share one court: a failing
 * property is shrunk over hundreds of runs, and a court per lot would exhaust the fixture's
 * random court codes (unique) and fail for an unrelated reason.
 */

const DAY = 24 * 60 * 60 * 1000;
const BASE = new Date("2026-11-26T02:00:00Z");
const START_FEN = 70_000_000n;
const RUN_TIMEOUT_MS = 180_000;

type Amount =
  | { how: "raise"; steps: number } // (price ?? start) + steps × increment
  | { how: "abs"; k: number; offPct: number } // start + k × increment + offPct% of an increment
  | { how: "match" } // exactly the current price (the start before any bid)
  | { how: "below"; by: "1fen" | "1inc" | "2inc" }; // under the current price (or the start)

type Command =
  | { do: "skip" } // does nothing: shrinking turns irrelevant commands into skips
  | { do: "bid"; bidder: number; amount: Amount }
  | { do: "retry"; of: number } // resend the n-th earlier send (mod count): same bidder, amount, clientBidId
  | { do: "wait"; ms: number } // small clock move
  | { do: "nearClose"; msBefore: number } // jump to close − 1..400 s (never backwards)
  | { do: "window"; deltaMs: -1 | 0 | 1 } // jump to close − 5 min + δ: the D3 boundary to the ms
  | { do: "pastClose"; ms: number } // jump to close + 0..2 s
  // several bids decided in one transaction (the bid desk's batch, ADR 010), at one instant; each
  // "raise" counts from the price before the burst plus one increment per earlier bid of the burst
  | { do: "burst"; bids: ({ bidder: number; amount: Amount } | { retry: number })[] };

const amountArb: fc.Arbitrary<Amount> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ how: fc.constant("raise" as const), steps: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      how: fc.constant("abs" as const),
      k: fc.integer({ min: 0, max: 12 }),
      offPct: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ how: "match" as const }) },
  { weight: 1, arbitrary: fc.record({ how: fc.constant("below" as const), by: fc.constantFrom("1fen" as const, "1inc" as const, "2inc" as const) }) },
);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { withCrossShrink: true },
  { weight: 2, arbitrary: fc.constant({ do: "skip" as const }) },
  { weight: 48, arbitrary: fc.record({ do: fc.constant("bid" as const), bidder: fc.integer({ min: 0, max: 4 }), amount: amountArb }) },
  { weight: 12, arbitrary: fc.record({ do: fc.constant("retry" as const), of: fc.nat({ max: 40 }) }) },
  { weight: 8, arbitrary: fc.record({ do: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 120_000 }) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant("nearClose" as const), msBefore: fc.integer({ min: 1, max: 400 }).map((s) => s * 1000) }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant("window" as const), deltaMs: fc.constantFrom(-1 as const, 0 as const, 1 as const) }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant("pastClose" as const), ms: fc.integer({ min: 0, max: 2000 }) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      do: fc.constant("burst" as const),
      bids: fc.array(
        fc.oneof(
          { weight: 5, arbitrary: fc.record({ bidder: fc.integer({ min: 0, max: 4 }), amount: amountArb }) },
          { weight: 1, arbitrary: fc.record({ retry: fc.nat({ max: 40 }) }) },
        ),
        { minLength: 2, maxLength: 6 },
      ),
    }),
  },
);

const scenarioArb = fc.record({
  incrementFen: fc.constantFrom(100n, 5_000n, 100_000n),
  ranks: fc.tuple(fc.constantFrom(1, 2), fc.constantFrom(1, 2)),
  msBeforeStart: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30_000 })),
  commands: fc.array(commandArb, { minLength: 15, maxLength: 40 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

type Bidder = Awaited<ReturnType<typeof makeBidder>>;
type Court = Awaited<ReturnType<typeof makeCourt>>;

let database: Database;
let court: Court;
let bidders: Bidder[];
let lotSerial = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = new TestClock(BASE);
  court = await makeCourt(database.db, clock);
  bidders = [];
  for (let i = 0; i < 5; i++) bidders.push(await makeBidder(database.db, clock, { name: `竞买人B${i}` }));
});
afterAll(() => database?.close());

/** A published first-round lot of the shared court, announced now, bidding 31 days later for 24 h (as makePublishedLot). */
async function publishedLot(db: Db, clock: TestClock, incrementFen: bigint, priorityHolders: { name: string; identityNumber: string; rank: number }[]) {
  const { judge, clerk } = court;
  const now = clock.now();
  const n = ++lotSerial;
  const theCase = await createCase(db, clock, judge, {
    caseNumber: `（2026）京0105执${process.pid % 1000}${String(n).padStart(6, "0")}号`,
    enforcementBasis: "（2025）京0105民初100号民事判决书",
  });
  const asset = await createAsset(db, clock, judge, theCase.id, assetInput(now, "commercial"));
  await recordReferencePrice(db, clock, judge, asset.id, {
    method: "negotiation",
    amountFen: 100_000_000n,
    documentTitle: "议价记录",
    validFrom: new Date(now.getTime() - DAY),
    validUntil: new Date(now.getTime() + 300 * DAY),
  });
  const biddingStartsAt = new Date(now.getTime() + 31 * DAY);
  const lot = await createLotDraft(db, clock, clerk, lotDraftInput(asset.id, now, { startingPriceFen: START_FEN, depositFen: START_FEN / 10n, incrementFen, biddingStartsAt }));
  for (const h of priorityHolders) await addPriorityHolder(db, clock, clerk, lot.id, { ...h, kind: "co_owner", basis: "按份共有人" });
  const published = await publishLot(db, clock, judge, lot.id);
  return { lotId: lot.id, biddingStartsAt, closesAt: published.closesAt };
}

type EngineAnswer = { ok: true; bid: AcceptedBid } | { ok: false; code: string };

async function engineBid(db: Db, clock: TestClock, bidder: Bidder, lotId: string, amountFen: bigint, clientBidId: string): Promise<EngineAnswer> {
  try {
    return { ok: true, bid: await placeBid(db, clock, silentPublisher, bidder, lotId, { amountFen, clientBidId }) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code };
    throw error; // anything else is a defect: fast-check reports it with the counterexample
  }
}

class Disagreement extends Error {
  override name = "Disagreement";
}

async function runScenario(s: Scenario): Promise<void> {
  const { db } = database;
  const clock = new TestClock(BASE);
  const holders = [3, 4].map((i, j) => ({ name: `优先购买权人B${i}`, identityNumber: bidders[i]!.identityNumber, rank: s.ranks[j]! }));
  const lot = await publishedLot(db, clock, s.incrementFen, holders);
  const codes: string[] = [];
  for (const b of bidders) {
    await applyForLot(db, clock, b, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const { bidderCode } = await payDeposit(db, clock, b, lot.lotId);
    codes.push(bidderCode!);
  }
  const rankOf = (i: number): number | null => (i < 3 ? null : s.ranks[i - 3]!);
  const inc = s.incrementFen;
  const model: ModelState = newModel({ startsAt: lot.biddingStartsAt, closesAt: lot.closesAt, start: START_FEN, increment: inc });
  clock.set(new Date(lot.biddingStartsAt.getTime() - s.msBeforeStart));

  const t0 = lot.biddingStartsAt.getTime();
  const rel = (t: number | Date) => {
    const d = (typeof t === "number" ? t : t.getTime()) - t0;
    return `start${d < 0 ? "-" : "+"}${Math.abs(d)}ms`;
  };
  const trace: string[] = [
    `lot: start ${START_FEN} fen, increment ${inc}, bidding ${lot.biddingStartsAt.toISOString()} → ${lot.closesAt.toISOString()} (= start+${DAY}ms); ` +
      `B3 rank ${s.ranks[0]}, B4 rank ${s.ranks[1]}; clock starts at ${rel(clock.now())}`,
  ];
  const fail: (what: string) => never = (what) => {
    throw new Disagreement(`${what}\n--- trace (engine vs model) ---\n${trace.join("\n")}`);
  };
  const sends: { bidder: number; amount: bigint; clientBidId: string }[] = [];
  /** Engine bid id of each accepted model bid (by model index). */
  const ids = new Map<number, string>();
  const moveTo = (t: number) => clock.set(new Date(Math.max(clock.now().getTime(), t)));

  const show = (a: EngineAnswer | ModelAnswer, engine: boolean): string => {
    if (!a.ok) return `refused ${a.code}`;
    if (engine) {
      const b = (a as { ok: true; bid: AcceptedBid }).bid;
      return `${b.replay ? "REPLAY" : "accepted"} ${b.bidderCode} ${b.amountFen} at ${rel(b.placedAt)} closesAt ${rel(b.closesAt)}${b.extended ? " (extended)" : ""}`;
    }
    const m = a as Extract<ModelAnswer, { ok: true }>;
    return `${m.replay ? "REPLAY" : "accepted"} B${m.bid.bidder.slice(1)} ${m.bid.amount} at ${rel(m.bid.at)} closesAt ${rel(m.closesAt)}${m.extended ? " (extended)" : ""}`;
  };

  const send = async (label: string, bidderIndex: number, amount: bigint, clientBidId: string) => {
    const at = clock.now().getTime();
    const engine = await engineBid(db, clock, bidders[bidderIndex]!, lot.lotId, amount, clientBidId);
    compare(label, at, bidderIndex, amount, clientBidId, engine);
  };

  /** Several bids in one batch: the engine decides them together; the model one after another, at the same instant. */
  const sendBurst = async (label: string, items: { bidder: number; amount: bigint; clientBidId: string }[]) => {
    const at = clock.now().getTime();
    const answers = await placeBids(
      db,
      clock,
      silentPublisher,
      lot.lotId,
      items.map((x) => ({ actor: bidders[x.bidder]!, input: { amountFen: x.amount, clientBidId: x.clientBidId } })),
    );
    trace.push(`${label} burst of ${items.length}:`);
    items.forEach((x, k) => {
      const a = answers[k]!;
      compare(`${label}.${k}`, at, x.bidder, x.amount, x.clientBidId, a.ok ? a : { ok: false, code: a.error.code });
    });
  };

  const compare = (label: string, at: number, bidderIndex: number, amount: bigint, clientBidId: string, engine: EngineAnswer) => {
    const expected = modelBid(model, `B${bidderIndex}`, rankOf(bidderIndex), amount, clientBidId, at);
    trace.push(`${label} @${rel(at)} B${bidderIndex}${rankOf(bidderIndex) ? `(rank ${rankOf(bidderIndex)})` : ""} bids ${amount} [${clientBidId}]: engine ${show(engine, true)} | model ${show(expected, false)}`);
    if (engine.ok !== expected.ok) fail(`${label}: engine ${engine.ok ? "accepted" : "refused"}, model ${expected.ok ? "accepted" : "refused"}`);
    if (!engine.ok || !expected.ok) {
      if (!engine.ok && !expected.ok && engine.code !== expected.code) fail(`${label}: refusal code: engine ${engine.code}, model ${expected.code}`);
      return;
    }
    const b = engine.bid;
    const m = expected;
    if (b.replay !== m.replay) fail(`${label}: replay flag: engine ${b.replay}, model ${m.replay}`);
    if (b.amountFen !== m.bid.amount) fail(`${label}: amount: engine ${b.amountFen}, model ${m.bid.amount}`);
    if (b.bidderCode !== codes[bidderIndex]) fail(`${label}: bidder code: engine ${b.bidderCode}, expected ${codes[bidderIndex]}`);
    if (b.placedAt.getTime() !== m.bid.at) fail(`${label}: placedAt: engine ${rel(b.placedAt)}, model ${rel(m.bid.at)}`);
    if (b.closesAt.getTime() !== m.closesAt) {
      fail(`${label}: returned closesAt: engine ${rel(b.closesAt)}, model ${rel(m.closesAt)}${m.replay ? " (a resend gets the first answer: the close instant after that bid)" : ""}`);
    }
    if (b.extended !== m.extended) fail(`${label}: extended: engine ${b.extended}, model ${m.extended}`);
    if (m.replay) {
      if (b.id !== ids.get(m.bid.index)) fail(`${label}: replay returned bid ${b.id}, the original was ${ids.get(m.bid.index)}`);
    } else {
      ids.set(m.bid.index, b.id);
    }
  };

  const checkLotRow = async (label: string) => {
    const [row] = await db.select({ closesAt: lots.closesAt, price: lots.currentPriceFen, bidCount: lots.bidCount }).from(lots).where(eq(lots.id, lot.lotId));
    if (row!.closesAt.getTime() !== model.closesAt) fail(`${label}: lot closesAt: engine ${rel(row!.closesAt)}, model ${rel(model.closesAt)}`);
    if (row!.price !== model.price) fail(`${label}: lot current price: engine ${row!.price}, model ${model.price}`);
    if (row!.bidCount !== model.bids.length) fail(`${label}: lot bid count: engine ${row!.bidCount}, model ${model.bids.length}`);
  };

  for (const [i, c] of s.commands.entries()) {
    const label = `#${i}`;
    switch (c.do) {
      case "skip":
        break;
      case "bid": {
        const ref = model.price ?? START_FEN;
        const a = c.amount;
        const amount =
          a.how === "raise"
            ? ref + BigInt(a.steps) * inc
            : a.how === "abs"
              ? START_FEN + BigInt(a.k) * inc + (inc * BigInt(a.offPct)) / 100n
              : a.how === "match"
                ? ref
                : ref - (a.by === "1fen" ? 1n : a.by === "1inc" ? inc : 2n * inc);
        const clientBidId = `run${lotSerial}-cmd${i}`;
        sends.push({ bidder: c.bidder, amount, clientBidId });
        await send(label, c.bidder, amount, clientBidId);
        await checkLotRow(label);
        break;
      }
      case "retry": {
        if (sends.length === 0) {
          trace.push(`${label} retry: nothing sent yet`);
          break;
        }
        const prev = sends[c.of % sends.length]!;
        await send(`${label} retry`, prev.bidder, prev.amount, prev.clientBidId);
        await checkLotRow(label);
        break;
      }
      case "wait":
        clock.advance(c.ms);
        trace.push(`${label} clock +${c.ms}ms → ${rel(clock.now())}`);
        break;
      case "nearClose":
        moveTo(model.closesAt - c.msBefore);
        trace.push(`${label} clock → close−${c.msBefore}ms (never backwards) → ${rel(clock.now())}, close ${rel(model.closesAt)}`);
        break;
      case "window":
        moveTo(model.closesAt - 5 * 60_000 + c.deltaMs);
        trace.push(`${label} clock → close−5min${c.deltaMs >= 0 ? "+" : ""}${c.deltaMs}ms (never backwards) → ${rel(clock.now())}, close ${rel(model.closesAt)}`);
        break;
      case "pastClose":
        moveTo(model.closesAt + c.ms);
        trace.push(`${label} clock → close+${c.ms}ms → ${rel(clock.now())}`);
        break;
      case "burst": {
        const ref = model.price ?? START_FEN;
        const items = c.bids.flatMap((x, k) => {
          if ("retry" in x) {
            const prev = sends[x.retry % Math.max(1, sends.length)];
            return prev ? [prev] : [];
          }
          const a = x.amount;
          const base = ref + BigInt(k) * inc;
          const amount =
            a.how === "raise"
              ? base + BigInt(a.steps) * inc
              : a.how === "abs"
                ? START_FEN + BigInt(a.k) * inc + (inc * BigInt(a.offPct)) / 100n
                : a.how === "match"
                  ? ref
                  : ref - (a.by === "1fen" ? 1n : a.by === "1inc" ? inc : 2n * inc);
          const item = { bidder: x.bidder, amount, clientBidId: `run${lotSerial}-cmd${i}-${k}` };
          sends.push(item);
          return [item];
        });
        if (items.length === 0) break;
        await sendBurst(label, items);
        await checkLotRow(label);
        break;
      }
    }
  }

  // The close: a job run one ms early finds the lot not yet due; at the close instant it closes (D3, D6).
  if (clock.now().getTime() < model.closesAt - 1) {
    clock.set(new Date(model.closesAt - 1));
    const early = await closeLot(db, clock, silentPublisher, lot.lotId);
    trace.push(`close @${rel(clock.now())}: engine ${JSON.stringify(early)}`);
    if (early.kind !== "not_yet") return fail(`closeLot 1 ms before the model's close: engine ${early.kind}, model not_yet`);
    if (early.closesAt.getTime() !== model.closesAt) fail(`closeLot not_yet closesAt: engine ${rel(early.closesAt)}, model ${rel(model.closesAt)}`);
  }
  moveTo(model.closesAt);
  const closed = await closeLot(db, clock, silentPublisher, lot.lotId);
  const expected = modelClose(model, clock.now());
  const view = await getPublicLot(db, clock, lot.lotId);
  trace.push(
    `close @${rel(clock.now())}: engine ${closed.kind}/${"outcome" in closed ? closed.outcome : "-"} buyer ${view?.buyer?.bidderCode ?? "none"} price ${view?.currentPriceFen} closedAt ${view?.closedAt ? rel(view.closedAt) : "-"}` +
      ` | model ${expected.kind === "closed" ? `${expected.outcome} buyer ${expected.winner ?? "none"} price ${expected.price} closedAt ${rel(expected.closedAt)}` : expected.kind}`,
  );
  if (closed.kind !== "closed" || expected.kind !== "closed") return fail(`closeLot at the close: engine ${closed.kind}, model ${expected.kind}`);
  if (closed.outcome !== expected.outcome) fail(`outcome: engine ${closed.outcome}, model ${expected.outcome}`);
  if (!view) return fail("getPublicLot found no lot");
  if (view.status !== expected.outcome) fail(`status: engine ${view.status}, model ${expected.outcome}`);
  const winnerCode = expected.winner === null ? null : codes[Number(expected.winner.slice(1))]!;
  if ((view.buyer?.bidderCode ?? null) !== winnerCode) fail(`winner: engine ${view.buyer?.bidderCode ?? "none"}, model ${winnerCode ?? "none"} (${expected.winner ?? "failed"})`);
  if ((view.buyer?.priceFen ?? null) !== expected.price) fail(`final price: engine ${view.buyer?.priceFen ?? "none"}, model ${expected.price ?? "none"}`);
  if (view.currentPriceFen !== expected.price) fail(`lot current price: engine ${view.currentPriceFen}, model ${expected.price}`);
  if (view.closedAt?.getTime() !== expected.closedAt) fail(`close instant: engine ${view.closedAt ? rel(view.closedAt) : "none"}, model ${rel(expected.closedAt)}`);
  const history = [...view.bids].reverse().map((b) => `${b.bidderCode}:${b.amountFen}:${b.placedAt.getTime()}`);
  const modelHistory = model.bids.map((b) => `${codes[Number(b.bidder.slice(1))]}:${b.amount}:${b.at}`);
  if (history.join(",") !== modelHistory.join(",")) fail(`bid history: engine [${history.join(", ")}], model [${modelHistory.join(", ")}]`);

  // After the close: a resend of an accepted bid is replayed; a new bid is refused (LOT_CLOSED).
  const firstAccepted = model.bids[0];
  if (firstAccepted) {
    const b = Number(firstAccepted.bidder.slice(1));
    await send("after close: retry of the first accepted bid", b, firstAccepted.amount, firstAccepted.clientBidId);
  }
  await send("after close: new bid", 0, (model.price ?? START_FEN) + inc, `run${lotSerial}-late`);
}

describe("bidding engine against the reference model", () => {
  it(
    "D1–D6, E2, E3, P10: random bids, priority bids, retries and clock moves give the engine and the reference model the same answers, winner, price and close instant",
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (s) => {
          await runScenario(s);
        }),
        { numRuns: 25 },
      );
    },
    RUN_TIMEOUT_MS,
  );
});
