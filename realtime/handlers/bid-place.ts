import { AppError } from "../../core/errors.ts";
import { authorize } from "../../identity/index.ts";
import { bidSchema } from "../../auction/index.ts";
import { bidPlaced } from "../wire.ts";
import { parsePayload, type LiveComponents, type LiveSocket, type RequestHandler } from "./handler.ts";

/**
 * Bidders ("lots.bid"): one bid, decided in its lot's next batch (auction/bid-desk.ts). Answered
 * after commit; the batch has published the bid by then (a replay: the first time).
 */
export const bidPlace =
  ({ desk, sessions, bidRatePerSecond }: Pick<LiveComponents, "desk" | "sessions" | "bidRatePerSecond">): RequestHandler<"bid:place"> =>
  async (socket, payload) => {
    if (rateLimited(socket, bidRatePerSecond)) throw new AppError("RATE_LIMITED");
    const { lotId, amountFen, clientBidId } = parsePayload("bid:place", payload);
    const input = bidSchema.safeParse({ amountFen, clientBidId });
    if (!input.success) throw new AppError(input.error.issues.some((i) => i.path[0] === "amountFen") ? "INVALID_AMOUNT" : "VALIDATION_FAILED");
    // The one authorization call, before the bid waits in the queue (placeBids asks it again, per bid).
    const user = authorize(await sessions.recent(socket), "lots.bid");
    return bidPlaced(await desk.place(user, lotId, input.data));
  };

/** Counts the socket's bid:place calls over the last second. */
function rateLimited(socket: LiveSocket, perSecond: number): boolean {
  const now = Date.now();
  socket.data.bidTimes = socket.data.bidTimes.filter((t) => now - t < 1000);
  if (socket.data.bidTimes.length >= perSecond) return true;
  socket.data.bidTimes.push(now);
  return false;
}
