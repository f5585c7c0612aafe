import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { bids, lots } from "../../db/schema/index.ts";
import { closeLot, lotsDueToClose, silentPublisher } from "../../auction/index.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { connected, liveClient, signInCookie, startServerProcess, type LiveClient, type ServerProcess } from "../support/server-process.ts";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const BIDDERS = 4;
// 10 bid:place per socket per second are allowed: a bidder's rounds go round its sockets.
const SOCKETS_EACH = 8;
const ROUND_MS = 20;
const KILL_AFTER_ACKS = 40;

let database: Database;
const processes: ServerProcess[] = [];
const open: LiveClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const s of open.splice(0)) s.disconnect();
  await Promise.all(processes.map((p) => p.stop()));
  await database?.close();
}, 30_000);

interface Sent {
  bidder: number;
  amountFen: string;
  clientBidId: string;
  outcome: { kind: "ok"; seq: number; amountFen: string; bidderCode: string } | { kind: "refused"; code: string } | { kind: "lost" };
}

describe("a node killed mid-burst (SIGKILL)", () => {
  it("after restart every acknowledged bid is in the history, bidding goes on, and the lot closes at the right instant", async () => {
    const { db } = database;
    // The node runs on the real clock. Bidding opened almost 24 h ago and closes in 3 minutes, so every bid of
    // the burst is a late bid (D3): the close moves to 5 minutes after each one.
    const announce = new TestClock(new Date(Date.now() - 31 * DAY - DAY + 3 * MINUTE));
    const lot = await makePublishedLot(db, announce, { biddingHours: 24 });
    expect(lot.closesAt.getTime() - Date.now()).toBeGreaterThan(2 * MINUTE);
    const bidders = [];
    for (let i = 0; i < BIDDERS; i++) bidders.push(await makeActiveBidder(db, announce, lot.lotId));

    const first = await startServerProcess({ databaseUrl: database.url });
    processes.push(first);
    const cookies = [];
    const sockets: LiveClient[][] = [];
    for (const b of bidders) {
      const cookie = await signInCookie(first.url, b.username);
      cookies.push(cookie);
      const mine = await Promise.all(Array.from({ length: SOCKETS_EACH }, () => connected(liveClient(first.url, cookie))));
      open.push(...mine);
      sockets.push(mine);
    }

    // Round k: every bidder's k-th bid, rung 2k + i%2 (bidders 0/2 and 1/3 collide on each rung), no waiting for answers.
    const start = lot.startingPriceFen;
    const increment = 100_000n;
    const runId = Date.now();
    const sent: Sent[] = [];
    const pending: Promise<void>[] = [];
    let okAcks = 0;
    let killedAt = 0;
    for (let k = 0; !killedAt && k < 1_000; k++) {
      for (let i = 0; i < BIDDERS; i++) {
        const entry: Sent = { bidder: i, amountFen: (start + BigInt(2 * k + (i % 2)) * increment).toString(), clientBidId: `kill-${runId}-${i}-${k}`, outcome: { kind: "lost" } };
        sent.push(entry);
        pending.push(
          sockets[i]![k % SOCKETS_EACH]!.timeout(10_000)
            .emitWithAck("bid:place", { lotId: lot.lotId, amountFen: entry.amountFen, clientBidId: entry.clientBidId })
            .then(
              (ack) => {
                if (ack.ok) {
                  okAcks++;
                  entry.outcome = { kind: "ok", seq: ack.data.bid.seq, amountFen: ack.data.bid.amountFen, bidderCode: ack.data.bid.bidderCode };
                } else entry.outcome = { kind: "refused", code: ack.code };
              },
              () => {}, // disconnected before the answer: the bid may or may not have committed
            ),
        );
      }
      if (okAcks >= KILL_AFTER_ACKS) {
        await first.kill("SIGKILL");
        killedAt = Date.now();
      } else await new Promise((r) => setTimeout(r, ROUND_MS));
    }
    expect(killedAt).toBeGreaterThan(0);
    await Promise.all(pending);
    const acked = sent.flatMap((s) => (s.outcome.kind === "ok" ? [{ ...s, ack: s.outcome }] : []));
    const lost = sent.filter((s) => s.outcome.kind === "lost");
    const refusedCodes = new Set(sent.flatMap((s) => (s.outcome.kind === "refused" ? [s.outcome.code] : [])));
    expect([...refusedCodes].filter((c) => c !== "BID_TOO_LOW" && c !== "ALREADY_LEADING")).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // Restart: a new process on the same database.
    const second = await startServerProcess({ databaseUrl: database.url });
    processes.push(second);
    const rows = await db.select().from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    const byClientId = new Map(rows.map((r) => [r.clientBidId, r]));
    // Every acknowledged bid is in the history, as acknowledged.
    for (const a of acked) {
      const row = byClientId.get(a.clientBidId);
      expect(row, `acknowledged ${a.clientBidId} missing`).toBeDefined();
      expect({ seq: row!.seq, amountFen: row!.amountFen.toString(), bidderCode: row!.bidderCode }).toEqual({ seq: a.ack.seq, amountFen: a.ack.amountFen, bidderCode: a.ack.bidderCode });
    }
    // Nothing else but bids that were sent and lost their answer; the history is whole: gap-free, rising.
    const ackedIds = new Set(acked.map((a) => a.clientBidId));
    const lostIds = new Set(lost.map((s) => s.clientBidId));
    expect(rows.filter((r) => !ackedIds.has(r.clientBidId)).every((r) => lostIds.has(r.clientBidId))).toBe(true);
    for (let j = 1; j < rows.length; j++) {
      expect(rows[j]!.seq).toBe(rows[j - 1]!.seq + 1);
      expect(rows[j]!.amountFen).toBeGreaterThan(rows[j - 1]!.amountFen);
    }

    // The restarted node serves the same history to a watcher.
    const watcher = await connected(liveClient(second.url));
    open.push(watcher);
    const snap = await watcher.emitWithAck("lot:join", { lotId: lot.lotId });
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.data.seq).toBe(rows.at(-1)!.seq);
    expect(snap.data.closesAt).toBe(rows.at(-1)!.closesAt.toISOString());
    const snapBySeq = new Map(snap.data.bids.map((b) => [b.seq, b]));
    for (const a of acked) expect(snapBySeq.get(a.ack.seq)).toMatchObject({ amountFen: a.ack.amountFen, bidderCode: a.ack.bidderCode });

    // A bidder whose answer was lost resends the same clientBidId to the new node: one bid, the first answer (D4).
    const resend = lost[0] ?? acked.at(-1)!;
    const resender = await connected(liveClient(second.url, cookies[resend.bidder]));
    open.push(resender);
    const again = await resender.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: resend.amountFen, clientBidId: resend.clientBidId });
    const committed = byClientId.get(resend.clientBidId);
    if (committed) expect(again).toMatchObject({ ok: true, data: { replay: true, bid: { seq: committed.seq } } });
    // Never committed: now it is a new bid, judged against the price as it stands.
    else if (again.ok) expect(again.data).toMatchObject({ replay: false, bid: { seq: rows.at(-1)!.seq + 1 } });
    else expect(["BID_TOO_LOW", "ALREADY_LEADING"]).toContain(again.code);

    // Bidding goes on through the new node (nothing was left locked): one more late bid by someone not leading.
    const [now] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    const [leader] = await db.select().from(bids).where(eq(bids.id, now!.leadingBidId!));
    const leaderCode = leader!.bidderCode;
    const next = bidders.findIndex((b) => b.bidderCode !== leaderCode);
    const s = await connected(liveClient(second.url, cookies[next]));
    open.push(s);
    const last = await s.emitWithAck("bid:place", { lotId: lot.lotId, amountFen: (now!.currentPriceFen! + increment).toString(), clientBidId: `kill-${runId}-after` });
    expect(last).toMatchObject({ ok: true, data: { extended: true, bid: { seq: now!.seq + 1 } } });

    // The close instant: 5 minutes after the last accepted bid, since it was late; otherwise the scheduled end.
    const history = await db.select().from(bids).where(eq(bids.lotId, lot.lotId)).orderBy(asc(bids.seq));
    const final = history.at(-1)!;
    const expectedClose = final.extended ? new Date(final.placedAt.getTime() + 5 * MINUTE) : lot.closesAt;
    expect(final.extended).toBe(true);
    const [open_] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    expect(open_!.closesAt).toEqual(expectedClose);
    // The minute sweep (behind the per-lot jobs) picks it up at that instant, not a millisecond before.
    expect(await lotsDueToClose(db, new TestClock(new Date(expectedClose.getTime() - 1)))).not.toContain(lot.lotId);
    expect(await lotsDueToClose(db, new TestClock(expectedClose))).toContain(lot.lotId);
    expect(await closeLot(db, new TestClock(new Date(expectedClose.getTime() - 1)), silentPublisher, lot.lotId)).toEqual({ kind: "not_yet", closesAt: expectedClose });
    const closed = await closeLot(db, new TestClock(expectedClose), silentPublisher, lot.lotId);
    expect(closed).toMatchObject({ kind: "closed", outcome: "sold", closedAt: expectedClose, priceFen: final.amountFen, bidderCode: final.bidderCode });
    const [done] = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    expect(done).toMatchObject({ status: "sold", closedAt: expectedClose, winnerRegistrationId: final.registrationId, leadingBidId: final.id });

    console.log(JSON.stringify({ sent: sent.length, acked: acked.length, lost: lost.length, lostButCommitted: rows.filter((r) => lostIds.has(r.clientBidId)).length, history: history.length }));
  }, 60_000);
});
