import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { packBids, packedSeqs, unpackBids, type ClientToServerEvents, type FrameBid, type ServerToClientEvents, type WireBid } from "../../core/live-events.ts";
import type { PublishedBid } from "../../auction/index.ts";
import { LotFanout, lotOfRoom, LOT_SHARDS, shardRoom, SPREAD_SHARE } from "../../realtime/fanout.ts";
import { publishQueueKey } from "../../realtime/adapter.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const LOT = "6f1c7a52-2f7d-4c1e-9d59-0b6c3c8f2a10";
const T0 = Date.parse("2026-11-26T02:00:00.000Z");
const bid = (seq: number, overrides: Partial<WireBid> = {}): WireBid => ({
  bidderCode: `K${String(seq).padStart(5, "0")}`,
  amountFen: String(70_000_000n + BigInt(seq) * 100n),
  placedAt: new Date(T0 + seq * 7).toISOString(),
  seq,
  priority: false,
  ...overrides,
});
/** The bid as the server holds it (what packBids and the publisher take). */
const frameBid = (b: WireBid): FrameBid => ({ bidderCode: b.bidderCode, amountFen: BigInt(b.amountFen), placedAt: new Date(b.placedAt), seq: b.seq, priorityRank: b.priority ? 1 : null });
const published = (b: WireBid, closesAt: Date, extended: boolean): PublishedBid => ({ ...frameBid(b), closesAt, extended });

describe("packed bid frames", () => {
  it("D5: unpackBids gives back exactly the bids packBids was given: codes, amounts, times, sequence numbers, priority", () => {
    const bids = [
      bid(41),
      bid(42, { priority: true, amountFen: String(70_000_000n + 42n * 100n - 100n) }), // E2: a match at the same price
      bid(45), // a gap (another node's bids in between)
      bid(46, { amountFen: "99999999999999", placedAt: new Date(T0 + 10 * 86_400_000).toISOString() }), // near the largest amount
      bid(47, { amountFen: "99999999999999" }),
    ];
    bids[4]!.placedAt = bids[3]!.placedAt; // the same instant
    const packed = packBids(bids.map(frameBid));
    expect(unpackBids(JSON.parse(JSON.stringify(packed)))).toEqual(bids);
    expect(packedSeqs(packed)).toEqual([41, 42, 45, 46, 47]);
    expect(packed.priority).toEqual([1]);
    expect(packBids([frameBid(bid(1))])).not.toHaveProperty("priority");
    expect(() => packBids([])).toThrow(RangeError);
    // About a fifth of the bytes of the WireBid list, for a tick's worth of bids.
    const tick = Array.from({ length: 50 }, (_, i) => bid(100 + i));
    expect(JSON.stringify(packBids(tick.map(frameBid))).length).toBeLessThan(JSON.stringify(tick).length / 4);
  });
});

describe("the fan-out's rooms", () => {
  it("names the shard rooms of a lot, and a lot's publishes share one queue across its rooms", () => {
    expect(lotOfRoom(`lot:${LOT}`)).toBe(LOT);
    expect(lotOfRoom(shardRoom(LOT, 3))).toBe(LOT);
    expect(lotOfRoom("room")).toBeNull();
    expect(publishQueueKey("/live", [shardRoom(LOT, 5)])).toBe(publishQueueKey("/live", [`lot:${LOT}`]));
    expect(publishQueueKey("/live", ["room"])).not.toBe(publishQueueKey("/live", [`lot:${LOT}`]));
  });

  it("ticks: a few watchers hear of a bid at once, a crowd in fewer, fuller frames", () => {
    const f = new LotFanout();
    expect([f.tickFor(1), f.tickFor(200), f.tickFor(1000), f.tickFor(2000), f.tickFor(5000), f.tickFor(20_000)]).toEqual([2, 4, 20, 80, 500, 500]);
  });
});

describe("sending to a lot's watchers", () => {
  let http: HttpServer | null = null;
  let io: Server | null = null;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await io?.close();
    http = null;
    io = null;
  });

  /** A bare Socket.IO server on /live whose sockets join the lot's rooms as lot:join does. */
  async function serve(fanout: LotFanout, watchers: number) {
    http = createServer();
    io = new Server(http);
    const live = io.of("/live");
    fanout.attach(live as never);
    live.on("connection", (socket) => void socket.join(fanout.roomsFor(LOT)));
    await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/live`;
    const seen = [];
    for (let i = 0; i < watchers; i++) {
      const c: Client = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
      clients.push(c);
      const got = { bids: [] as WireBid[], extended: [] as { seq: number; closesAt: string }[], closed: [] as number[], order: [] as string[] };
      c.on("bid:accepted", (e) => {
        got.bids.push(...unpackBids(e.bids));
        got.order.push(`bids:${e.seq}`);
      });
      c.on("lot:extended", (e) => {
        got.extended.push({ seq: e.seq, closesAt: e.closesAt });
        got.order.push(`extended:${e.seq}`);
      });
      c.on("lot:closed", (e) => {
        got.closed.push(e.seq);
        got.order.push(`closed:${e.seq}`);
      });
      seen.push(got);
      await new Promise<void>((resolve, reject) => {
        c.once("connect", () => resolve());
        c.once("connect_error", reject);
      });
    }
    await until(() => live.adapter.rooms.get(`lot:${LOT}`)?.size === watchers);
    return seen;
  }

  it("D5: a crowd above shardAbove gets every message shard by shard, yet each watcher receives every bid once, in order, and the close after the last bid", async () => {
    const fanout = new LotFanout({ shardAbove: 3 });
    const seen = await serve(fanout, 20);
    const live = io!.of("/live");
    const rooms = live.adapter.rooms;
    const sentTo: string[] = [];
    const to = live.to.bind(live);
    live.to = ((room: string) => (sentTo.push(room), to(room))) as typeof live.to;
    // Every watcher is in the lot's room and one shard room; the shards are even.
    const shards = Array.from({ length: LOT_SHARDS }, (_, k) => rooms.get(shardRoom(LOT, k))?.size ?? 0);
    expect(shards.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...shards) - Math.min(...shards)).toBeLessThanOrEqual(1);
    // Three bursts of bids (as the desk publishes a batch), then the close.
    let seq = 0;
    const closesAt = new Date(T0 + 300_000);
    for (const burst of [5, 1, 9]) {
      for (let i = 0; i < burst; i++) fanout.bidAccepted(LOT, published(bid(++seq), closesAt, false));
      await new Promise((r) => setTimeout(r, 5));
    }
    fanout.lotClosed(LOT, { seq: seq + 1, outcome: "sold", priceFen: 1n, bidderCode: "K00015", closedAt: closesAt });
    await until(() => seen.every((s) => s.closed.length === 1));
    // Each message (the frames and the close) went to the shard rooms one by one, never to the whole room.
    const messages = seen[0]!.order.length;
    // 20 watchers fill shards 0–19: the close reaches all of them before it has gone to the empty shards after.
    await until(() => sentTo.length >= messages * LOT_SHARDS);
    expect(sentTo).toEqual(Array.from({ length: messages * LOT_SHARDS }, (_, i) => shardRoom(LOT, i % LOT_SHARDS)));
    for (const s of seen) {
      expect(s.bids.map((b) => b.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(s.bids).toEqual(s.bids.map((b) => bid(b.seq)));
      expect(s.order.at(-1)).toBe("closed:16");
    }
    fanout.close();
  });

  it("D5: a crowd's message is spread over SPREAD_SHARE of the tick, shard k not before k/LOT_SHARDS of it, the bids still in order", async () => {
    // A tick as long as a crowd's, for a room small enough for a test.
    const fanout = new (class extends LotFanout {
      override tickFor(): number {
        return 320;
      }
    })({ shardAbove: 3 });
    const seen = await serve(fanout, 40);
    const live = io!.of("/live");
    const sentAt: number[] = [];
    const to = live.to.bind(live);
    live.to = ((room: string) => (sentAt.push(performance.now()), to(room))) as typeof live.to;
    const closesAt = new Date(T0 + 300_000);
    for (let seq = 1; seq <= 3; seq++) fanout.bidAccepted(LOT, published(bid(seq), closesAt, false));
    await until(() => seen.every((s) => s.bids.length === 3));
    expect(sentAt).toHaveLength(LOT_SHARDS);
    const spread = SPREAD_SHARE * 320;
    // Node's timers count from the event loop's whole-millisecond clock: one may fire up to 2 ms early by performance.now().
    sentAt.forEach((at, k) => expect(at - sentAt[0]!).toBeGreaterThanOrEqual((k * spread) / LOT_SHARDS - 2));
    expect(sentAt.at(-1)! - sentAt[0]!).toBeLessThan(spread + 100);
    for (const s of seen) expect(s.bids.map((b) => b.seq)).toEqual([1, 2, 3]);
    fanout.close();
  });

  it("D3: every frame carries the close; lot:extended goes out at once, then at most once a second with the latest close", async () => {
    const fanout = new LotFanout();
    const [watcher] = await serve(fanout, 1);
    for (let seq = 1; seq <= 6; seq++) {
      fanout.bidAccepted(LOT, published(bid(seq), new Date(T0 + seq * 7 + 300_000), true));
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => watcher!.extended.length === 2, 3000);
    expect(watcher!.bids.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // The first at once with the first bid; the second, a second later, with the last bid's close.
    expect(watcher!.extended).toEqual([
      { seq: 1, closesAt: new Date(T0 + 7 + 300_000).toISOString() },
      { seq: 6, closesAt: new Date(T0 + 42 + 300_000).toISOString() },
    ]);
    expect(watcher!.order.indexOf("extended:1")).toBe(watcher!.order.indexOf("bids:1") + 1);
    await new Promise((r) => setTimeout(r, 1200));
    expect(watcher!.extended).toHaveLength(2);
    fanout.close();
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
