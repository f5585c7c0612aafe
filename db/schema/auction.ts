import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, boolean, check, customType, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agencies, courts, users } from "./identity.ts";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });
const fen = (name: string) => bigint(name, { mode: "bigint" });

export const ASSET_CATEGORIES = ["residential", "commercial", "industrial", "land_use_right", "vehicle", "equity", "machinery", "other"] as const;
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];

/** An enforcement case of a court, e.g. （2026）京0105执1234号. */
export const cases = pgTable("cases", {
  id: uuid("id").primaryKey().defaultRandom(),
  courtId: uuid("court_id").notNull().references(() => courts.id),
  caseNumber: text("case_number").notNull().unique(),
  judgeId: uuid("judge_id").notNull().references(() => users.id),
  /** The judgment or other title being enforced (B8). */
  enforcementBasis: text("enforcement_basis").notNull(),
  createdAt: ts("created_at").notNull(),
});

export const PARTY_ROLES = ["applicant", "debtor"] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/**
 * Applicant creditors and debtors of a case. The identity number identifies the party; it grants an account nothing
 * by itself: an account acts for a party only through a confirmed party link (party_links).
 */
export const caseParties = pgTable(
  "case_parties",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull().references(() => cases.id),
    role: text("role", { enum: PARTY_ROLES }).notNull(),
    name: text("name").notNull(),
    identityNumber: text("identity_number").notNull(),
    /** An applicant's outstanding claim: it pays a deposit only where the claim is smaller (C3). */
    claimFen: fen("claim_fen"),
  },
  (t) => [index("case_parties_case_idx").on(t.caseId), check("case_parties_role_check", sql`${t.role} in ('applicant','debtor')`)],
);

export const PARTY_LINK_STATUSES = ["pending", "confirmed", "refused", "revoked"] as const;
export type PartyLinkStatus = (typeof PARTY_LINK_STATUSES)[number];
export const PARTY_LINK_SOURCES = ["code", "claim"] as const;
export type PartyLinkSource = (typeof PARTY_LINK_SOURCES)[number];

/**
 * An account acting for a case party. Only a confirmed link gives the party's rights on the case (reading it,
 * objections, negotiation figures, draw entropy): confirmed by the court, either when the account redeems a link
 * code the court issued for the party, or when the court confirms the account's claim (auction/party-links.ts).
 */
export const partyLinks = pgTable(
  "party_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partyId: uuid("party_id").notNull().references(() => caseParties.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    status: text("status", { enum: PARTY_LINK_STATUSES }).notNull(),
    source: text("source", { enum: PARTY_LINK_SOURCES }).notNull(),
    createdAt: ts("created_at").notNull(),
    /** Who confirmed or refused, and when: the court's staff member (for a code, the one who issued it). */
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: ts("decided_at"),
    revokedBy: uuid("revoked_by").references(() => users.id),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    index("party_links_user_idx").on(t.userId),
    index("party_links_party_idx").on(t.partyId),
    // One live (pending or confirmed) link per account and party; refused and revoked ones stay as history.
    uniqueIndex("party_links_live_unique").on(t.partyId, t.userId).where(sql`status in ('pending','confirmed')`),
    check("party_links_status_check", sql`${t.status} in ('pending','confirmed','refused','revoked')`),
    check("party_links_source_check", sql`${t.source} in ('code','claim')`),
  ],
);

/** One-time link codes the court hands to a party: only the SHA-256 is kept; valid 7 days, used once. */
export const partyLinkCodes = pgTable(
  "party_link_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partyId: uuid("party_id").notNull().references(() => caseParties.id),
    codeHash: text("code_hash").notNull().unique(),
    issuedBy: uuid("issued_by").notNull().references(() => users.id),
    issuedAt: ts("issued_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    usedBy: uuid("used_by").references(() => users.id),
    /** Set when a newer code is issued for the party: only the latest one works. */
    voidedAt: ts("voided_at"),
  },
  (t) => [index("party_link_codes_party_idx").on(t.partyId)],
);

/** A seized thing or right, with what A2 says must be established before pricing. */
export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull().references(() => cases.id),
    category: text("category", { enum: ASSET_CATEGORIES }).notNull(),
    regionCode: text("region_code").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    encumbrances: text("encumbrances").notNull(),
    occupancy: text("occupancy").notNull(),
    lease: text("lease").notNull(),
    taxes: text("taxes").notNull(),
    knownDefects: text("known_defects").notNull(),
    seizedAt: ts("seized_at").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("assets_case_idx").on(t.caseId)],
);

export const PRICE_METHODS = ["negotiation", "directed_inquiry", "online_inquiry", "appraisal"] as const;
export type PriceMethod = (typeof PRICE_METHODS)[number];

/** A reference price fixed for an asset (A2–A4, A10, A23). Lots read only "the asset's valid reference price". */
export const referencePrices = pgTable(
  "reference_prices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    assetId: uuid("asset_id").notNull().references(() => assets.id),
    method: text("method", { enum: PRICE_METHODS }).notNull(),
    amountFen: fen("amount_fen").notNull(),
    documentTitle: text("document_title").notNull(),
    /** The agency whose appraisal this is; its staff may not bid for the asset (C7). */
    agencyId: uuid("agency_id").references(() => agencies.id),
    validFrom: ts("valid_from").notNull(),
    validUntil: ts("valid_until").notNull(),
    fixedBy: uuid("fixed_by").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("reference_prices_asset_idx").on(t.assetId), check("reference_prices_amount_check", sql`${t.amountFen} > 0`)],
);

/** 一拍, 二拍, 变卖 (F6, F8): the round a lot is, which decides what follows its failure. */
export const LOT_ROUNDS = ["first", "second", "sale_off"] as const;
export type LotRound = (typeof LOT_ROUNDS)[number];
/**
 * Stored states; "announced" vs "bidding" vs "ended" follow from the clock (see auction/lot-phase.ts). A lot held by
 * the court (暂缓 suspended, 中止 stayed) takes no bids and its countdown stands still (P15, ADR 022).
 */
export const LOT_STATUSES = ["draft", "published", "suspended", "stayed", "sold", "failed", "withdrawn", "defaulted", "revoked"] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const lots = pgTable(
  "lots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    assetId: uuid("asset_id").notNull().references(() => assets.id),
    courtId: uuid("court_id").notNull().references(() => courts.id),
    round: text("round", { enum: LOT_ROUNDS }).notNull(),
    /** The earlier lot of the same asset whose end made this one: a failure (F6, F8), a default (C8), a revocation. */
    previousLotId: uuid("previous_lot_id").references((): AnyPgColumn => lots.id),
    status: text("status", { enum: LOT_STATUSES }).notNull(),
    ruleset: text("ruleset").notNull(),
    title: text("title").notNull(),
    referencePriceId: uuid("reference_price_id").notNull().references(() => referencePrices.id),
    /** The reference price's amount, kept with its id: what the starting price is compared with (B8, search). */
    referencePriceFen: fen("reference_price_fen").notNull(),
    startingPriceFen: fen("starting_price_fen").notNull(),
    /** The starting price as a share of the reference price, in basis points rounded up (7000 = 7折 or less). */
    startingRatioBp: integer("starting_ratio_bp").generatedAlwaysAs(sql`((starting_price_fen * 10000 + reference_price_fen - 1) / reference_price_fen)::integer`),
    /** The court says a buyer may finance the price with a bank loan (可贷款). */
    loanAvailable: boolean("loan_available").notNull().default(false),
    depositFen: fen("deposit_fen").notNull(),
    incrementFen: fen("increment_fen").notNull(),
    announceAt: ts("announce_at").notNull(),
    biddingStartsAt: ts("bidding_starts_at").notNull(),
    /** The scheduled end; `closesAt` moves with late bids (D3). */
    biddingEndsAt: ts("bidding_ends_at").notNull(),
    closesAt: ts("closes_at").notNull(),
    partiesNotifiedAt: ts("parties_notified_at"),
    panelDecision: text("panel_decision").notNull(),
    /** Whether the debtor may bid: the court's setting, copied when the lot is set up (C9, P1). */
    debtorMayBid: boolean("debtor_may_bid").notNull(),
    balanceDueDays: integer("balance_due_days").notNull(),
    currentPriceFen: fen("current_price_fen"),
    leadingBidId: uuid("leading_bid_id"),
    bidCount: integer("bid_count").notNull().default(0),
    /** Increases with every change a watcher sees; clients detect gaps with it. */
    seq: bigint("seq", { mode: "number" }).notNull().default(0),
    publishedAt: ts("published_at"),
    closedAt: ts("closed_at"),
    winnerRegistrationId: uuid("winner_registration_id"),
    /** While suspended or stayed: the phase it was held in, and since when (P15: the time left is closesAt − heldAt). */
    heldFrom: text("held_from", { enum: ["announced", "bidding"] }),
    heldAt: ts("held_at"),
    /** The hold outlasted HOLD_KEEPS_DEPOSITS_MS and its deposits were released (P2): it can no longer resume. */
    holdDepositsReleasedAt: ts("hold_deposits_released_at"),
    createdBy: uuid("created_by").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("lots_status_closes_idx").on(t.status, t.closesAt),
    // The public search's orders (auction/search.ts): lots still to close, those closed, newest, price, discount.
    // Each ends with the id: it breaks ties (stable pages), and joins and counts read the index alone.
    index("lots_open_closes_idx").on(t.closesAt, t.id).where(sql`status in ('published','suspended','stayed')`),
    index("lots_done_closes_idx").on(t.closesAt, t.id).where(sql`status in ('sold','failed','withdrawn','defaulted','revoked')`),
    index("lots_published_idx").on(t.publishedAt, t.id).where(sql`status <> 'draft'`),
    // (Its expression has statistics of its own, `lots_price_stats`, made by migration 0034: drizzle has no word for them.)
    index("lots_price_idx").on(sql`coalesce(${t.currentPriceFen}, ${t.startingPriceFen})`, t.id).where(sql`status <> 'draft'`),
    index("lots_ratio_idx").on(t.startingRatioBp, t.id).where(sql`status <> 'draft'`),
    // Open lots by their price now: a price range is tested against this for the lots still open (a seventh), whose
    // price the search row does not keep. It holds the two prices too, so that the index alone answers: PostgreSQL
    // reads an expression's columns from the table otherwise (a wide range: 15 ms, against 1.7 ms from the index).
    index("lots_open_price_idx").on(sql`coalesce(${t.currentPriceFen}, ${t.startingPriceFen})`, t.id, t.currentPriceFen, t.startingPriceFen).where(sql`status in ('published','suspended','stayed')`),
    index("lots_court_idx").on(t.courtId),
    // An asset's rounds, read on every load of a lot's page (lotRounds).
    index("lots_asset_idx").on(t.assetId),
    check("lots_status_check", sql`${t.status} in ('draft','published','suspended','stayed','sold','failed','withdrawn','defaulted','revoked')`),
    check("lots_round_check", sql`${t.round} in ('first','second','sale_off')`),
    // One next lot per lot: a failure, default or revocation drafts the asset's next round once.
    uniqueIndex("lots_previous_unique").on(t.previousLotId),
    check("lots_hold_check", sql`(${t.status} in ('suspended','stayed')) = (${t.heldFrom} is not null and ${t.heldAt} is not null)`),
    check("lots_amounts_check", sql`${t.startingPriceFen} > 0 and ${t.depositFen} > 0 and ${t.incrementFen} > 0`),
    // Every bid is at least the starting price (D1); the search's price order counts on it (auction/search.ts).
    check("lots_price_from_start_check", sql`${t.currentPriceFen} is null or ${t.currentPriceFen} >= ${t.startingPriceFen}`),
  ],
);

/**
 * What the public search reads of a lot besides the lot row (auction/search.ts, ADR 024): the asset's category and
 * place, the lot's fixed facts, and the searchable text with its character grams. Written when the lot is published
 * (a lot has a row exactly when it is not a draft); only its status, start, close and final keys change after.
 */
export const lotSearch = pgTable(
  "lot_search",
  {
    lotId: uuid("lot_id")
      .primaryKey()
      .references(() => lots.id),
    category: text("category", { enum: ASSET_CATEGORIES }).notNull(),
    regionCode: text("region_code").notNull(),
    /** The lot's court, round and 可贷款: fixed before publication, kept here so that filters on them count alone. */
    courtId: uuid("court_id")
      .notNull()
      .references(() => courts.id),
    round: text("round", { enum: LOT_ROUNDS }).notNull(),
    loanAvailable: boolean("loan_available").notNull(),
    /**
     * The starting price, fixed at publication: a lot's price is never below it, so the lots cheapest now are among
     * those that started cheap (auction/search.ts `boundedPage`).
     */
    startingPriceFen: fen("starting_price_fen").notNull(),
    /** When it was published, and its starting price over the reference price: both fixed then (the search's orders). */
    publishedAt: ts("published_at").notNull(),
    startingRatioBp: integer("starting_ratio_bp").notNull(),
    /**
     * The lot's status, and its close and price once it has left bidding (sold, failed, withdrawn, defaulted,
     * revoked), null while it may still be bid on: they no longer change, so deep pages in the closing and price
     * orders are read through them, and a search by a stored status is decided by the search row alone. Taken from
     * the lot whenever the row is written and whenever the lot's status changes, whatever the path, by the triggers
     * `lot_search_final` and `lots_search_final` (migration 0036): what a caller writes there is overwritten.
     */
    status: text("status", { enum: LOT_STATUSES }).notNull(),
    /**
     * The start of bidding, which moves only when a held lot resumes, never with a bid: with the status it decides
     * "announced" on the search row, and narrows "in bidding" and "ended" to the lots whose bidding has started.
     * Kept from the lot by the same triggers (migration 0037).
     */
    biddingStartsAt: ts("bidding_starts_at").notNull(),
    /**
     * While the lot may still be bid on, its close as last set: late bids move a close only later, so the close now
     * is never before it, and deep pages of the lots still open in the closing order are read through it. A close
     * set earlier (a sale-off's first bid opens a 24-hour round), a new start or a new status write it again; null
     * once the lot has left bidding. Kept from the lot by the same triggers (migration 0038).
     */
    closesFrom: ts("closes_from"),
    finalClosesAt: ts("final_closes_at"),
    finalPriceFen: fen("final_price_fen"),
    /** Title, place name and the start of the description, normalised (auction/search-text.ts). */
    document: text("document").notNull(),
    /** The hashes of its character grams (auction/search-text.ts `searchGramHashes`). */
    gramHashes: integer("gram_hashes").array().notNull(),
  },
  (t) => [
    index("lot_search_gram_hashes_idx").using("gin", t.gramHashes),
    index("lot_search_region_idx").on(t.regionCode.op("text_pattern_ops")),
    index("lot_search_category_idx").on(t.category),
    index("lot_search_court_idx").on(t.courtId),
    // Round and 可贷款 too, so that a deep page of either ANDs their index with its order key's (auction/search.ts).
    index("lot_search_round_idx").on(t.round),
    index("lot_search_loan_idx").on(t.lotId).where(sql`loan_available`),
    index("lot_search_starting_price_idx").on(t.startingPriceFen),
    index("lot_search_published_idx").on(t.publishedAt),
    index("lot_search_ratio_idx").on(t.startingRatioBp),
    // A search by status reads an order's keys among the lots of that status (auction/search.ts `keptOrder`).
    index("lot_search_status_published_idx").on(t.status, t.publishedAt),
    index("lot_search_status_start_price_idx").on(t.status, t.startingPriceFen),
    index("lot_search_status_ratio_idx").on(t.status, t.startingRatioBp),
    index("lot_search_status_final_price_idx").on(t.status, t.finalPriceFen),
    index("lot_search_status_final_closes_idx").on(t.status, t.finalClosesAt),
    index("lot_search_published_starts_idx").on(t.biddingStartsAt).where(sql`status = 'published'`),
    // Partial: the m-th open lot's close is read past the last one too, through the open lots alone.
    index("lot_search_closes_from_idx").on(t.closesFrom).where(sql`closes_from is not null`),
    index("lot_search_status_closes_from_idx").on(t.status, t.closesFrom).where(sql`closes_from is not null`),
    index("lot_search_final_closes_idx").on(t.finalClosesAt),
    index("lot_search_final_price_idx").on(t.finalPriceFen),
  ],
);

/** G5: the grounds on which a lot is withdrawn (撤回) before its bidding starts. */
export const WITHDRAWAL_GROUNDS = ["judgment_set_aside", "application_withdrawn", "debt_paid", "parties_settled", "third_party_objection", "auction_house_collusion"] as const;
export type WithdrawalGround = (typeof WITHDRAWAL_GROUNDS)[number];

/** G7 (and I5, collusion): the grounds on which a sale is revoked (撤销) after the close. */
export const REVOCATION_GROUNDS = ["false_disclosure", "system_fault", "collusion", "buyer_unqualified", "unequal_treatment", "procedural_breach", "announcement_defect"] as const;
export type RevocationGround = (typeof REVOCATION_GROUNDS)[number];

export const INTERVENTION_KINDS = ["suspend", "stay", "resume", "hold_expired", "relist", "withdraw", "revoke"] as const;
export type InterventionKind = (typeof INTERVENTION_KINDS)[number];

/**
 * The court's interventions on a lot, public with their reasons (G3): a suspension or stay and who made it (the court,
 * or the platform for a system fault, G2), a resumption and the close it set (P15), a hold that lasted its day (P2).
 */
export const lotInterventions = pgTable(
  "lot_interventions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    kind: text("kind", { enum: INTERVENTION_KINDS }).notNull(),
    by: text("by", { enum: ["court", "platform", "clock"] }).notNull(),
    reason: text("reason").notNull(),
    /** A withdrawal's ground (G5), or a revocation's (G7). */
    ground: text("ground", { enum: [...WITHDRAWAL_GROUNDS, ...REVOCATION_GROUNDS] }),
    actorId: uuid("actor_id").references(() => users.id),
    /** After a resumption: the lot's new close. */
    closesAt: ts("closes_at"),
    at: ts("at").notNull(),
  },
  (t) => [
    index("lot_interventions_lot_idx").on(t.lotId, t.at),
    check("lot_interventions_kind_check", sql`${t.kind} in ('suspend','stay','resume','hold_expired','relist','withdraw','revoke')`),
    check("lot_interventions_by_check", sql`${t.by} in ('court','platform','clock')`),
  ],
);

/**
 * After full payment (E7): the sale ruling (成交裁定), due within 10 days, and the handover, due within 15 days of the
 * ruling's service. The row is made when the price is paid in full; a lot's sold progress reads it (ADR 022).
 */
export const saleRulings = pgTable("sale_rulings", {
  lotId: uuid("lot_id")
    .primaryKey()
    .references(() => lots.id),
  paidAt: ts("paid_at").notNull(),
  /** E7: 24:00 of the 10th day after full payment. */
  dueAt: ts("due_at").notNull(),
  documentNumber: text("document_number"),
  servedAt: ts("served_at"),
  servedBy: uuid("served_by").references(() => users.id),
  /** E7: 24:00 of the 15th day after service. */
  handoverDueAt: ts("handover_due_at"),
  handedOverAt: ts("handed_over_at"),
  handedOverBy: uuid("handed_over_by").references(() => users.id),
  handoverNote: text("handover_note"),
});

/**
 * 以物抵债 (F7, F12, P8): after a failed auction the court gives the asset to an applicant creditor at that auction's
 * reserve (its starting price) instead of selling it on. One per asset; the asset's later drafts are no longer
 * published. What the price exceeds the claim by is paid in by the creditor.
 */
export const creditorTakeovers = pgTable("creditor_takeovers", {
  assetId: uuid("asset_id")
    .primaryKey()
    .references(() => assets.id),
  lotId: uuid("lot_id")
    .notNull()
    .references(() => lots.id),
  partyId: uuid("party_id")
    .notNull()
    .references(() => caseParties.id),
  priceFen: fen("price_fen").notNull(),
  claimFen: fen("claim_fen"),
  /** F7: the price above the creditor's claim, to be paid in. */
  excessFen: fen("excess_fen").notNull(),
  recordedBy: uuid("recorded_by")
    .notNull()
    .references(() => users.id),
  recordedAt: ts("recorded_at").notNull(),
});

/** Each published text of an announcement; editing after publication adds a version (B7–B9). */
export const lotAnnouncements = pgTable(
  "lot_announcements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    version: integer("version").notNull(),
    /** Disclosures of B8 and the special warnings of B9, by key. */
    content: jsonb("content").notNull(),
    reason: text("reason"),
    createdBy: uuid("created_by").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [unique("lot_announcements_version_unique").on(t.lotId, t.version)],
);

/** Priority purchasers (优先购买权人) confirmed by the court's panel, with their rank (B8, B11, E1). */
/** Why a holder may buy first (P16: the public sees this kind, not the name, until the close). */
export const PRIORITY_HOLDER_KINDS = ["co_owner", "tenant", "shareholder", "partner", "collective_member", "other"] as const;
export type PriorityHolderKind = (typeof PRIORITY_HOLDER_KINDS)[number];

export const lotPriorityHolders = pgTable(
  "lot_priority_holders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    name: text("name").notNull(),
    identityNumber: text("identity_number").notNull(),
    rank: integer("rank").notNull(),
    kind: text("kind", { enum: PRIORITY_HOLDER_KINDS }).notNull(),
    basis: text("basis").notNull(),
    /** E4: notified, the holder did not take part in the auction: recorded at the close as having waived. */
    waivedAt: ts("waived_at"),
  },
  (t) => [unique("lot_priority_holders_unique").on(t.lotId, t.identityNumber), check("lot_priority_holders_rank_check", sql`${t.rank} >= 1`)],
);

export const REGISTRATION_STATUSES = ["awaiting_court", "awaiting_deposit", "active", "refused"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/**
 * A bidder's registration for one lot. This table links a real person to a bidder code: it is
 * read only through auction/sealed-reads.ts, which hides it until the lot closes (I1, P4).
 */
export const registrations = pgTable(
  "registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    /** Per-lot pseudonym, random, issued when the deposit is confirmed (C4). */
    bidderCode: text("bidder_code"),
    /** Priority holders (E1): rank 1 is highest; null for ordinary bidders. */
    priorityRank: integer("priority_rank"),
    priorityProof: text("priority_proof"),
    depositDueFen: fen("deposit_due_fen").notNull(),
    depositReference: text("deposit_reference"),
    depositPaidAt: ts("deposit_paid_at"),
    proxyName: text("proxy_name"),
    housingEligibilityDeclared: boolean("housing_eligibility_declared").notNull().default(false),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    unique("registrations_lot_user_unique").on(t.lotId, t.userId),
    unique("registrations_lot_code_unique").on(t.lotId, t.bidderCode),
    check("registrations_status_check", sql`${t.status} in ('awaiting_court','awaiting_deposit','active','refused')`),
  ],
);

/**
 * A winner who did not pay (悔拍, F4). The defaulter is barred from the same asset's later lots by the identity number
 * or credit code they bid under, whatever account they use next (C8).
 */
export const lotDefaults = pgTable("lot_defaults", {
  lotId: uuid("lot_id")
    .primaryKey()
    .references(() => lots.id),
  assetId: uuid("asset_id")
    .notNull()
    .references(() => assets.id),
  registrationId: uuid("registration_id")
    .notNull()
    .references(() => registrations.id),
  identityNumber: text("identity_number").notNull(),
  defaultedAt: ts("defaulted_at").notNull(),
});

/** Accepted bids only. A refused bid writes nothing. */
export const bids = pgTable(
  "bids",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    registrationId: uuid("registration_id").notNull().references(() => registrations.id),
    bidderCode: text("bidder_code").notNull(),
    amountFen: fen("amount_fen").notNull(),
    priorityRank: integer("priority_rank"),
    /** The instant the bid's transaction took the lot: the bid time of D4/P10. */
    placedAt: ts("placed_at").notNull(),
    clientBidId: text("client_bid_id").notNull(),
    /** The lot's `seq` after this bid. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The close instant after this bid, and whether the bid moved it (D3): a retry is answered with both. */
    closesAt: ts("closes_at").notNull(),
    extended: boolean("extended").notNull(),
  },
  (t) => [
    // A retried clientBidId finds the first answer instead of making a second bid.
    unique("bids_client_bid_unique").on(t.registrationId, t.clientBidId),
    index("bids_lot_seq_idx").on(t.lotId, t.seq),
  ],
);

export const LOT_FILE_KINDS = ["photo", "document", "video"] as const;
export type LotFileKind = (typeof LOT_FILE_KINDS)[number];

/** Photos and videos of the asset and documents of the announcement (B8), kept in the database with their SHA-256. */
export const lotFiles = pgTable(
  "lot_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id").notNull().references(() => lots.id),
    kind: text("kind", { enum: LOT_FILE_KINDS }).notNull(),
    title: text("title").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    uploadedBy: uuid("uploaded_by").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("lot_files_lot_idx").on(t.lotId), check("lot_files_kind_check", sql`${t.kind} in ('photo','document','video')`)],
);

/**
 * 设置提醒: a signed-in user follows a lot to be reminded before its bidding starts and before it ends. Following is
 * not registering: it says nothing about who registered (P4), and nobody but the follower reads it.
 */
export const lotFollows = pgTable(
  "lot_follows",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("lot_follows_user_lot_idx").on(t.userId, t.lotId), index("lot_follows_lot_idx").on(t.lotId)],
);

/**
 * 预约看样: a time and place where the court shows the asset (B9: it is sold as it stands, and may be viewed on
 * request), with how many people may come. Set by the court's staff before bidding ends, and called off by them if
 * need be.
 */
export const lotViewingSlots = pgTable(
  "lot_viewing_slots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    place: text("place").notNull(),
    capacity: integer("capacity").notNull(),
    /** The court called the viewing off: its bookings are cancelled with it, and their holders told. */
    cancelledAt: ts("cancelled_at"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("lot_viewing_slots_lot_idx").on(t.lotId, t.startsAt),
    check("lot_viewing_slots_capacity_check", sql`${t.capacity} between 1 and 200`),
    check("lot_viewing_slots_times_check", sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * A signed-in person's booking of a viewing slot: one live booking per person and lot (the partial unique index).
 * Who booked is the court's to know (it lets them in), never the public's: the public sees free places only (P4).
 * A cancelled booking stays, with when it was cancelled, and frees its place.
 */
export const lotViewingBookings = pgTable(
  "lot_viewing_bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slotId: uuid("slot_id")
      .notNull()
      .references(() => lotViewingSlots.id),
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull(),
    cancelledAt: ts("cancelled_at"),
  },
  (t) => [
    uniqueIndex("lot_viewing_bookings_one_per_lot_idx").on(t.lotId, t.userId).where(sql`cancelled_at is null`),
    index("lot_viewing_bookings_slot_idx").on(t.slotId),
  ],
);
