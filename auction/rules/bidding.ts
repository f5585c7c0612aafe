import type { BidderKind, LotRound, LotStatus, RegistrationStatus } from "../../db/schema/index.ts";
import type { Ruleset } from "../../core/ruleset.ts";
import { nextBidFen } from "../../core/next-bid.ts";

/** What the engine needs to know of a lot to judge one bid. */
export interface LotForBid {
  status: LotStatus;
  /** A sale-off's first bid opens its 24-hour round (F9). */
  round: LotRound;
  biddingStartsAt: Date;
  closesAt: Date;
  startingPriceFen: bigint;
  incrementFen: bigint;
  currentPriceFen: bigint | null;
  leader: { registrationId: string; priorityRank: number | null } | null;
}

export interface BidAttempt {
  registrationId: string;
  /** Set for a court-confirmed priority holder (E1); 1 is the highest rank. */
  priorityRank: number | null;
  amountFen: bigint;
  /** The bid time: taken while the lot row is locked (D4, P10). */
  at: Date;
}

/** What the bid path knows of a bidder's registration for the lot, read under the lot lock. */
export interface RegistrationForBid {
  status: RegistrationStatus;
  /** Issued once the deposit is paid (C4). */
  bidderCode: string | null;
  kind: BidderKind;
  /** A person bidding through a declared proxy (C6). */
  byProxy: boolean;
  /** The court has confirmed who acts for the company, or the person's proxy (C6). */
  courtConfirmed: boolean;
}

export type EligibilityRefusal = "NOT_REGISTERED" | "AWAITING_COURT" | "DEPOSIT_NOT_PAID";

/**
 * Why this registration may not bid now, or null when it may (C2, C4, C6). Pure: the bid path reads the
 * registration under the lot lock, so a registration refused or changed a moment ago counts.
 */
export function eligibilityRefusal(reg: RegistrationForBid | undefined): EligibilityRefusal | null {
  if (!reg || reg.status === "refused") return "NOT_REGISTERED";
  // C6: a company, or a person bidding through a proxy, bids only once the court has confirmed who acts for them.
  const representedBy = reg.kind === "company" || reg.byProxy;
  if (reg.status === "awaiting_court" || (representedBy && !reg.courtConfirmed)) return "AWAITING_COURT";
  // C2, C4: no deposit, no bidder code, no bidding.
  if (reg.status !== "active" || !reg.bidderCode) return "DEPOSIT_NOT_PAID";
  return null;
}

export const BID_REFUSALS = ["LOT_NOT_OPEN", "LOT_CLOSED", "LOT_SUSPENDED", "BID_BELOW_START", "BID_TOO_LOW", "BID_OFF_INCREMENT", "ALREADY_LEADING", "PRIORITY_MATCH_LOSES"] as const;
export type BidRefusal = (typeof BID_REFUSALS)[number];

export type BidDecision = { ok: true; closesAt: Date; extended: boolean } | { ok: false; code: BidRefusal };

/**
 * Whether a bid is accepted, and the close instant after it. Pure: the caller supplies the lot as
 * locked and the bid time. An accepted bid always becomes the leading bid, so the last accepted bid
 * at the close is the winner (D6, E2, E3).
 */
export function decideBid(rules: Ruleset, lot: LotForBid, bid: BidAttempt): BidDecision {
  const at = bid.at.getTime();
  // P15: a lot held by the court takes no bids until it resumes.
  if (lot.status === "suspended" || lot.status === "stayed") return { ok: false, code: "LOT_SUSPENDED" };
  if (lot.status === "draft" || (lot.status === "published" && at < lot.biddingStartsAt.getTime())) return { ok: false, code: "LOT_NOT_OPEN" };
  if (lot.status !== "published") return { ok: false, code: "LOT_CLOSED" };
  // D3/P10: the close instant itself is already closed.
  if (at >= lot.closesAt.getTime()) return { ok: false, code: "LOT_CLOSED" };

  const first = lot.currentPriceFen === null;
  if (!first && lot.leader?.registrationId === bid.registrationId) return { ok: false, code: "ALREADY_LEADING" };
  if (!first && bid.amountFen === lot.currentPriceFen && bid.priorityRank !== null) {
    // E2/E3: a priority holder may match the top bid, and takes the lead only from a
    // non-priority bid or a lower rank; an equal rank loses to the earlier bid.
    const leaderRank = lot.leader?.priorityRank ?? null;
    if (leaderRank !== null && leaderRank <= bid.priorityRank) return { ok: false, code: "PRIORITY_MATCH_LOSES" };
  } else {
    // D1: at least the next valid bid (the starting price first), in whole increments above it.
    const next = nextBidFen(lot);
    if (bid.amountFen < next) return { ok: false, code: first ? "BID_BELOW_START" : "BID_TOO_LOW" };
    if ((bid.amountFen - next) % lot.incrementFen !== 0n) return { ok: false, code: "BID_OFF_INCREMENT" };
  }

  // F9: a sale-off's first bid opens a 24-hour round, to which D3 then applies.
  if (first && lot.round === "sale_off") return { ok: true, closesAt: new Date(at + rules.saleOffRoundMs), extended: true };
  // D3: a bid in the last 5 minutes moves the close to 5 minutes after it, without cap.
  const closes = lot.closesAt.getTime();
  if (closes - at < rules.extensionWindowMs) return { ok: true, closesAt: new Date(at + rules.extensionMs), extended: true };
  return { ok: true, closesAt: lot.closesAt, extended: false };
}
