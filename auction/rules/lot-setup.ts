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

/**
 * What the rules read: the round and the announcement's instant always; each number or date when it is known.
 * A form whose other fields failed is still checked on the ones that are valid (every error in one round).
 */
export type LotSetupFacts = Pick<LotSetupInput, "round" | "announceAt"> & Partial<LotSetupInput>;

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

/**
 * Checks a lot's numbers and dates against B3, B5/B6, C1, D2, F6, F9, A23 and P3. Pure: no clock, no I/O.
 * A rule whose fields are not all known is left out; the others are checked.
 */
export function checkLotSetup(rules: Ruleset, input: LotSetupFacts, ctx: LotSetupContext): SetupErrors {
  const errors: SetupErrors = {};
  const ref = ctx.referencePrice;
  if (!ref) {
    errors.referencePrice = "lot.error.noReferencePrice";
    return errors;
  }
  const { startingPriceFen: start, incrementFen: increment, biddingStartsAt: starts, biddingEndsAt: ends, balanceDueDays } = input;
  Object.assign(errors, input.round === "first" ? firstRoundPrice(rules, input, ref.amountFen) : laterRoundPrice(rules, input, ctx.failedRound ?? null));
  if (increment !== undefined) {
    if (increment <= 0n) errors.incrementFen = "lot.error.incrementPositive";
    else if (start !== undefined && increment > start) errors.incrementFen = "lot.error.incrementTooLarge";
  }
  if (starts && ends) {
    const biddingMs = ends.getTime() - starts.getTime();
    // F9: a sale-off is open for 60 days; D2: any other lot's bidding lasts at least 24 hours.
    if (input.round === "sale_off" ? biddingMs !== rules.saleOffPeriodMs : biddingMs < rules.minBiddingMs) {
      errors.biddingEndsAt = input.round === "sale_off" ? "lot.error.saleOffPeriod" : "lot.error.biddingTooShort";
    }
  }
  // B5/B6: the announcement comes at least 15/30 (7/15) days before bidding starts.
  if (starts && starts.getTime() - input.announceAt.getTime() < announcementLeadMs(rules, input.round, ctx.category)) {
    errors.biddingStartsAt = input.round === "first" ? "lot.error.announcementTooLate" : "lot.error.laterAnnouncementTooLate";
  }
  // A23: the announcement must be issued while the reference price is valid.
  if (input.announceAt.getTime() > ref.validUntil.getTime()) errors.referencePrice = "lot.error.referencePriceExpired";
  // A23: ...and the sale ends within 6 months after it expires.
  else if (ends && ends.getTime() > addMonths(ref.validUntil, rules.referencePriceGraceMonths).getTime()) {
    errors.referencePrice = "lot.error.saleAfterGrace";
  }
  // P3: the balance is due within 1–30 days.
  if (balanceDueDays !== undefined && (!Number.isInteger(balanceDueDays) || balanceDueDays < rules.balanceDueDays.min || balanceDueDays > rules.balanceDueDays.max)) {
    errors.balanceDueDays = "lot.error.balanceDueDays";
  }
  return errors;
}

/** B3: a first auction starts at 70% of the reference price or more; C1: its deposit is 5%–20% of the start. */
function firstRoundPrice(rules: Ruleset, input: LotSetupFacts, referenceFen: bigint): SetupErrors {
  const errors: SetupErrors = {};
  if (input.startingPriceFen === undefined) return errors;
  const limits = setupLimits(rules, referenceFen, input.startingPriceFen);
  if (input.startingPriceFen < limits.minStartingPriceFen) errors.startingPriceFen = "lot.error.startingBelowFloor";
  Object.assign(errors, depositRange(rules, input));
  return errors;
}

function depositRange(rules: Ruleset, input: LotSetupFacts): SetupErrors {
  if (input.startingPriceFen === undefined || input.depositFen === undefined) return {};
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
function laterRoundPrice(rules: Ruleset, input: LotSetupFacts, failed: LotSetupContext["failedRound"]): SetupErrors {
  if (!failed) return { startingPriceFen: "lot.error.noFailedRound" };
  const errors: SetupErrors = {};
  const start = input.startingPriceFen;
  if (input.round === "second") {
    if (start !== undefined && start < ceilRatio(failed.startingPriceFen, rules.reauctionStartMin)) errors.startingPriceFen = "lot.error.reauctionBelowFloor";
    Object.assign(errors, depositRange(rules, input));
    if (failed.failedAt && input.biddingStartsAt && input.biddingStartsAt.getTime() > failed.failedAt.getTime() + rules.reauctionWithinMs) errors.biddingStartsAt = "lot.error.reauctionTooLate";
    return errors;
  }
  if (start !== undefined && start !== failed.startingPriceFen) errors.startingPriceFen = "lot.error.saleOffPrice";
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
