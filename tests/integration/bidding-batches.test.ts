import { createServer, connect as tcpConnect, type Server, type Socket } from "node:net";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { chainPendingAudits, verifyChain } from "../../core/audit.ts";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, bids, lots } from "../../db/schema/index.ts";
import { BidDesk, placeBids, silentPublisher, type AcceptedBid, type BidAnswer, type LotPublisher } from "../../auction/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { connect } from "../../db/client.ts";
import { makeActiveBidder, makeBidder, makePublishedLot } from "../fixtures/auction.ts";

const FIVE_MINUTES = 5 * 60_000;
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const show = (a: BidAnswer) => (a.ok ? `${a.bid.replay ? "replay" : "accepted"} ${a.bid.amountFen} seq ${a.bid.seq}` : a.error.code);

describe("a batch of bids in one transaction (ADR 010)", () => {
  it("D1, D3, D4, E3, P10: the bids of a batch are decided in their order, each against the lot as the bids before it left it", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { incrementFen: 100n });
    const [a, b, c] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
    const outsider = await makeBidder(db, clock);
    const judge = { ...outsider, role: "judge" as const };
    const [before] = await db.select({ seq: lots.seq }).from(lots).where(eq(lots.id, lot.lotId));
    // Two minutes before the close: every accepted bid extends (D3). The test clock stands still, so
    // the bids of the batch share one instant, and their order is their sequence.
    clock.set(new Date(lot.closesAt.getTime() - 2 * 60_000));
    const start = lot.startingPriceFen;
    const answers = await placeBids(db, clock, silentPublisher, lot.lotId, [
      { actor: a, input: { amountFen: start, clientBidId: "batch-a-1" } }, // D1: the first bid at the start
      { actor: b, input: { amountFen: start, clientBidId: "batch-b-1" } }, // after a's: too low
      { actor: b, input: { amountFen: start + 100n, clientBidId: "batch-b-2" } }, // one increment above a's
      { actor: a, input: { amountFen: start, clientBidId: "batch-a-1" } }, // a resend of a's first: its first answer
      { actor: judge, input: { amountFen: start + 200n, clientBidId: "batch-j-1" } }, // not a bidder
      { actor: outsider, input: { amountFen: start + 200n, clientBidId: "batch-o-1" } }, // not registered
      { actor: c, input: { amountFen: start + 250n, clientBidId: "batch-c-1" } }, // off the increment
      { actor: b, input: { amountFen: start + 200n, clientBidId: "batch-b-3" } }, // b leads already
      { actor: c, input: { amountFen: start + 300n, clientBidId: "batch-c-2" } },
      { actor: c, input: { amountFen: start + 300n, clientBidId: "batch-c-2" } }, // the same send twice in one batch
    ]);
    const seq0 = before!.seq;
    expect(answers.map(show)).toEqual([
      `accepted ${start} seq ${seq0 + 1}`,
      "BID_TOO_LOW",
      `accepted ${start + 100n} seq ${seq0 + 2}`,
      `replay ${start} seq ${seq0 + 1}`,
      "FORBIDDEN",
      "NOT_REGISTERED",
      "BID_OFF_INCREMENT",
      "ALREADY_LEADING",
      `accepted ${start + 300n} seq ${seq0 + 3}`,
      `replay ${start + 300n} seq ${seq0 + 3}`,
    ]);
    for (const x of answers) if (!x.ok) expect(x.error).toBeInstanceOf(AppError);
    // D3: the first bid moved the close to 5 minutes after it; the others at the same instant found the
    // close exactly 5 minutes away (not within the last 5 minutes) and left it there.
    const at = clock.now().getTime();
    const fresh = answers.flatMap((x) => (x.ok && !x.bid.replay ? [x.bid] : []));
    expect(fresh.map((x) => ({ placedAt: x.placedAt.getTime(), closesAt: x.closesAt.getTime(), extended: x.extended }))).toEqual([
      { placedAt: at, closesAt: at + FIVE_MINUTES, extended: true },
      { placedAt: at, closesAt: at + FIVE_MINUTES, extended: false },
      { placedAt: at, closesAt: at + FIVE_MINUTES, extended: false },
    ]);

    // Only the accepted bids are stored; the lot agrees with the last; one audit event per accepted bid, in order (P5).
    const rows = await db.select().from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    expect(rows.map((r) => [r.seq, r.amountFen, r.bidderCode])).toEqual([
      [seq0 + 1, start, a.bidderCode],
      [seq0 + 2, start + 100n, b.bidderCode],
      [seq0 + 3, start + 300n, c.bidderCode],
    ]);
    const [after] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    expect({ seq: after!.seq, price: after!.currentPriceFen, leader: after!.leadingBidId, count: after!.bidCount, closesAt: after!.closesAt.getTime() }).toEqual({
      seq: seq0 + 3,
      price: start + 300n,
      leader: rows[2]!.id,
      count: 3,
      closesAt: at + FIVE_MINUTES,
    });
    await chainPendingAudits(db); // ADR 021: events a busy chain left pending
    const events = await db.select().from(auditEvents).where(eq(auditEvents.entityId, lot.lotId)).orderBy(asc(auditEvents.seq));
    const bidEvents = events.filter((e) => e.action === "auction.bid_accepted");
    expect(bidEvents.map((e) => (e.data as { seq: number }).seq)).toEqual([seq0 + 1, seq0 + 2, seq0 + 3]);
    expect(bidEvents.map((e) => (e.data as { bidId: string }).bidId)).toEqual(rows.map((r) => r.id));
    expect(await verifyChain(db)).toMatchObject({ ok: true });

    // A later batch on the same lot finds the first one's answers again (D4) and the lot as it left it.
    const again = await placeBids(db, clock, silentPublisher, lot.lotId, [
      { actor: b, input: { amountFen: start + 100n, clientBidId: "batch-b-2" } },
      { actor: a, input: { amountFen: start + 300n, clientBidId: "batch-a-2" } },
    ]);
    expect(again.map(show)).toEqual([`replay ${start + 100n} seq ${seq0 + 2}`, "BID_TOO_LOW"]);
  });

  it("a batch for a lot that does not exist, or still in draft, is refused NOT_FOUND and writes nothing", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const bidder = await makeBidder(db, clock);
    const answers = await placeBids(db, clock, silentPublisher, "00000000-0000-4000-8000-000000000000", [{ actor: bidder, input: { amountFen: 100n, clientBidId: "nowhere-1" } }]);
    expect(answers.map(show)).toEqual(["NOT_FOUND"]);
  });
});

describe("bids that wait for the lot's lock", () => {
  it("D1, E3, P10: a bid that waited behind another is decided against the leader that bid left, not the one it saw when it began to wait", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { incrementFen: 100n });
    const a = await makeActiveBidder(db, clock, lot.lotId);
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    const start = lot.startingPriceFen;
    // Hold the lot's lock, so that both of a's bids queue for it in order; then let them go.
    const holder = connect(database.url, { max: 2 });
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        const [row] = await holder.sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
        if (row!.n >= n) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`fewer than ${n} statements wait for the lot`);
    };
    try {
      const lock = await holder.sql.reserve();
      await lock`begin`;
      await lock`select 1 from lots where id = ${lot.lotId} for update`;
      const first = placeBids(db, clock, silentPublisher, lot.lotId, [{ actor: a, input: { amountFen: start, clientBidId: "wait-a-1" } }]);
      await waiting(1);
      const second = placeBids(db, clock, silentPublisher, lot.lotId, [{ actor: a, input: { amountFen: start + 100n, clientBidId: "wait-a-2" } }]);
      await waiting(2);
      await lock`commit`;
      lock.release();
      expect([...(await first), ...(await second)].map(show)).toEqual([expect.stringMatching(/^accepted /), "ALREADY_LEADING"]);
    } finally {
      await holder.close();
    }
    const stored = await db.select({ amountFen: bids.amountFen }).from(bids).where(eq(bids.lotId, lot.lotId));
    expect(stored.map((b) => b.amountFen)).toEqual([start]);
  });
});

describe("the bid desk's admission (ADR 010)", () => {
  it("BID_BUSY: a bid that finds more waiting than the desk decides within busyAfterMs is answered at once and writes nothing; sent again later, the same clientBidId is judged as a new bid", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { incrementFen: 100n });
    const bidders = [];
    for (let i = 0; i < 8; i++) bidders.push(await makeActiveBidder(db, clock, lot.lotId));
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    // Batches of 2, and a budget (1 ms) no batch meets: one batch in flight, one waiting, the rest busy.
    const desk = new BidDesk(db, clock, silentPublisher, { maxBatch: 2, busyAfterMs: 1, lingerMs: 0 });
    const sends = bidders.map((b, i) => ({ b, amountFen: lot.startingPriceFen + BigInt(i) * 100n, clientBidId: `busy-${i}` }));
    const t0 = performance.now();
    const first = await Promise.allSettled(sends.map((s) => desk.place(s.b, lot.lotId, { amountFen: s.amountFen, clientBidId: s.clientBidId })));
    const outcome = first.map((r) => (r.status === "fulfilled" ? "accepted" : (r.reason as AppError).code));
    expect(outcome).toEqual(["accepted", "accepted", "accepted", "BID_BUSY", "BID_BUSY", "BID_BUSY", "BID_BUSY", "BID_BUSY"]);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const stored = await db.select({ clientBidId: bids.clientBidId }).from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    expect(stored.map((r) => r.clientBidId)).toEqual(["busy-0", "busy-1", "busy-2"]);

    // Told to send again, each busy bid is now judged (and accepted: the amounts still rise).
    for (const s of sends.slice(3)) expect(await desk.place(s.b, lot.lotId, { amountFen: s.amountFen, clientBidId: s.clientBidId })).toMatchObject({ replay: false, amountFen: s.amountFen });
    const all = await db.select({ clientBidId: bids.clientBidId }).from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    expect(all.map((r) => r.clientBidId)).toEqual(sends.map((s) => s.clientBidId));
  });
});

describe("the bid desk when publishing fails (ADR 010)", () => {
  it("D5, P5: a publisher that throws after commit does not leave the batch's other senders, or the bids waiting behind it, without an answer", async () => {
    const { db } = database;
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(db, clock, { incrementFen: 100n });
    const bidders = [];
    for (let i = 0; i < 3; i++) bidders.push(await makeActiveBidder(db, clock, lot.lotId));
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    const failures: unknown[] = [];
    const throwing: LotPublisher = {
      bidAccepted() {
        throw new Error("the fan-out failed");
      },
      lotClosed() {},
      lotHeld() {},
      lotResumed() {},
    };
    // The first bid goes alone; the two sent while it is in flight wait and make the next batch.
    const desk = new BidDesk(db, clock, throwing, { maxBatch: 8, busyAfterMs: 60_000, lingerMs: 0, onPublishError: (error) => void failures.push(error) });
    const placed = bidders.map((b, i) => desk.place(b, lot.lotId, { amountFen: lot.startingPriceFen + BigInt(i) * 100n, clientBidId: `pubfail-${i}` }));
    const settled = await Promise.race([Promise.allSettled(placed), new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 3_000))]);
    expect(settled).not.toBe("hung");
    expect((settled as PromiseSettledResult<unknown>[]).map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    // Committed, each answered once, and each failed publish reported (not thrown into the event loop).
    const stored = await db.select({ clientBidId: bids.clientBidId }).from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    expect(stored.map((r) => r.clientBidId)).toEqual(["pubfail-0", "pubfail-1", "pubfail-2"]);
    expect(failures).toHaveLength(3);
  });
});

describe("the bid desk's connections (ADR 010)", () => {
  it("holds no connection once a lot's bids are decided: the pool serves the next query at once", async () => {
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(database.db, clock, { incrementFen: 100n });
    const bidder = await makeActiveBidder(database.db, clock, lot.lotId);
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    // A pool of one: a connection the desk kept would be one nobody else gets.
    const small = connect(database.url, { max: 1 });
    try {
      const desk = new BidDesk(small.db, clock, silentPublisher, { lingerMs: 0 });
      await expect(desk.place(bidder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: "released-1" })).resolves.toMatchObject({ replay: false });
      const t0 = performance.now();
      await small.db.select({ seq: lots.seq }).from(lots).where(eq(lots.id, lot.lotId));
      expect(performance.now() - t0).toBeLessThan(1_000);
    } finally {
      await small.close();
    }
  });
});

/**
 * A TCP hop between the app's pool and PostgreSQL that can lose the answer to a COMMIT: the server
 * has committed, the connection drops before the client hears it (a network fault, not a mock).
 */
async function commitLosingProxy(url: string) {
  const target = new URL(url);
  let skip = 0;
  let lose = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => sockets.delete(s));
    }
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (lose > 0 && chunk.includes("COMMIT\0")) {
        if (skip > 0) skip -= 1;
        else {
          lose -= 1;
          upstream.destroy();
          client.destroy();
          return;
        }
      }
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return {
    url: proxied.toString(),
    /** Lets `after` COMMIT answers through, then loses the next one. */
    loseCommit(after = 0) {
      skip = after;
      lose = 1;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("the bid desk when a COMMIT's answer is lost (ADR 010)", () => {
  async function setup(count: number) {
    const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
    const lot = await makePublishedLot(database.db, clock, { incrementFen: 100n });
    const bidders: Awaited<ReturnType<typeof makeActiveBidder>>[] = [];
    for (let i = 0; i < count; i++) bidders.push(await makeActiveBidder(database.db, clock, lot.lotId));
    clock.set(new Date(lot.biddingStartsAt.getTime() + 60_000));
    const [before] = await database.db.select({ seq: lots.seq }).from(lots).where(eq(lots.id, lot.lotId));
    const proxy = await commitLosingProxy(database.url);
    const viaProxy = connect(proxy.url, { max: 4 });
    const published: number[] = [];
    const publisher: LotPublisher = { bidAccepted: (_lotId, bid) => void published.push(bid.seq), lotClosed() {}, lotHeld() {}, lotResumed() {} };
    const desk = new BidDesk(viaProxy.db, clock, publisher, { maxBatch: 8, busyAfterMs: 60_000, lingerMs: 0 });
    const send = (i: number) => desk.place(bidders[i]!, lot.lotId, { amountFen: lot.startingPriceFen + BigInt(i) * 100n, clientBidId: `lost-commit-${i}` });
    const shown = (p: Promise<AcceptedBid>) => p.then((bid) => `${bid.clientBidId} seq ${bid.seq - before!.seq}`, (error: unknown) => `error ${String(error)}`);
    const close = async () => {
        await viaProxy.close();
      await proxy.close();
    };
    return { lot, proxy, viaProxy, published: () => published.map((seq) => seq - before!.seq), send, shown, close };
  }

  it("a connection lost with the COMMIT's answer does not take the node down: the sender is answered, and the desk and the pool go on", async () => {
    const t = await setup(2);
    try {
      t.proxy.loseCommit();
      await t.shown(t.send(0)); // answered, whichever way (nothing is sent on the dead connection)
      expect(await t.shown(t.send(1))).toBe("lost-commit-1 seq 2");
      for (let i = 0; i < 6; i++) await t.viaProxy.db.select({ seq: lots.seq }).from(lots).where(eq(lots.id, t.lot.lotId));
    } finally {
      await t.close();
    }
  });

  it("D5, P5: a batch committed whose answer never arrived: every sender is answered with its bid, and watchers get every bid once", async () => {
    const t = await setup(4);
    try {
      // A lone bid (a batch of one) whose COMMIT's answer is lost.
      t.proxy.loseCommit();
      expect(await t.shown(t.send(0))).toBe("lost-commit-0 seq 1");
      // One bid alone, then a batch of two whose COMMIT's answer is lost.
      t.proxy.loseCommit(1);
      expect(await Promise.all([1, 2, 3].map((i) => t.shown(t.send(i))))).toEqual(["lost-commit-1 seq 2", "lost-commit-2 seq 3", "lost-commit-3 seq 4"]);
      // Written once each (the retry found them committed), and broadcast once each.
      const stored = await database.db.select({ clientBidId: bids.clientBidId }).from(bids).where(eq(bids.lotId, t.lot.lotId)).orderBy(asc(bids.seq));
      expect(stored.map((r) => r.clientBidId)).toEqual([0, 1, 2, 3].map((i) => `lost-commit-${i}`));
      expect(t.published()).toEqual([1, 2, 3, 4]);
      expect(await verifyChain(database.db)).toMatchObject({ ok: true });
    } finally {
      await t.close();
    }
  });
});
