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
  /** B5 (first round), B6 (second round) and P8 (sale-off): days between the announcement and the start of bidding. */
  announcementLeadMs: {
    first: { movable: 15 * DAY, realProperty: 30 * DAY },
    second: { movable: 7 * DAY, realProperty: 15 * DAY },
    /** P8: a sale-off is announced as a second auction is. */
    sale_off: { movable: 7 * DAY, realProperty: 15 * DAY },
  },
  /** F6: after a failed auction, the re-auction starts at no less than 80% of the previous start... */
  reauctionStartMin: { num: 80n, den: 100n },
  /** ...and is held within 30 days of the failure. */
  reauctionWithinMs: 30 * DAY,
  /** F9: a failed second auction is followed by a sale-off announced within 15 days, at the second auction's start... */
  saleOffAnnounceWithinMs: 15 * DAY,
  /** ...open for 60 days, */
  saleOffPeriodMs: 60 * DAY,
  /** ...where the first bid opens a 24-hour round (with D3's five minutes), and bidders prepay the full price. */
  saleOffRoundMs: 24 * HOUR,
  /** B10: parties and known priority holders are notified at least 3 days before the announcement. */
  partyNoticeLeadMs: 3 * DAY,
  /** A23: a reference price is valid for at most 1 year. */
  referencePriceMaxValidityMonths: 12,
  /** A23: without a new price, the sale may happen up to 6 months after the reference price expires. */
  referencePriceGraceMonths: 6,
  /** P3: the balance is due within the announced period; default 10 days, 1–30 allowed. */
  balanceDueDays: { default: 10, min: 1, max: 30 },
  /** H8: money received is paid out within 30 days; counted from the distribution's approval. */
  payoutWithinMs: 30 * DAY,

  // Section A: reference price and appraisal. Periods in days are calendar days, counted on the Beijing calendar.
  /** A1: the reference-price procedure starts within 30 days of the seizure. */
  priceProcedureStartDays: 30,
  /** A8: online-inquiry reports are due in 3 days; one 3-day extension when none arrived on time. */
  inquiryReportDays: 3,
  inquiryExtensionDays: 3,
  /** A9: errors in facts or scope are corrected within 3 days. */
  inquiryCorrectionDays: 3,
  /** A6: a platform with 5 late reports within a year is struck off, and barred for 5 years. */
  platformLateReportsLimit: 5,
  platformLateReportsWindowMonths: 12,
  /** A6, A12: removal from a list bars re-entry for 5 years. */
  listRemovalBarMonths: 60,
  /** A13: the draw selects 3 institutions and their order. */
  drawSize: 3,
  /** A15: the report is due in 30 days; extensions asked ≥5 days before the deadline, at most 2 of ≤15 days. */
  appraisalReportDays: 30,
  appraisalExtensionNoticeDays: 5,
  appraisalExtensionsMax: 2,
  appraisalExtensionMaxDays: 15,
  /**
   * Platform policy, not law (A14 sets no period): an agency answers an appraisal commission within 3 days;
   * silence counts as declining, and the next-ranked agency is commissioned.
   */
  appraisalOfferAnswerDays: 3,
  /** A16: after a missed deadline the materials come back within 3 days. */
  materialsReturnDays: 3,
  /** A17: a new report after expiry: 15 days from an appraiser, 3 from a platform. */
  reissueReportDays: { appraisal: 15, online_inquiry: 3 },
  /** A18: defects in a report are explained or corrected within 3 days. */
  reportDefectDays: 3,
  /** A19: reports reach the parties within 3 days; an unserved report is deemed served 15 days after posting. */
  reportDeliveryDays: 3,
  reportDeemedServedDays: 15,
  /** A20, A21: objections within 5 days of receipt; forwarded within 3; the appraiser explains within 5. */
  objectionDays: 5,
  objectionForwardDays: 3,
  objectionAnswerDays: 5,
  /** A20: the court decides a procedural objection within 15 days; review may be sought within 10. */
  objectionDecisionDays: 15,
  objectionReviewDays: 10,
  /** A25: the sale starts within 10 days of the reference price being fixed. */
  saleStartDays: 10,
  /** A26: a re-issued report earns 30% of the fee. */
  reissueFeeShare: { num: 30n, den: 100n },
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

/** P9: a percentage of a fen amount, rounded half-up to the fen. */
export function halfUpRatio(amount: bigint, r: Ratio): bigint {
  return (2n * amount * r.num + r.den) / (2n * r.den);
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

/**
 * The end of a period of `days` days that starts at `from`: the day of `from` does not count, and the
 * period runs to 24:00 Beijing time of its last day (Civil Code arts. 201, 203; CPL art. 85). A report
 * due "in 3 days" from the 1st is on time until the 4th ends. (Holidays that fall on the last day are not
 * modelled; the court may grant the day.)
 */
export function endOfDays(from: Date, days: number): Date {
  const local = new Date(from.getTime() + BEIJING_OFFSET_MS);
  const lastDayEnd = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days + 1);
  return new Date(lastDayEnd - BEIJING_OFFSET_MS);
}
