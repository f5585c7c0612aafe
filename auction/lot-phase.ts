import type { LotStatus } from "../db/schema/index.ts";

export const LOT_PHASES = ["draft", "announced", "bidding", "suspended", "stayed", "ended", "sold", "failed", "withdrawn", "defaulted", "revoked"] as const;
export type LotPhase = (typeof LOT_PHASES)[number];

/** What a person sees: stored status plus the clock ("ended" = closed by time, outcome being recorded). */
export function lotPhase(lot: { status: LotStatus; biddingStartsAt: Date; closesAt: Date }, now: Date): LotPhase {
  if (lot.status !== "published") return lot.status;
  if (now.getTime() < lot.biddingStartsAt.getTime()) return "announced";
  return now.getTime() < lot.closesAt.getTime() ? "bidding" : "ended";
}
