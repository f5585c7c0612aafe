/**
 * The special warnings every announcement carries (B9, OJA 14), shown on the lot page and agreed to
 * at registration. Keys are translation keys; the texts live in the app's dictionaries.
 */
export const B9_WARNINGS = [
  "capacity", // full civil capacity and any special qualification
  "proxy", // proxies confirmed by the court before bidding
  "defects", // known defects are disclosed; sold as is; viewing on request
  "acceptance", // bidding means accepting every defect
  "identityPublished", // the buyer's real identity is published in the confirmation (I3)
  "depositForfeited", // a defaulter's deposit is not refunded
] as const;
