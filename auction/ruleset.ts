import type { AssetCategory, LotRound } from "../db/schema/index.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const MINUTE = 60 * 1000;

/** A ratio as an exact fraction, so percentages of fen amounts stay integer arithmetic (P9). */
export interface Ratio {
  num: bigint;
  den: bigint;
}

/**
 * The numbers of the PRC Supreme People's Court rules (ruleset `cn-spc-2016`). Every number the
 * auction rules use comes from here; each carries the rule it implements.
 */
export const CN_SPC_2016 = {
  id: "cn-spc-2016",
  /** B3: the starting (= reserve) price is at least 70% of the reference price. */
  startingPriceMin: { num: 70n, den: 100n },
  /** C1: the deposit is 5%–20% of the starting price. */
  depositMin: { num: 5n, den: 100n },
  depositMax: { num: 20n, den: 100n },
  /** D2: bidding lasts at least 24 hours. */
  minBiddingMs: 24 * HOUR,
  /** D3: a bid in the last 5 minutes moves the close to 5 minutes after it, without cap. */
  extensionWindowMs: 5 * MINUTE,
  extensionMs: 5 * MINUTE,
  /** B5 (first round) and B6 (second round): days between the announcement and the start of bidding. */
  announcementLeadMs: {
    first: { movable: 15 * DAY, realProperty: 30 * DAY },
    second: { movable: 7 * DAY, realProperty: 15 * DAY },
  },
  /** B10: parties and known priority holders are notified at least 3 days before the announcement. */
  partyNoticeLeadMs: 3 * DAY,
  /** A23: a reference price is valid for at most 1 year. */
  referencePriceMaxValidityMonths: 12,
  /** A23: without a new price, the sale may happen up to 6 months after the reference price expires. */
  referencePriceGraceMonths: 6,
  /** P3: the balance is due within the announced period; default 10 days, 1–30 allowed. */
  balanceDueDays: { default: 10, min: 1, max: 30 },
} as const;

export type Ruleset = typeof CN_SPC_2016;

/** B5: movables get 15 days' notice; real property and other property rights 30. "other" is treated as the longer. */
const MOVABLES: readonly AssetCategory[] = ["vehicle", "machinery"];

export function announcementLeadMs(rules: Ruleset, round: LotRound, category: AssetCategory): number {
  const lead = rules.announcementLeadMs[round];
  return MOVABLES.includes(category) ? lead.movable : lead.realProperty;
}

/** P9: a floor is never undershot by rounding — round up. */
export function ceilRatio(amount: bigint, r: Ratio): bigint {
  return (amount * r.num + r.den - 1n) / r.den;
}

/** P9: a ceiling is never exceeded by rounding — round down. */
export function floorRatio(amount: bigint, r: Ratio): bigint {
  return (amount * r.num) / r.den;
}

/** B14, C11: residential lots require the bidder's housing purchase-eligibility declaration. */
export function needsHousingEligibility(category: AssetCategory): boolean {
  return category === "residential";
}

const BEIJING_OFFSET_MS = 8 * HOUR;

/**
 * The instant `months` months after `d`, counted on the Beijing calendar. A month period ends on the
 * same day of the month, or on the last day when that month has no such day (Civil Code art. 202).
 */
export function addMonths(d: Date, months: number): Date {
  const local = new Date(d.getTime() + BEIJING_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const shifted = Date.UTC(year, month, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return new Date(shifted - BEIJING_OFFSET_MS);
}
