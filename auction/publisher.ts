import type { BidView } from "./public-reads.ts";

/**
 * What the auction tells watchers, after the change has committed. The realtime layer implements it
 * (Socket.IO rooms); callers of placeBid and closeLot publish through it.
 */
export interface LotPublisher {
  bidAccepted(lotId: string, bid: BidView, closesAt: Date, extended: boolean): void;
  lotClosed(lotId: string, result: { seq: number; outcome: "sold" | "failed"; priceFen: bigint | null; bidderCode: string | null; closedAt: Date }): void;
}

/** For processes and tests without watchers. */
export const silentPublisher: LotPublisher = {
  bidAccepted() {},
  lotClosed() {},
};
