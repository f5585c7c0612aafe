/**
 * D1's price ladder, in one pure function that the server and the browser both run: the bid path
 * judges bids with it (auction/rules/bidding.ts, re-exported by auction/index.ts) and the lot page
 * shows and offers the same amount. It lives in core, not in the auction context, because the lot
 * page's browser code may import core but not auction/index.ts, which brings the server with it
 * (postgres.js, node:crypto). So: no imports here.
 */

/** What D1 needs of a lot, in fen: its starting price, its increment, and its current price (null before the first bid). */
export interface PriceLadder {
  startingPriceFen: bigint;
  incrementFen: bigint;
  currentPriceFen: bigint | null;
}

/** D1: the lowest valid bid now — the starting price, or the current price plus one increment. */
export function nextBidFen(lot: PriceLadder): bigint {
  return lot.currentPriceFen === null ? lot.startingPriceFen : lot.currentPriceFen + lot.incrementFen;
}
