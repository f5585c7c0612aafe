import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { nextBidFen } from "../../core/next-bid.ts";
import { decideBid, eligibilityRefusal, type BidAttempt, type BidDecision, type LotForBid, type RegistrationForBid } from "../../auction/rules/bidding.ts";
import { minimumBidFen, quickAmounts } from "../../app/lib/live-lot.ts";

const R = CN_SPC_2016;
const MS = 1;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

const STARTS = new Date("2026-05-01T02:00:00.000Z");
const CLOSES = plus(STARTS, 24 * HOUR);
const MIDDAY = plus(STARTS, HOUR);

const START_FEN = 100_000n; // ¥1,000.00
const INC_FEN = 1_000n; // ¥10.00
const CURRENT_FEN = 150_000n;

/** An open lot with no bids yet. */
function lot(over: Partial<LotForBid> = {}): LotForBid {
  return {
    status: "published",
    round: "first",
    biddingStartsAt: STARTS,
    closesAt: CLOSES,
    startingPriceFen: START_FEN,
    incrementFen: INC_FEN,
    currentPriceFen: null,
    leader: null,
    ...over,
  };
}

/** An open lot whose current price is CURRENT_FEN, led by `leaderId` (of priority rank `rank`). */
function ledLot(leaderId = "r-lead", rank: number | null = null, over: Partial<LotForBid> = {}): LotForBid {
  return lot({ currentPriceFen: CURRENT_FEN, leader: { registrationId: leaderId, priorityRank: rank }, ...over });
}

/** An ordinary bid mid-auction. */
function bid(amountFen: bigint, over: Partial<BidAttempt> = {}): BidAttempt {
  return { registrationId: "r-a", priorityRank: null, amountFen, at: MIDDAY, ...over };
}

/** The lot as it stands after an accepted bid: the bid leads at its amount (D6/E2/E3). */
function apply(l: LotForBid, b: BidAttempt, d: BidDecision): LotForBid {
  if (!d.ok) throw new Error(`bid refused: ${d.code}`);
  return { ...l, currentPriceFen: b.amountFen, leader: { registrationId: b.registrationId, priorityRank: b.priorityRank }, closesAt: d.closesAt };
}

const accepted = { ok: true, closesAt: CLOSES, extended: false };
const refused = (code: string) => ({ ok: false, code });

describe("D1: the first bid", () => {
  it("D1: a first bid one fen below the starting price is refused BID_BELOW_START", () => {
    expect(decideBid(R, lot(), bid(START_FEN - 1n))).toEqual(refused("BID_BELOW_START"));
  });

  it("D1: a first bid of exactly the starting price is accepted", () => {
    expect(decideBid(R, lot(), bid(START_FEN))).toEqual(accepted);
  });

  it("D1: a first bid of the starting price + one increment is accepted", () => {
    expect(decideBid(R, lot(), bid(START_FEN + INC_FEN))).toEqual(accepted);
  });

  it("D1: a first bid of the starting price + half an increment (or + 1 fen) is refused BID_OFF_INCREMENT", () => {
    expect(decideBid(R, lot(), bid(START_FEN + INC_FEN / 2n))).toEqual(refused("BID_OFF_INCREMENT"));
    expect(decideBid(R, lot(), bid(START_FEN + 1n))).toEqual(refused("BID_OFF_INCREMENT"));
  });
});

describe("D1: later bids", () => {
  it("D1: the current price + one increment is accepted", () => {
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN))).toEqual(accepted);
  });

  it("D1: the current price + one increment − 1 fen is refused BID_TOO_LOW", () => {
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN - 1n))).toEqual(refused("BID_TOO_LOW"));
  });

  it("D1: the current price + 1.5 increments is refused BID_OFF_INCREMENT", () => {
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + (3n * INC_FEN) / 2n))).toEqual(refused("BID_OFF_INCREMENT"));
  });

  it("D1: the current price + 3 increments is accepted", () => {
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + 3n * INC_FEN))).toEqual(accepted);
  });

  it("D1: a bid below the current price is refused BID_TOO_LOW", () => {
    expect(decideBid(R, ledLot(), bid(START_FEN))).toEqual(refused("BID_TOO_LOW"));
  });

  // Platform rule in the code (no RULEBOOK ID of its own): the leader cannot raise its own bid.
  it("D1: the leading bidder may not outbid itself (ALREADY_LEADING)", () => {
    expect(decideBid(R, ledLot("r-a"), bid(CURRENT_FEN + INC_FEN, { registrationId: "r-a" }))).toEqual(refused("ALREADY_LEADING"));
    // Nor may a leading priority holder "match" its own price.
    expect(decideBid(R, ledLot("r-p", 1), bid(CURRENT_FEN, { registrationId: "r-p", priorityRank: 1 }))).toEqual(refused("ALREADY_LEADING"));
  });
});

describe("D2/P10: lot status and bidding time", () => {
  it("D2: a bid on a draft lot is refused LOT_NOT_OPEN", () => {
    expect(decideBid(R, lot({ status: "draft" }), bid(START_FEN))).toEqual(refused("LOT_NOT_OPEN"));
  });

  it("D2/P10: a bid 1 ms before biddingStartsAt is refused LOT_NOT_OPEN; a bid exactly at it is accepted", () => {
    expect(decideBid(R, lot(), bid(START_FEN, { at: plus(STARTS, -MS) }))).toEqual(refused("LOT_NOT_OPEN"));
    expect(decideBid(R, lot(), bid(START_FEN, { at: STARTS }))).toEqual(accepted);
  });

  it("D2/P10: a bid exactly at closesAt is refused LOT_CLOSED; 1 ms before it is accepted", () => {
    expect(decideBid(R, lot(), bid(START_FEN, { at: CLOSES }))).toEqual(refused("LOT_CLOSED"));
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN, { at: CLOSES }))).toEqual(refused("LOT_CLOSED"));
    const d = decideBid(R, lot(), bid(START_FEN, { at: plus(CLOSES, -MS) }));
    expect(d.ok).toBe(true);
  });

  it.each(["sold", "failed"] as const)("D2: a bid on a %s lot is refused LOT_CLOSED, even inside the original bidding window", (status) => {
    expect(decideBid(R, lot({ status }), bid(START_FEN))).toEqual(refused("LOT_CLOSED"));
    expect(decideBid(R, ledLot("r-lead", null, { status }), bid(CURRENT_FEN + INC_FEN))).toEqual(refused("LOT_CLOSED"));
  });
});

describe("D3: the 5-minute extension, without cap", () => {
  it("D3: a bid 5 min + 1 ms before the close does not extend it", () => {
    const at = plus(CLOSES, -(5 * MINUTE + MS));
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN, { at }))).toEqual({ ok: true, closesAt: CLOSES, extended: false });
  });

  it("D3: a bid 5 min − 1 ms before the close moves the close to exactly bid time + 5 min", () => {
    const at = plus(CLOSES, -(5 * MINUTE - MS));
    const d = decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN, { at }));
    expect(d).toEqual({ ok: true, closesAt: plus(at, 5 * MINUTE), extended: true });
    expect(d.ok && d.closesAt.getTime()).toBe(CLOSES.getTime() + MS);
  });

  it("D3: a bid 1 ms before the close moves the close to 5 min after that bid", () => {
    const at = plus(CLOSES, -MS);
    expect(decideBid(R, ledLot(), bid(CURRENT_FEN + INC_FEN, { at }))).toEqual({ ok: true, closesAt: plus(at, 5 * MINUTE), extended: true });
  });

  it("D3: 50 late bids, each 1 s before the moving close, extend it every time with no cap", () => {
    let l = ledLot("r-b");
    const bidders = ["r-a", "r-b"];
    for (let i = 0; i < 50; i++) {
      const before = l.closesAt;
      const at = plus(before, -SECOND);
      const b = bid((l.currentPriceFen ?? START_FEN) + INC_FEN, { registrationId: bidders[i % 2]!, at });
      const d = decideBid(R, l, b);
      expect(d).toEqual({ ok: true, closesAt: plus(at, 5 * MINUTE), extended: true });
      l = apply(l, b, d);
      expect(l.closesAt.getTime() - before.getTime()).toBe(5 * MINUTE - SECOND);
    }
    expect(l.closesAt.getTime()).toBe(CLOSES.getTime() + 50 * (5 * MINUTE - SECOND));
    expect(l.currentPriceFen).toBe(CURRENT_FEN + 50n * INC_FEN);
    // The lot is still open at the original close, long after it.
    expect(decideBid(R, l, bid(l.currentPriceFen! + INC_FEN, { registrationId: "r-c", at: plus(CLOSES, 3 * HOUR) }))).toEqual({
      ok: true,
      closesAt: l.closesAt,
      extended: false,
    });
  });
});

describe("F9/P8: a sale-off's first bid opens a 24-hour round", () => {
  const saleOff = (over: Partial<LotForBid> = {}) => lot({ round: "sale_off", closesAt: plus(STARTS, 60 * 24 * HOUR), ...over });

  it("F9: the first bid, at the prepaid price, moves the 60-day close to 24 hours after it", () => {
    expect(decideBid(R, saleOff(), bid(START_FEN))).toEqual({ ok: true, closesAt: plus(MIDDAY, 24 * HOUR), extended: true });
  });

  it("F9: a first bid below the sale-off price is refused BID_BELOW_START", () => {
    expect(decideBid(R, saleOff(), bid(START_FEN - INC_FEN))).toEqual(refused("BID_BELOW_START"));
  });

  it("F9/D3: later bids keep the round's close, and the last 5 minutes extend it as in any auction", () => {
    const roundCloses = plus(MIDDAY, 24 * HOUR);
    const open = saleOff({ currentPriceFen: START_FEN, leader: { registrationId: "r-b", priorityRank: null }, closesAt: roundCloses });
    expect(decideBid(R, open, bid(START_FEN + INC_FEN, { at: plus(MIDDAY, HOUR) }))).toEqual({ ok: true, closesAt: roundCloses, extended: false });
    const late = plus(roundCloses, -MINUTE);
    expect(decideBid(R, open, bid(START_FEN + INC_FEN, { at: late }))).toEqual({ ok: true, closesAt: plus(late, 5 * MINUTE), extended: true });
  });

  it("F6: a first bid on a second auction is an ordinary bid (no round opens)", () => {
    expect(decideBid(R, lot({ round: "second" }), bid(START_FEN))).toEqual(accepted);
  });
});

describe("E2: a priority holder may match the top bid", () => {
  it("E2: a priority holder matching an ordinary bidder's current price is accepted and takes the lead", () => {
    const l = ledLot("r-ordinary", null);
    const b = bid(CURRENT_FEN, { registrationId: "r-p", priorityRank: 1 });
    const d = decideBid(R, l, b);
    expect(d).toEqual(accepted);
    const after = apply(l, b, d);
    expect(after.leader).toEqual({ registrationId: "r-p", priorityRank: 1 });
    // The ordinary bidder must now raise by a full increment to win it back.
    expect(decideBid(R, after, bid(CURRENT_FEN, { registrationId: "r-ordinary" }))).toEqual(refused("BID_TOO_LOW"));
    expect(decideBid(R, after, bid(CURRENT_FEN + INC_FEN, { registrationId: "r-ordinary" }))).toEqual(accepted);
  });

  it("E2: an ordinary bidder matching the current price is refused BID_TOO_LOW", () => {
    expect(decideBid(R, ledLot("r-lead", null), bid(CURRENT_FEN, { registrationId: "r-a" }))).toEqual(refused("BID_TOO_LOW"));
    expect(decideBid(R, ledLot("r-p", 1), bid(CURRENT_FEN, { registrationId: "r-a" }))).toEqual(refused("BID_TOO_LOW"));
  });

  it("E2: a priority holder bidding 1 fen under the current price is refused BID_TOO_LOW", () => {
    expect(decideBid(R, ledLot("r-lead", null), bid(CURRENT_FEN - 1n, { registrationId: "r-p", priorityRank: 1 }))).toEqual(refused("BID_TOO_LOW"));
  });

  it("E2/D3: a priority match in the last 5 minutes extends the close like any bid", () => {
    const at = plus(CLOSES, -MINUTE);
    expect(decideBid(R, ledLot("r-lead", null), bid(CURRENT_FEN, { registrationId: "r-p", priorityRank: 1, at }))).toEqual({
      ok: true,
      closesAt: plus(at, 5 * MINUTE),
      extended: true,
    });
  });
});

describe("E3: ties between priority holders — higher rank wins; equal ranks, the earlier bid wins", () => {
  it("E3: a rank-1 holder may match a rank-2 leader and takes the lead", () => {
    expect(decideBid(R, ledLot("r-p2", 2), bid(CURRENT_FEN, { registrationId: "r-p1", priorityRank: 1 }))).toEqual(accepted);
  });

  it("E3: a rank-2 holder matching a rank-1 leader is refused PRIORITY_MATCH_LOSES", () => {
    expect(decideBid(R, ledLot("r-p1", 1), bid(CURRENT_FEN, { registrationId: "r-p2", priorityRank: 2 }))).toEqual(refused("PRIORITY_MATCH_LOSES"));
  });

  it("E3: equal ranks — the second matching bid is refused PRIORITY_MATCH_LOSES, because the earlier bid wins", () => {
    const l = ledLot("r-ordinary", null);
    const first = bid(CURRENT_FEN, { registrationId: "r-p1", priorityRank: 1, at: MIDDAY });
    const after = apply(l, first, decideBid(R, l, first));
    const second = bid(CURRENT_FEN, { registrationId: "r-p1b", priorityRank: 1, at: plus(MIDDAY, MS) });
    expect(decideBid(R, after, second)).toEqual(refused("PRIORITY_MATCH_LOSES"));
  });

  it("E3: a lower-ranked holder can still take the lead by raising a full increment", () => {
    expect(decideBid(R, ledLot("r-p1", 1), bid(CURRENT_FEN + INC_FEN, { registrationId: "r-p2", priorityRank: 2 }))).toEqual(accepted);
  });
});

describe("D6: a single bidder at the starting price", () => {
  it("D6: a single bid at the starting price is accepted and leaves that bid leading", () => {
    const l = lot();
    const only = bid(START_FEN, { registrationId: "r-only" });
    const d = decideBid(R, l, only);
    expect(d).toEqual(accepted);
    // The engine has no separate winner rule: the last accepted bid leads, so with no further
    // bids this one is the winner when the lot closes (decideBid's contract, D6).
    const after = apply(l, only, d);
    expect(after.leader).toEqual({ registrationId: "r-only", priorityRank: null });
    expect(after.currentPriceFen).toBe(START_FEN);
    expect(decideBid(R, after, bid(START_FEN + INC_FEN, { at: CLOSES }))).toEqual(refused("LOT_CLOSED"));
  });
});

describe("D1: the next valid bid, one rule for the bid path and the lot page", () => {
  it("D1: nextBidFen is the starting price before the first bid, then the current price plus one increment", () => {
    expect(nextBidFen(lot())).toBe(START_FEN);
    expect(nextBidFen(ledLot())).toBe(CURRENT_FEN + INC_FEN);
  });

  it("D1: the lowest amount decideBid accepts is nextBidFen; one fen less is refused, below the start or too low", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 8n }), fc.option(fc.bigInt({ min: 0n, max: 1000n })), (start, inc, steps) => {
        const l = lot({ startingPriceFen: start, incrementFen: inc, currentPriceFen: steps === null ? null : start + steps * inc, leader: steps === null ? null : { registrationId: "r-lead", priorityRank: null } });
        const next = nextBidFen(l);
        expect(decideBid(R, l, bid(next)).ok).toBe(true);
        expect(decideBid(R, l, bid(next - 1n))).toEqual(refused(steps === null ? "BID_BELOW_START" : "BID_TOO_LOW"));
      }),
    );
  });

  it("D1: the lot page's live bid box offers the same lowest bid, from the page's fen strings, and 2 and 5 increments up from it", () => {
    const page = { startingPriceFen: String(START_FEN), incrementFen: String(INC_FEN), currentPriceFen: String(CURRENT_FEN) };
    expect(minimumBidFen(page)).toBe(String(nextBidFen(ledLot())));
    expect(minimumBidFen({ ...page, currentPriceFen: null })).toBe(String(START_FEN));
    expect(quickAmounts(page)).toEqual([
      { steps: 1, fen: String(CURRENT_FEN + INC_FEN) },
      { steps: 2, fen: String(CURRENT_FEN + 2n * INC_FEN) },
      { steps: 5, fen: String(CURRENT_FEN + 5n * INC_FEN) },
    ]);
  });
});

/** An active registration of a person bidding for themselves: may bid. */
function registration(over: Partial<RegistrationForBid> = {}): RegistrationForBid {
  return { status: "active", bidderCode: "K00001", kind: "person", byProxy: false, courtConfirmed: false, ...over };
}

describe("C2, C4, C6: whether a registration may bid now", () => {
  it("C6: an active person bidding for themselves, with a bidder code, may bid", () => {
    expect(eligibilityRefusal(registration())).toBeNull();
  });

  it("C6: no registration for the lot, or a refused one, is NOT_REGISTERED", () => {
    expect(eligibilityRefusal(undefined)).toBe("NOT_REGISTERED");
    expect(eligibilityRefusal(registration({ status: "refused" }))).toBe("NOT_REGISTERED");
    expect(eligibilityRefusal(registration({ status: "refused", kind: "company" }))).toBe("NOT_REGISTERED");
  });

  it("C6: a registration awaiting the court is AWAITING_COURT, also before its deposit", () => {
    expect(eligibilityRefusal(registration({ status: "awaiting_court", bidderCode: null }))).toBe("AWAITING_COURT");
  });

  it("C6: a company, or a person bidding through a proxy, bids only once the court has confirmed who acts for them — even when active", () => {
    expect(eligibilityRefusal(registration({ kind: "company" }))).toBe("AWAITING_COURT");
    expect(eligibilityRefusal(registration({ byProxy: true }))).toBe("AWAITING_COURT");
    expect(eligibilityRefusal(registration({ kind: "company", courtConfirmed: true }))).toBeNull();
    expect(eligibilityRefusal(registration({ byProxy: true, courtConfirmed: true }))).toBeNull();
  });

  it("C2, C4: no deposit, no bidding: awaiting the deposit, or without a bidder code, is DEPOSIT_NOT_PAID", () => {
    expect(eligibilityRefusal(registration({ status: "awaiting_deposit", bidderCode: null }))).toBe("DEPOSIT_NOT_PAID");
    expect(eligibilityRefusal(registration({ bidderCode: null }))).toBe("DEPOSIT_NOT_PAID");
    // C6 before C2: a company not yet confirmed hears about the court first.
    expect(eligibilityRefusal(registration({ status: "awaiting_deposit", bidderCode: null, kind: "company" }))).toBe("AWAITING_COURT");
  });
});
