import { AppError } from "../../core/errors.ts";
import { lotSnapshot } from "../../auction/index.ts";
import { leaveLotRooms, lotRoom } from "../fanout.ts";
import { snapshotWire } from "../wire.ts";
import { overRate } from "../limits.ts";
import { parsePayload, type LiveComponents, type RequestHandler } from "./handler.ts";

/** Anyone, anonymous too: watch a lot. Answers with the snapshot, whose bids go by code only (P4). */
export const lotJoin =
  ({ db, clock, fanout, limits }: Pick<LiveComponents, "db" | "clock" | "fanout" | "limits">): RequestHandler<"lot:join"> =>
  async (socket, payload) => {
    // Each join reads the lot's snapshot from the database.
    if (overRate(socket, "lot:join", limits.joinsPerMinute)) throw new AppError("RATE_LIMITED");
    const { lotId } = parsePayload("lot:join", payload);
    // Join before reading, so nothing committed between the read and the join is missed.
    // Joining again (a resync) keeps the socket's rooms as they are.
    if (!socket.rooms.has(lotRoom(lotId))) await socket.join(fanout.roomsFor(lotId));
    const snapshot = await lotSnapshot(db, clock, lotId);
    if (!snapshot) {
      leaveLotRooms(socket, lotId);
      throw new AppError("NOT_FOUND");
    }
    fanout.watchersChanged(lotId);
    // The socket has just joined: at least one watcher.
    return snapshotWire(snapshot, fanout.localWatchers(lotId) || 1);
  };
