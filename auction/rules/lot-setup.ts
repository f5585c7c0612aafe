import type { AssetCategory, LotRound } from "../../db/schema/index.ts";
import { addMonths, announcementLeadMs, ceilRatio, floorRatio, type Ruleset } from "../../core/ruleset.ts";

export interface LotSetupInput {
  round: LotRound;
  startingPriceFen: bigint;
  depositFen: bigint;
  incrementFen: bigint;
  announceAt: Date;
  biddingStartsAt: Date;
  biddingEndsAt: Date;
  balanceDueDays: number;
}

export interface LotSetupContext {
  category: AssetCategory;
  referencePrice: { amountFen: bigint; validUntil: Date } | null;
}

/** Field → message key. Empty when the set-up obeys every rule. */
export type SetupErrors = Partial<Record<keyof LotSetupInput | "referencePrice", string>>;

/** The limits a judge sees next to each field, computed from the reference price. */
export function setupLimits(rules: Ruleset, referenceFen: bigint, startingFen: bigint) {
  return {
    minStartingPriceFen: ceilRatio(referenceFen, rules.startingPriceMin),
    minDepositFen: ceilRatio(startingFen, rules.depositMin),
    maxDepositFen: floorRatio(startingFen, rules.depositMax),
  };
}

/** Checks a lot's numbers and dates against B3, B5/B6, C1, D2, A23 and P3. Pure: no clock, no I/O. */
export function checkLotSetup(rules: Ruleset, input: LotSetupInput, ctx: LotSetupContext): SetupErrors {
  const errors: SetupErrors = {};
  const ref = ctx.referencePrice;
  if (!ref) {
    errors.referencePrice = "lot.error.noReferencePrice";
    return errors;
  }
  const limits = setupLimits(rules, ref.amountFen, input.startingPriceFen);
  // B3: starting price ≥ 70% of the reference price.
  if (input.startingPriceFen < limits.minStartingPriceFen) errors.startingPriceFen = "lot.error.startingBelowFloor";
  // C1: deposit 5%–20% of the starting price.
  if (input.depositFen < limits.minDepositFen) errors.depositFen = "lot.error.depositBelowMin";
  else if (input.depositFen > limits.maxDepositFen) errors.depositFen = "lot.error.depositAboveMax";
  if (input.incrementFen <= 0n) errors.incrementFen = "lot.error.incrementPositive";
  else if (input.incrementFen > input.startingPriceFen) errors.incrementFen = "lot.error.incrementTooLarge";
  // D2: bidding lasts at least 24 hours.
  if (input.biddingEndsAt.getTime() - input.biddingStartsAt.getTime() < rules.minBiddingMs) errors.biddingEndsAt = "lot.error.biddingTooShort";
  // B5/B6: the announcement comes at least 15/30 (7/15) days before bidding starts.
  if (input.biddingStartsAt.getTime() - input.announceAt.getTime() < announcementLeadMs(rules, input.round, ctx.category)) {
    errors.biddingStartsAt = "lot.error.announcementTooLate";
  }
  // A23: the announcement must be issued while the reference price is valid.
  if (input.announceAt.getTime() > ref.validUntil.getTime()) errors.referencePrice = "lot.error.referencePriceExpired";
  // A23: ...and the sale ends within 6 months after it expires.
  else if (input.biddingEndsAt.getTime() > addMonths(ref.validUntil, rules.referencePriceGraceMonths).getTime()) {
    errors.referencePrice = "lot.error.saleAfterGrace";
  }
  // P3: the balance is due within 1–30 days.
  if (!Number.isInteger(input.balanceDueDays) || input.balanceDueDays < rules.balanceDueDays.min || input.balanceDueDays > rules.balanceDueDays.max) {
    errors.balanceDueDays = "lot.error.balanceDueDays";
  }
  return errors;
}

/** B10: publishing needs the parties notified at least 3 days before the announcement. */
export function checkPartiesNotified(rules: Ruleset, partiesNotifiedAt: Date | null, announceAt: Date): string | null {
  if (!partiesNotifiedAt) return "lot.error.partiesNotNotified";
  return announceAt.getTime() - partiesNotifiedAt.getTime() < rules.partyNoticeLeadMs ? "lot.error.partiesNotifiedTooLate" : null;
}
