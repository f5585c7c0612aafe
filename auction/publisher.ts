import type { AcceptedBid } from "./bidding.ts";
import type { CloseResult } from "./closing.ts";
import type { HeldLot, ResumedLot } from "./interventions.ts";

/** An accepted bid as watchers see it: its code, never who placed it (P4), and the close after it (D3). */
export type PublishedBid = Pick<AcceptedBid, "bidderCode" | "amountFen" | "placedAt" | "seq" | "priorityRank" | "closesAt" | "extended">;

/** A lot's close as watchers see it. */
export type ClosedLot = Omit<Extract<CloseResult, { kind: "closed" }>, "kind" | "lotId">;

/**
 * What the auction tells watchers. The realtime layer implements it (Socket.IO rooms). Only the use
 * cases call it — placeBids (so placeBid and the bid desk), closeLot, holdLot and resumeLot — each once per change, after
 * the change has committed: routes and jobs never publish.
 */
export interface LotPublisher {
  bidAccepted(lotId: string, bid: PublishedBid): void;
  lotClosed(lotId: string, lot: ClosedLot): void;
  /** P15: the court held the lot; watchers stop the countdown and the bid box at once. */
  lotHeld(lotId: string, hold: HeldLot): void;
  /** P15: bidding goes on, to the new close. */
  lotResumed(lotId: string, resumed: ResumedLot): void;
}

/** For processes and tests without watchers. */
export const silentPublisher: LotPublisher = {
  bidAccepted() {},
  lotClosed() {},
  lotHeld() {},
  lotResumed() {},
};

/**
 * Told when a publisher throws. The change has committed by then and stands: its senders still get
 * their answers, and watchers see a gap in the sequence and fetch the snapshot again.
 */
export type PublishErrorHandler = (error: unknown, lotId: string) => void;

export const reportPublishError: PublishErrorHandler = (error, lotId) => console.error(`publishing lot ${lotId} failed`, error);
