// The fees of a reference price (A26, RP 31–33): pure, integer fen, no I/O. The rulebook gives no fee scale, so the
// court enters each fee as its scale (or the bill) gives it, and these functions apply A26 to that figure: who is paid,
// on what base, and how much. The creditor advances the fees and the debtor bears them (escrow/fees.ts).
import { halfUpRatio, type Ruleset } from "../../core/ruleset.ts";

export interface PlatformResult {
  platformId: string;
  valueFen: bigint;
}

export interface FeeShare {
  platformId: string;
  amountFen: bigint;
}

/**
 * A26: the inquiry fee goes to the platform whose result is closest to the deal price; platforms equally close share
 * it. A fen that does not divide evenly goes, one each, to the tied platforms in order of their id, so the shares add
 * up to the fee exactly: no fen is lost or created.
 */
export function inquiryFeeShares(feeFen: bigint, dealFen: bigint, results: readonly PlatformResult[]): FeeShare[] {
  if (feeFen <= 0n) throw new RangeError("the fee must be positive");
  if (results.length === 0) throw new RangeError("no platform result to compare");
  const distance = (r: PlatformResult) => (r.valueFen > dealFen ? r.valueFen - dealFen : dealFen - r.valueFen);
  const closest = results.reduce((best, r) => (distance(r) < best ? distance(r) : best), distance(results[0]!));
  const tied = results
    .filter((r) => distance(r) === closest)
    .map((r) => r.platformId)
    .sort();
  const n = BigInt(tied.length);
  const each = feeFen / n;
  const left = feeFen % n;
  return tied.map((platformId, i) => ({ platformId, amountFen: each + (BigInt(i) < left ? 1n : 0n) }));
}

/** What an appraisal fee is computed on (A26). */
export type AppraisalFeeBasis = { basis: "lower_of_value_and_deal"; baseFen: bigint } | { basis: "actual_costs"; baseFen: null };

/**
 * A26: after a sale the appraisal fee is based on the lower of the appraised value and the deal price; when nothing
 * sells, the agency is paid its actual costs.
 */
export function appraisalFeeBasis(appraisedFen: bigint, dealFen: bigint | null): AppraisalFeeBasis {
  if (dealFen === null) return { basis: "actual_costs", baseFen: null };
  return { basis: "lower_of_value_and_deal", baseFen: appraisedFen < dealFen ? appraisedFen : dealFen };
}

/** A26: a re-issued report earns 30% of the fee the agency's scale gives, rounded half-up to the fen (P9). */
export function reissueFee(rules: Ruleset, fullFeeFen: bigint): bigint {
  if (fullFeeFen <= 0n) throw new RangeError("the fee must be positive");
  return halfUpRatio(fullFeeFen, rules.reissueFeeShare);
}
