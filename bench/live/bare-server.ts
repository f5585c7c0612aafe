/**
 * The bare Socket.IO baseline for R2 and R4: the same namespace and events as the app (/live,
 * lot:join, bid:place → bid:accepted to the lot's room, in the same packed frame), nothing else — no session, no database, no
 * tick: each bid is numbered, broadcast at once to the room, and acked.
 *
 * With a tick (profiling only), bids are coalesced per lot exactly as realtime/fanout.ts does: the first
 * bid of a tick starts a timer, the tick's bids go out together when it fires.
 *
 *   node bench/live/bare-server.ts <port> [tickMs]
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { packBids, type ClientToServerEvents, type FrameBid, type ServerToClientEvents, type SocketData } from "../../core/live-events.ts";

const port = Number(process.argv[2] ?? 0);
const tickMs = Number(process.argv[3] ?? 0);
const httpServer = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, { serveClient: false });
const live = io.of("/live");
const seqs = new Map<string, number>();
const pending = new Map<string, FrameBid[]>();

function broadcast(lotId: string, bids: FrameBid[]) {
  bids.sort((a, b) => a.seq - b.seq);
  const closesAt = new Date(Date.now() + 300_000).toISOString();
  live.to(`lot:${lotId}`).emit("bid:accepted", { lotId, seq: bids.at(-1)!.seq, bids: packBids(bids), closesAt });
}

function accepted(lotId: string, bid: FrameBid) {
  if (tickMs <= 0) return broadcast(lotId, [bid]);
  const tick = pending.get(lotId);
  if (tick) return void tick.push(bid);
  pending.set(lotId, [bid]);
  setTimeout(() => {
    const bids = pending.get(lotId)!;
    pending.delete(lotId);
    broadcast(lotId, bids);
  }, tickMs);
}

live.on("connection", (socket) => {
  socket.on("time:sync", (ack) => ack({ ok: true, data: { now: new Date().toISOString() } }));
  socket.on("lot:join", async (payload, ack) => {
    await socket.join(`lot:${payload.lotId}`);
    const now = new Date().toISOString();
    ack({
      ok: true,
      data: {
        lotId: payload.lotId,
        seq: seqs.get(payload.lotId) ?? 0,
        phase: "bidding",
        startingPriceFen: "0",
        incrementFen: "100",
        currentPriceFen: null,
        biddingStartsAt: now,
        closesAt: now,
        serverTime: now,
        bids: [],
        bidCount: seqs.get(payload.lotId) ?? 0,
        watchers: live.adapter.rooms.get(`lot:${payload.lotId}`)?.size ?? 1,
      },
    });
  });
  socket.on("bid:place", (payload, ack) => {
    const seq = (seqs.get(payload.lotId) ?? 0) + 1;
    seqs.set(payload.lotId, seq);
    // As the app does: the frame packs the bid as the server holds it, the ack carries it in wire form.
    const placedAt = new Date();
    accepted(payload.lotId, { bidderCode: "BARE01", amountFen: BigInt(payload.amountFen), placedAt, seq, priorityRank: null });
    const bid = { bidderCode: "BARE01", amountFen: payload.amountFen, placedAt: placedAt.toISOString(), seq, priority: false };
    ack({ ok: true, data: { bid, closesAt: new Date(Date.now() + 300_000).toISOString(), extended: false, replay: false } });
  });
});

httpServer.listen(port, "127.0.0.1", () => console.log(`bare Socket.IO on ${port}${tickMs > 0 ? `, ${tickMs} ms tick` : ""}`));
const stop = () => {
  void io.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
