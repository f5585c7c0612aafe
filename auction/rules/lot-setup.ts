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
  /**
   * A second auction's or a sale-off's basis: the failed lot of the round before (F6, F9). `failedAt` is set when this
   * lot follows that failure directly (a re-auction after a default keeps the round's price, not its deadline).
   */
  failedRound?: { startingPriceFen: bigint; failedAt: Date | null } | null;
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

/** Checks a lot's numbers and dates against B3, B5/B6, C1, D2, F6, F9, A23 and P3. Pure: no clock, no I/O. */
export function checkLotSetup(rules: Ruleset, input: LotSetupInput, ctx: LotSetupContext): SetupErrors {
  const errors: SetupErrors = {};
  const ref = ctx.referencePrice;
  if (!ref) {
    errors.referencePrice = "lot.error.noReferencePrice";
    return errors;
  }
  Object.assign(errors, input.round === "first" ? firstRoundPrice(rules, input, ref.amountFen) : laterRoundPrice(rules, input, ctx.failedRound ?? null));
  if (input.incrementFen <= 0n) errors.incrementFen = "lot.error.incrementPositive";
  else if (input.incrementFen > input.startingPriceFen) errors.incrementFen = "lot.error.incrementTooLarge";
  const biddingMs = input.biddingEndsAt.getTime() - input.biddingStartsAt.getTime();
  // F9: a sale-off is open for 60 days; D2: any other lot's bidding lasts at least 24 hours.
  if (input.round === "sale_off" ? biddingMs !== rules.saleOffPeriodMs : biddingMs < rules.minBiddingMs) {
    errors.biddingEndsAt = input.round === "sale_off" ? "lot.error.saleOffPeriod" : "lot.error.biddingTooShort";
  }
  // B5/B6: the announcement comes at least 15/30 (7/15) days before bidding starts.
  if (input.biddingStartsAt.getTime() - input.announceAt.getTime() < announcementLeadMs(rules, input.round, ctx.category)) {
    errors.biddingStartsAt = input.round === "first" ? "lot.error.announcementTooLate" : "lot.error.laterAnnouncementTooLate";
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

/** B3: a first auction starts at 70% of the reference price or more; C1: its deposit is 5%–20% of the start. */
function firstRoundPrice(rules: Ruleset, input: LotSetupInput, referenceFen: bigint): SetupErrors {
  const errors: SetupErrors = {};
  const limits = setupLimits(rules, referenceFen, input.startingPriceFen);
  if (input.startingPriceFen < limits.minStartingPriceFen) errors.startingPriceFen = "lot.error.startingBelowFloor";
  Object.assign(errors, depositRange(rules, input));
  return errors;
}

function depositRange(rules: Ruleset, input: LotSetupInput): SetupErrors {
  const limits = setupLimits(rules, 0n, input.startingPriceFen);
  if (input.depositFen < limits.minDepositFen) return { depositFen: "lot.error.depositBelowMin" };
  if (input.depositFen > limits.maxDepositFen) return { depositFen: "lot.error.depositAboveMax" };
  return {};
}

/**
 * F6: a second auction starts at no less than 80% of the failed first auction's start, within 30 days of its failure.
 * F9: a sale-off is priced at the failed second auction's start, prepaid in full (its deposit being the part a default
 * forfeits), and announced within 15 days.
 */
function laterRoundPrice(rules: Ruleset, input: LotSetupInput, failed: LotSetupContext["failedRound"]): SetupErrors {
  if (!failed) return { startingPriceFen: "lot.error.noFailedRound" };
  const errors: SetupErrors = {};
  if (input.round === "second") {
    if (input.startingPriceFen < ceilRatio(failed.startingPriceFen, rules.reauctionStartMin)) errors.startingPriceFen = "lot.error.reauctionBelowFloor";
    Object.assign(errors, depositRange(rules, input));
    if (failed.failedAt && input.biddingStartsAt.getTime() > failed.failedAt.getTime() + rules.reauctionWithinMs) errors.biddingStartsAt = "lot.error.reauctionTooLate";
    return errors;
  }
  if (input.startingPriceFen !== failed.startingPriceFen) errors.startingPriceFen = "lot.error.saleOffPrice";
  // The bidders prepay the whole price; the deposit is the part of it a defaulter forfeits (F9), within C1's range.
  Object.assign(errors, depositRange(rules, input));
  if (failed.failedAt && input.announceAt.getTime() > failed.failedAt.getTime() + rules.saleOffAnnounceWithinMs) errors.announceAt = "lot.error.saleOffTooLate";
  return errors;
}

/** The least a second auction may start at (F6), shown next to its field. */
export function reauctionFloorFen(rules: Ruleset, failedStartFen: bigint): bigint {
  return ceilRatio(failedStartFen, rules.reauctionStartMin);
}

/** B10: publishing needs the parties notified at least 3 days before the announcement. */
export function checkPartiesNotified(rules: Ruleset, partiesNotifiedAt: Date | null, announceAt: Date): string | null {
  if (!partiesNotifiedAt) return "lot.error.partiesNotNotified";
  return announceAt.getTime() - partiesNotifiedAt.getTime() < rules.partyNoticeLeadMs ? "lot.error.partiesNotifiedTooLate" : null;
}
