import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { pino } from "pino";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import { createLiveAdapter, type LiveAdapter } from "../../realtime/adapter.ts";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { bids, lots } from "../../db/schema/index.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { connected, liveClient, signInCookie, startServerProcess, until, watch, type LiveClient, type ServerProcess } from "../support/server-process.ts";

const DAY = 24 * 60 * 60 * 1000;
const BIDDERS = 10;
const BIDS_EACH = 100;
// The server allows 10 bid:place per socket per second: each bidder sends from 10 sockets (tabs) at once.
const SOCKETS_EACH = 10;
const WATCHERS_PER_NODE = 3;
const ROUND_MS = 20;

let database: Database;
let nodes: ServerProcess[] = [];
const open: LiveClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // TEST_CLOCK=1 only so the test can close the lot through one node without waiting a day.
  nodes = await Promise.all([0, 1].map(() => startServerProcess({ databaseUrl: database.url, env: { TEST_CLOCK: "1" } })));
}, 60_000);

afterAll(async () => {
  for (const s of open.splice(0)) s.disconnect();
  await Promise.all(nodes.map((n) => n.stop()));
  await database?.close();
}, 30_000);

describe("several app nodes on one PostgreSQL (LIVE_ADAPTER=postgres)", () => {
  it("two server processes, watchers and bidders on both, 1,000 concurrent bids: every watcher sees the same ordered accepted bids; one winner", async () => {
    const [nodeA, nodeB] = nodes as [ServerProcess, ServerProcess];
    const { db } = database;
    // The nodes run on the real clock: announce the lot 31 days ago, so bidding opened a minute ago.
    const announce = new TestClock(new Date(Date.now() - 31 * DAY - 60_000));
    const lot = await makePublishedLot(db, announce, { biddingHours: 24 });
    expect(lot.biddingStartsAt.getTime()).toBeLessThan(Date.now());
    const bidders = [];
    for (let i = 0; i < BIDDERS; i++) bidders.push(await makeActiveBidder(db, announce, lot.lotId));
    const nodeOf = (i: number) => (i < BIDDERS / 2 ? nodeA : nodeB);

    // Watchers first, anonymous, on both nodes.
    const watchers: { node: "A" | "B"; seen: ReturnType<typeof watch> }[] = [];
    for (const node of [nodeA, nodeB]) {
      for (let w = 0; w < WATCHERS_PER_NODE; w++) {
        const socket = await connected(liveClient(node.url));
        open.push(socket);
        const joined = await socket.emitWithAck("lot:join", { lotId: lot.lotId });
        expect(joined).toMatchObject({ ok: true, data: { phase: "bidding", bids: [] } });
        watchers.push({ node: node === nodeA ? "A" : "B", seen: watch(socket) });
      }
    }

    // Bidders sign in on their own node and open their sockets there.
    const sockets: LiveClient[][] = [];
    for (const [i, b] of bidders.entries()) {
      const cookie = await signInCookie(nodeOf(i).url, b.username);
      const mine = await Promise.all(Array.from({ length: SOCKETS_EACH }, () => connected(liveClient(nodeOf(i).url, cookie))));
      open.push(...mine);
      sockets.push(mine);
    }

    // Bidder i's k-th bid is rung k*5 + i%5 of the ladder: bidders i and i+5 (one per node) bid the same amounts.
    const { startingPriceFen: start } = lot;
    const increment = 100_000n;
    const started = Date.now();
    // Round k (every bidder's k-th bid) goes out ROUND_MS after round k-1, without waiting for any answer: the rounds
    // overlap on the server (hundreds in flight) yet rise over time, so many bids are accepted and the two bidders
    // of a rung race each other across the nodes.
    let inFlight = 0;
    let maxInFlight = 0;
    const attempts = [];
    for (let k = 0; k < BIDS_EACH; k++) {
      for (const [i, b] of bidders.entries()) {
        const amountFen = (start + BigInt(k * 5 + (i % 5)) * increment).toString();
        const clientBidId = `mn-${i}-${k}-${started}`;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        attempts.push(
          sockets[i]![k % SOCKETS_EACH]!.emitWithAck("bid:place", { lotId: lot.lotId, amountFen, clientBidId }).then((ack) => {
            inFlight--;
            return { bidder: b, amountFen, clientBidId, ack };
          }),
        );
      }
      await new Promise((r) => setTimeout(r, ROUND_MS));
    }
    const answers = await Promise.all(attempts);
    const burstMs = Date.now() - started;

    // Every refusal is a fair one: someone else got there first.
    const refusals = answers.flatMap((a) => (a.ack.ok ? [] : [a.ack.code]));
    expect([...new Set(refusals)].filter((c) => c !== "BID_TOO_LOW" && c !== "ALREADY_LEADING")).toEqual([]);
    const acked = answers.flatMap((a) => (a.ack.ok ? [{ ...a, bid: a.ack.data.bid }] : []));

    // The history in the database: gap-free sequence, strictly rising amounts, exactly the acknowledged bids.
    const rows = await db.select().from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    expect(rows.length).toBe(acked.length);
    expect(rows.length).toBeGreaterThan(10);
    for (let j = 1; j < rows.length; j++) {
      expect(rows[j]!.seq).toBe(rows[j - 1]!.seq + 1);
      expect(rows[j]!.amountFen).toBeGreaterThan(rows[j - 1]!.amountFen);
    }
    const byClientId = new Map(rows.map((r) => [r.clientBidId, r]));
    for (const a of acked) {
      const row = byClientId.get(a.clientBidId);
      expect(row, a.clientBidId).toBeDefined();
      expect({ seq: a.bid.seq, amountFen: a.bid.amountFen, bidderCode: a.bid.bidderCode }).toEqual({ seq: row!.seq, amountFen: row!.amountFen.toString(), bidderCode: row!.bidderCode });
    }
    const expected = rows.map((r) => ({ seq: r.seq, amountFen: r.amountFen.toString(), bidderCode: r.bidderCode, placedAt: r.placedAt.toISOString() }));

    // Every watcher, on either node, gets every accepted bid exactly once.
    await until(() => watchers.every((w) => w.seen.bids.length >= rows.length), 15_000, "watchers to see every bid");
    await new Promise((r) => setTimeout(r, 200)); // nothing more arrives (no duplicates)
    for (const w of watchers) {
      const seqs = w.seen.bids.map((b) => b.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const ordered = [...w.seen.bids].sort((x, y) => x.seq - y.seq).map((b) => ({ seq: b.seq, amountFen: b.amountFen, bidderCode: b.bidderCode, placedAt: b.placedAt }));
      expect(ordered).toEqual(expected);
    }
    // Each node broadcasts its own bids in sequence order, and every watcher receives each node's broadcasts in that order
    // (the two nodes' streams interleave, so a client orders by seq: ADR 008).
    const nodeOfCode = new Map(bidders.map((b, i) => [b.bidderCode, nodeOf(i) === nodeA ? "A" : "B"]));
    const inversions = watchers.map((w) => {
      const perOrigin = { A: [] as number[], B: [] as number[] };
      for (const b of w.seen.bids) perOrigin[nodeOfCode.get(b.bidderCode) as "A" | "B"].push(b.seq);
      const count = (s: number[]) => s.filter((x, j) => j > 0 && x < s[j - 1]!).length;
      return { node: w.node, A: count(perOrigin.A), B: count(perOrigin.B), merged: count(w.seen.bids.map((b) => b.seq)) };
    });
    console.log(JSON.stringify({ accepted: rows.length, refused: refusals.length, burstMs, maxInFlight, inversions }));
    for (const inv of inversions) expect({ node: inv.node, A: inv.A, B: inv.B }).toEqual({ node: inv.node, A: 0, B: 0 });

    // The close: node A's clock jumps to the close instant and closes the lot; node B's watchers hear it too.
    const [before] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    const closeAt = before!.closesAt;
    expect(closeAt.getTime()).toBe(lot.closesAt.getTime()); // no bid was within the last 5 minutes
    const moved = await fetch(`${nodeA.url}/__test/clock`, { method: "POST", headers: { "content-type": "application/json", origin: nodeA.url }, body: JSON.stringify({ at: closeAt.toISOString() }) });
    expect(moved.status).toBe(200);
    await until(() => watchers.every((w) => w.seen.closed.length >= 1), 10_000, "lot:closed on every watcher");
    await new Promise((r) => setTimeout(r, 200));
    const last = rows.at(-1)!;
    for (const w of watchers) {
      expect(w.seen.closed).toEqual([
        { lotId: lot.lotId, seq: last.seq + 1, outcome: "sold", priceFen: last.amountFen.toString(), bidderCode: last.bidderCode, closedAt: closeAt.toISOString() },
      ]);
    }
    const [after] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    expect(after).toMatchObject({ status: "sold", winnerRegistrationId: last.registrationId, closedAt: closeAt, currentPriceFen: last.amountFen, leadingBidId: last.id });
    // Neither node logged a failed publish, a lost attachment or a handler error on the way.
    for (const node of nodes) expect(node.output().split("\n").filter((line) => /"level":(50|60)|live adapter/.test(line))).toEqual([]);
  }, 60_000);

  it("a broadcast too big for NOTIFY (through the attachments table) reaches the other node, in order with the small ones around it", async () => {
    const log = pino({ level: "silent" });
    const servers: { io: Server; adapter: LiveAdapter; url: string }[] = [];
    for (let n = 0; n < 2; n++) {
      const adapter = await createLiveAdapter("postgres", database.url, log);
      const http = createServer();
      const io = new Server(http, { adapter: adapter.factory! });
      io.of("/live").on("connection", (socket) => void socket.join("room"));
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      servers.push({ io, adapter, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
    }
    try {
      // One watcher on the sending node, one on the other.
      const received: number[][] = [[], []];
      const sockets = servers.map((server, n) => {
        const socket = connect(`${server.url}/live`, { transports: ["websocket"], reconnection: false, forceNew: true });
        socket.on("n", (k: number) => received[n]!.push(k));
        return socket;
      });
      await until(() => servers.every((server) => server.io.of("/live").adapter.rooms.get("room")?.size === 1), 5_000, "joins");
      // Big (over NOTIFY's 8000 bytes) and small broadcasts back to back.
      const big = "x".repeat(20_000);
      const live0 = servers[0]!.io.of("/live");
      for (let n = 0; n < 30; n++) {
        if (n % 3 === 0) live0.to("room").emit("n", n, big);
        else live0.to("room").emit("n", n);
      }
      await until(() => received.every((r) => r.length === 30), 10_000, "30 messages on both nodes");
      expect(received).toEqual([0, 1].map(() => Array.from({ length: 30 }, (_, n) => n)));
      for (const socket of sockets) socket.disconnect();
    } finally {
      for (const s of servers) {
        await s.io.close();
        await s.adapter.close();
      }
    }
  });
});
