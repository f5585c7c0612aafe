import { B9_WARNINGS } from "./warnings.ts";

/** The text of one announcement version, stored as JSON by publishLot and reviseAnnouncement. */
export interface AnnouncementContent {
  depositAccount: string;
  transferTaxes: string;
  courtContact: string;
  panelDecision: string;
  housingEligibilityRequired: boolean;
  warnings: string[];
}

/** An announcement version's stored JSON read back, whatever its age: missing fields are empty. */
export function announcementContent(content: unknown): AnnouncementContent {
  const o = (content !== null && typeof content === "object" ? content : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    depositAccount: str(o.depositAccount),
    transferTaxes: str(o.transferTaxes),
    courtContact: str(o.courtContact),
    panelDecision: str(o.panelDecision),
    housingEligibilityRequired: o.housingEligibilityRequired === true,
    // B9: every announcement carries all six warnings; an old record without them still shows them.
    warnings: Array.isArray(o.warnings) && o.warnings.length > 0 ? o.warnings.filter((w): w is string => typeof w === "string") : [...B9_WARNINGS],
  };
}
