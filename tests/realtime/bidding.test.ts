import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { eq } from "drizzle-orm";
import { chainPendingAudits } from "../../core/audit.ts";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, bids, lots, users } from "../../db/schema/index.ts";
import { hashPassword } from "../../identity/index.ts";
import { closeLot, holdLot, resumeLot } from "../../auction/index.ts";
import { unpackBids, type ClientToServerEvents, type ServerToClientEvents, type WireBid } from "../../core/live-events.ts";
import { makeActiveBidder, makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { SESSION_CACHE_MS } from "../../realtime/live.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const open: Client[] = [];
let n = 0;
const bidId = () => `rt-${Date.now()}-${++n}`;

function client(cookie?: string): Client {
  const socket: Client = connect(`${platform.url}/live`, { transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true });
  open.push(socket);
  return socket;
}

async function connected(socket: Client): Promise<Client> {
  if (socket.connected) return socket;
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** A registered bidder's socket, signed in through the real sign-in page. */
async function bidderSocket(username: string): Promise<Client> {
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username, password: "test-password" })).status).toBe(302);
  return connected(client(v.cookieHeader));
}

/** Collects every bid a watcher receives, in arrival order. */
function collect(socket: Client) {
  const bids: WireBid[] = [];
  const extended: string[] = [];
  const closed: unknown[] = [];
  socket.on("bid:accepted", (e) => bids.push(...unpackBids(e.bids)));
  socket.on("lot:extended", (e) => extended.push(e.closesAt));
  socket.on("lot:closed", (e) => closed.push(e));
  return { bids, extended, closed };
}

const until = async (check: () => boolean, ms = 3000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function lotInBidding(options: Parameters<typeof makePublishedLot>[2] = {}) {
  const { db } = platform.database;
  const lot = await makePublishedLot(db, clock, options);
  const a = await makeActiveBidder(db, clock, lot.lotId);
  const b = await makeActiveBidder(db, clock, lot.lotId);
  clock.set(lot.biddingStartsAt);
  return { lot, a, b };
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(() => platform?.stop());

describe("live bidding over Socket.IO", () => {
  it("D5: an anonymous watcher joins and gets a snapshot with the server time, price and bids by code", async () => {
    const { lot, a } = await lotInBidding();
    const bidder = await bidderSocket(a.username);
    const placed = await bidder.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: lot.startingPriceFen.toString(), clientBidId: bidId() });
    expect(placed.ok).toBe(true);
    const watcher = await connected(client());
    const snap = await watcher.emitWithAck("lot:join", { lotId: lot.lotId });
    expect(snap).toMatchObject({ ok: true, data: { lotId: lot.lotId, phase: "bidding", currentPriceFen: lot.startingPriceFen.toString(), serverTime: clock.now().toISOString() } });
    if (!snap.ok) throw new Error();
    expect(snap.data.bids).toEqual([expect.objectContaining({ bidderCode: a.bidderCode, amountFen: lot.startingPriceFen.toString() })]);
    expect(JSON.stringify(snap)).not.toContain(a.username);
  });

  it("D5, P10: a bid from A reaches watchers B and C in order, with sequence numbers", async () => {
    const { lot, a, b } = await lotInBidding();
    const sa = await bidderSocket(a.username);
    const sb = await bidderSocket(b.username);
    const watchers = [sb, await connected(client())];
    const seen = [];
    for (const w of watchers) {
      await w.emitWithAck("lot:join", { lotId: lot.lotId });
      seen.push(collect(w));
    }
    const amounts = [0n, 1n, 2n, 3n].map((k) => lot.startingPriceFen + k * 100_000n);
    for (const [i, amount] of amounts.entries()) {
      const who = i % 2 === 0 ? sa : sb;
      expect(await who.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: amount.toString(), clientBidId: bidId() })).toMatchObject({ ok: true });
    }
    for (const s of seen) {
      await until(() => s.bids.length === 4);
      expect(s.bids.map((x) => x.amountFen)).toEqual(amounts.map(String));
      const seqs = s.bids.map((x) => x.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(4);
    }
  });

  it("refuses with a stable code: too low, off increment, not registered, anonymous, malformed, closed", async () => {
    const { lot, a, b } = await lotInBidding();
    const sa = await bidderSocket(a.username);
    const sb = await bidderSocket(b.username);
    const start = lot.startingPriceFen;
    const place = (s: Client, amount: bigint | string, clientBidId = bidId()) => s.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: String(amount), clientBidId });
    expect(await place(sa, start - 100_000n)).toMatchObject({ ok: false, code: "BID_BELOW_START" });
    expect(await place(sa, start + 50_000n)).toMatchObject({ ok: false, code: "BID_OFF_INCREMENT" });
    expect(await place(sa, start)).toMatchObject({ ok: true });
    expect(await place(sb, start + 99_999n)).toMatchObject({ ok: false, code: "BID_TOO_LOW" });
    const outsider = await makeBidder(platform.database.db, clock);
    expect(await place(await bidderSocket(outsider.username), start + 100_000n)).toMatchObject({ ok: false, code: "NOT_REGISTERED" });
    expect(await place(await connected(client()), start + 100_000n)).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    for (const bad of [null, "x", { lotId: "nope", amountFen: "1", clientBidId: "abcdefgh" }, { lotId: lot.lotId, amountFen: 5, clientBidId: "abcdefgh" }]) {
      expect(await sb.emitWithAck("bid:place", bad as never)).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    }
    expect(await place(sb, "12.5")).toMatchObject({ ok: false, code: "INVALID_AMOUNT" });
    expect(await place(sb, "-100")).toMatchObject({ ok: false, code: "INVALID_AMOUNT" });
    // A day later the lot has closed (and the morning's sessions have expired: sign in again).
    clock.set(lot.closesAt);
    const late = await bidderSocket(b.username);
    expect(await place(late, start + 100_000n)).toMatchObject({ ok: false, code: "LOT_CLOSED" });
    // The server survived all of it.
    expect(await sb.emitWithAck("time:sync")).toMatchObject({ ok: true });
  });

  it('"lots.bid": a signed-in non-bidder\'s bid:place is refused FORBIDDEN and writes nothing', async () => {
    const { lot } = await lotInBidding();
    const { db } = platform.database;
    // Court staff sign in like anyone else; only bidders hold "lots.bid".
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    const judge = await bidderSocket(lot.judge.username);
    expect(await judge.emitWithAck("session:whoami")).toMatchObject({ ok: true, data: { role: "judge" } });
    const written = async () => ({
      chained: await chainPendingAudits(db), // ADR 021: every committed event in the chain before counting
      bids: (await db.select({ id: bids.id }).from(bids).where(eq(bids.lotId, lot.lotId))).length,
      events: (await db.select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.entityId, lot.lotId))).length,
      lot: (await db.select({ seq: lots.seq, price: lots.currentPriceFen }).from(lots).where(eq(lots.id, lot.lotId)))[0],
    });
    const before = await written();
    const placed = await judge.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: lot.startingPriceFen.toString(), clientBidId: bidId() });
    expect(placed).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await written()).toEqual(before);
  });

  it("rate-limits bid:place per socket", async () => {
    const { lot, a } = await lotInBidding();
    const sa = await bidderSocket(a.username);
    const answers = await Promise.all(
      Array.from({ length: 15 }, () => sa.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: "1", clientBidId: bidId() })),
    );
    expect(answers.filter((x) => !x.ok && x.code === "RATE_LIMITED").length).toBeGreaterThanOrEqual(5);
  });

  it("a sign-out stops an open socket's bids within the session lookup's second (SESSION_CACHE_MS)", async () => {
    const { lot, a } = await lotInBidding();
    const v = new Visitor(platform.url);
    expect((await v.post("/sign-in", { username: a.username, password: "test-password" })).status).toBe(302);
    const sa = await connected(client(v.cookieHeader));
    const place = (amount: bigint) => sa.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: amount.toString(), clientBidId: bidId() });
    expect(await place(lot.startingPriceFen)).toMatchObject({ ok: true });
    await v.post("/sign-out", {});
    const signedOut = Date.now();
    // whoami asks the database every time; bid:place may use the socket's lookup for up to a second.
    expect(await sa.emitWithAck("session:whoami")).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    let answer = await place(lot.startingPriceFen + 100_000n);
    while (answer.ok || answer.code !== "UNAUTHENTICATED") {
      expect(Date.now() - signedOut).toBeLessThan(SESSION_CACHE_MS + 500);
      await new Promise((r) => setTimeout(r, 50));
      answer = await place(lot.startingPriceFen + 100_000n);
    }
    expect(Date.now() - signedOut).toBeLessThan(SESSION_CACHE_MS + 500);
  });

  it("D4: a resent clientBidId makes one bid and the same answer", async () => {
    const { lot, a } = await lotInBidding();
    const sa = await bidderSocket(a.username);
    const watcher = await connected(client());
    await watcher.emitWithAck("lot:join", { lotId: lot.lotId });
    const seen = collect(watcher);
    const id = bidId();
    const payload = { lotId: lot.lotId, amountFen: lot.startingPriceFen.toString(), clientBidId: id };
    const [first, second] = await Promise.all([sa.emitWithAck("bid:place", payload), sa.emitWithAck("bid:place", payload)]);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.data.bid).toEqual(second.data.bid);
    expect([first.data.replay, second.data.replay].sort()).toEqual([false, true]);
    await until(() => seen.bids.length >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.bids).toHaveLength(1);
  });

  it("D5: a watcher that drops during a burst and comes back gets the full, ordered history", async () => {
    const { lot, a, b } = await lotInBidding();
    const sa = await bidderSocket(a.username);
    const sb = await bidderSocket(b.username);
    const watcher = await connected(client());
    await watcher.emitWithAck("lot:join", { lotId: lot.lotId });
    let amount = lot.startingPriceFen;
    for (let i = 0; i < 20; i++) {
      if (i === 5) watcher.disconnect();
      expect(await (i % 2 === 0 ? sa : sb).emitWithAck("bid:place", { lotId: lot.lotId, amountFen: amount.toString(), clientBidId: bidId() })).toMatchObject({ ok: true });
      amount += 100_000n;
    }
    const back = await connected(client());
    const snap = await back.emitWithAck("lot:join", { lotId: lot.lotId });
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.data.bids).toHaveLength(20);
    const seqs = snap.data.bids.map((x) => x.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x)); // newest first, no gap
    expect(seqs[0]! - seqs[19]!).toBe(19);
    expect(snap.data.seq).toBe(seqs[0]);
  });

  it("D3: a late bid broadcasts lot:extended with the new close; the close broadcasts lot:closed", async () => {
    const { lot, a } = await lotInBidding();
    clock.set(new Date(lot.closesAt.getTime() - 30_000));
    const sa = await bidderSocket(a.username);
    const watcher = await connected(client());
    await watcher.emitWithAck("lot:join", { lotId: lot.lotId });
    const seen = collect(watcher);
    const placed = await sa.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: lot.startingPriceFen.toString(), clientBidId: bidId() });
    const newClose = new Date(clock.now().getTime() + 5 * 60_000).toISOString();
    expect(placed).toMatchObject({ ok: true, data: { extended: true, closesAt: newClose } });
    await until(() => seen.extended.length === 1);
    expect(seen.extended).toEqual([newClose]);
    clock.set(new Date(newClose));
    // closeLot tells the watchers itself, after commit.
    const result = await closeLot(platform.database.db, clock, platform.publisher, lot.lotId);
    if (result.kind !== "closed") throw new Error(result.kind);
    await until(() => seen.closed.length === 1);
    expect(seen.closed[0]).toMatchObject({ outcome: "sold", bidderCode: a.bidderCode, priceFen: lot.startingPriceFen.toString() });
  });
});

describe("the court's holds, live (G1, P15)", () => {
  it("G1, P15: a suspension reaches two watchers at once as lot:suspended and a socket bid is refused LOT_SUSPENDED; the resumption reaches them with the restored close", async () => {
    const { lot, a, b } = await lotInBidding();
    clock.set(new Date(lot.closesAt.getTime() - 10 * 60_000));
    const [sa, sb] = [await bidderSocket(a.username), await bidderSocket(b.username)];
    for (const s of [sa, sb]) await s.emitWithAck("lot:join", { lotId: lot.lotId });
    const told = [sa, sb].map((s) => {
      const events: { type: string; closesAt?: string; reason: string }[] = [];
      s.on("lot:suspended", (e) => events.push({ type: e.kind, reason: e.reason }));
      s.on("lot:resumed", (e) => events.push({ type: `resumed:${e.phase}`, closesAt: e.closesAt, reason: e.reason }));
      return events;
    });
    const placed = await sa.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: lot.startingPriceFen.toString(), clientBidId: bidId() });
    expect(placed.ok).toBe(true);

    const { db } = platform.database;
    await holdLot(db, clock, platform.publisher, lot.judge, lot.lotId, { kind: "suspend", reason: "系统维护" });
    await until(() => told.every((events) => events.length === 1));
    for (const events of told) expect(events).toEqual([{ type: "suspend", reason: "系统维护" }]);
    const refused = await sb.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: (lot.startingPriceFen + 100_000n).toString(), clientBidId: bidId() });
    expect(refused).toMatchObject({ ok: false, code: "LOT_SUSPENDED" });
    // The snapshot of a watcher joining now says so too.
    const late = await connected(client());
    expect(await late.emitWithAck("lot:join", { lotId: lot.lotId })).toMatchObject({ ok: true, data: { phase: "suspended" } });

    clock.advance(20 * 60_000);
    const scheduler = { scheduleClose: async () => {} };
    await resumeLot(db, clock, platform.publisher, scheduler, lot.judge, lot.lotId, { reason: "维护完毕" });
    const restored = new Date(clock.now().getTime() + 10 * 60_000).toISOString();
    await until(() => told.every((events) => events.length === 2));
    for (const events of told) expect(events[1]).toEqual({ type: "resumed:bidding", closesAt: restored, reason: "维护完毕" });
    const again = await sb.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: (lot.startingPriceFen + 100_000n).toString(), clientBidId: bidId() });
    expect(again.ok).toBe(true);
  });
});

describe("watchers", () => {
  it("P4: watchers are counted and told the count (never the registrants)", async () => {
    const { lot } = await lotInBidding();
    const first = await connected(client());
    const counts: number[] = [];
    first.on("lot:watchers", (e) => counts.push(e.watchers));
    const snap = await first.emitWithAck("lot:join", { lotId: lot.lotId });
    expect(snap).toMatchObject({ ok: true, data: { watchers: 1 } });
    for (let i = 0; i < 3; i++) await (await connected(client())).emitWithAck("lot:join", { lotId: lot.lotId });
    await until(() => counts.at(-1) === 4, 3000);
    open.at(-1)!.disconnect();
    await until(() => counts.at(-1) === 3, 3000);
  });
});
