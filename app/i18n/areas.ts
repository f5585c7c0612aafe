// Which texts each page is sent (ADR 025). The catalogues (zh-CN.ts, en.ts) stay whole; a page gets its language's
// texts for the root (menu, footer, error pages) and for its area, picked by key path. A key path names a subtree:
// "lot" is every text under lot, "lot.error" only those under lot.error. tests/unit/i18n-areas.test.ts checks that
// every key a page's code names is in what that page is sent.

/** Parts of the site that share texts, decided by the address (areaOf). */
export const AREAS = ["public", "bidder", "court", "agency", "platform", "admin", "draw", "party", "bank"] as const;
export type Area = (typeof AREAS)[number];

/** The texts as sent: the catalogue's shape, with only the subtrees picked. */
export type Texts = { [key: string]: string | Texts };

/**
 * The address's area: by its first segment, and for a lot's own steps (apply, deposit, bid …), by the step. A data
 * request's address ("/account.data", what a navigation in the browser fetches) is the page's.
 */
export function areaOf(pathname: string): Area {
  const [first, , third] = pathname.replace(/\.data$/, "").split("/").filter(Boolean);
  switch (first) {
    case "court":
    case "cases":
      return "court";
    case "agency":
      return "agency";
    case "platform":
      return "platform";
    case "admin":
      return "admin";
    case "draws":
      return "draw";
    case "simulated-bank":
      return "bank";
    case "account":
    case "notifications":
      return "bidder";
    case "my":
      return pathname.startsWith("/my/cases") ? "party" : "bidder";
    case "lots":
      return third ? "bidder" : "public";
    default:
      return "public";
  }
}

/** The root's texts: the menu, the footer, and the error pages every route may show. */
export const ROOT_TEXTS: readonly string[] = [
  ...["site", "nav", "roles", "errors.page", "notices.nav", "notices.unread", "companies.link", "appraisal.nav", "agencyPortal.title"],
  ...["platformPortal.title", "pool.agencies.title", "pool.platforms.title", "reconciliation.title", "faultHold.nav"],
  // Every page's <title> names its record's kind (titles), and every table its columns (table).
  ...["titles", "table"],
];

/** Sent with every area: what forms and their errors need anywhere. */
const COMMON: readonly string[] = ["form", "fields", "validation", "errors", "time", "lot.error"];

export const AREA_TEXTS: Record<Area, readonly string[]> = {
  public: [...COMMON, "balance", "bid", "category", "confirm", "deposit", "files", "gallery", "home", "live", "lot", "lotDocs", "lotMoney", "lotPlace", "lotPrice", "lots", "lotShare", "notices", "phase", "priceMethod", "priorityHolderKind", "register", "revocationGround", "round", "signIn", "video", "viewings", "warnings", "withdrawalGround"],
  bidder: [...COMMON, "account", "apply", "balance", "bid", "category", "confirm", "deposit", "lot", "lotDocs", "lotMoney", "lotPrice", "lots", "my", "myPayments", "notices", "partyLink", "partyRole", "phase", "priceMethod", "priorityHolderKind", "proxy", "realName", "register", "registrationStatus", "round", "sessions", "tokens", "viewings", "warnings"],
  court: [...COMMON, "agencyPortal", "appraisal", "category", "companies", "confirm", "court", "courtDeadlines", "courtLot", "distribution", "escrow", "fees", "file", "files", "fundFlow", "law", "lot", "lotNew", "partyRole", "phase", "priceMethod", "priorityHolderKind", "publishPreview", "register", "revocationGround", "round", "gallery", "video", "viewings", "warnings", "withdrawalGround"],
  agency: [...COMMON, "agencyPortal", "appraisal", "category", "file", "law", "lot", "phase", "pool", "priceMethod", "priorityHolderKind", "warnings"],
  platform: [...COMMON, "agencyPortal", "appraisal", "category", "file", "law", "lot", "phase", "platformPortal", "pool", "priceMethod", "priorityHolderKind", "warnings"],
  admin: [...COMMON, "account", "admin", "agencyPortal", "appraisal", "category", "faultHold", "file", "law", "lot", "phase", "pool", "priceMethod", "priorityHolderKind", "reconciliation", "warnings"],
  draw: [...COMMON, "appraisal", "draw", "law", "lot", "partyRole", "phase", "priceMethod", "priorityHolderKind", "warnings"],
  party: [...COMMON, "appraisal", "fundFlow", "law", "lot", "partyRole", "phase", "priceMethod", "priorityHolderKind", "warnings"],
  bank: [...COMMON, "lot", "phase", "priorityHolderKind", "simulatedBank", "warnings"],
};

/** The subtrees named by `paths` (see above), merged into one object of the catalogue's shape. */
export function pickTexts(catalogue: Texts, paths: readonly string[]): Texts {
  const picked: Texts = {};
  for (const path of paths) {
    const parts = path.split(".");
    let from: Texts | string | undefined = catalogue;
    for (const part of parts) from = typeof from === "object" ? from[part] : undefined;
    if (from === undefined) throw new Error(`no texts at ${path}`);
    let into = picked;
    for (const part of parts.slice(0, -1)) into = (into[part] ??= {}) as Texts;
    const last = parts.at(-1)!;
    into[last] = typeof from === "object" && typeof into[last] === "object" ? { ...into[last], ...from } : from;
  }
  return picked;
}
