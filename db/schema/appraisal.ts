import { sql } from "drizzle-orm";
import { bigint, boolean, check, customType, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { agencies, inquiryPlatforms, users } from "./identity.ts";
import { assets, caseParties, cases, referencePrices, ASSET_CATEGORIES } from "./auction.ts";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });
const fen = (name: string) => bigint(name, { mode: "bigint" });

// ---------------------------------------------------------------------------------------------
// The pools: appraisal agencies (A12) and online-inquiry platforms (A6).
// ---------------------------------------------------------------------------------------------

/** A12: the specialty sub-libraries (分库) of the appraisal-institution list. */
export const SPECIALTIES = ["real_estate", "land", "vehicles", "machinery", "equity", "intellectual_property", "other"] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const LISTING_STATUSES = ["active", "suspended", "removed"] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * An agency's place on the list: one row per agency. Removal bars re-entry until `barredUntil` (A12: 5 years).
 * Suspended and removed agencies are never drawn.
 */
export const poolAgencies = pgTable(
  "pool_agencies",
  {
    agencyId: uuid("agency_id").primaryKey().references(() => agencies.id),
    status: text("status", { enum: LISTING_STATUSES }).notNull(),
    statusReason: text("status_reason"),
    statusChangedAt: ts("status_changed_at").notNull(),
    barredUntil: ts("barred_until"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [check("pool_agencies_status_check", sql`${t.status} in ('active','suspended','removed')`)],
);

/**
 * The sub-lists an agency is on: a specialty, and a province ("110000") or city ("110100") code (A12, A13).
 */
export const agencySublists = pgTable(
  "agency_sublists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agencyId: uuid("agency_id").notNull().references(() => agencies.id),
    specialty: text("specialty", { enum: SPECIALTIES }).notNull(),
    regionCode: text("region_code").notNull(),
  },
  (t) => [unique("agency_sublists_unique").on(t.agencyId, t.specialty, t.regionCode), index("agency_sublists_lookup_idx").on(t.specialty, t.regionCode)],
);

/** A relationship an agency declared with a person or organisation (by ID number or credit code): it is never drawn for their cases. */
export const agencyConflicts = pgTable(
  "agency_conflicts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    agencyId: uuid("agency_id").notNull().references(() => agencies.id),
    identityNumber: text("identity_number").notNull(),
    relationship: text("relationship").notNull(),
    declaredBy: uuid("declared_by").notNull().references(() => users.id),
    declaredAt: ts("declared_at").notNull(),
  },
  (t) => [unique("agency_conflicts_unique").on(t.agencyId, t.identityNumber), index("agency_conflicts_identity_idx").on(t.identityNumber)],
);

export const PLATFORM_STATUSES = ["active", "struck_off"] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];

/** An online-inquiry platform's place on the SPC list (A6): the asset categories it prices, and its standing. */
export const platformListings = pgTable(
  "platform_listings",
  {
    platformId: uuid("platform_id").primaryKey().references(() => inquiryPlatforms.id),
    categories: text("categories", { enum: ASSET_CATEGORIES }).array().notNull(),
    status: text("status", { enum: PLATFORM_STATUSES }).notNull(),
    statusChangedAt: ts("status_changed_at").notNull(),
    barredUntil: ts("barred_until"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [check("platform_listings_status_check", sql`${t.status} in ('active','struck_off')`)],
);

// ---------------------------------------------------------------------------------------------
// Procedures: one way of fixing an asset's reference price (A2–A5, A11), and its steps.
// ---------------------------------------------------------------------------------------------

export const PROCEDURE_METHODS = ["negotiation", "directed_inquiry", "online_inquiry", "appraisal"] as const;
export type ProcedureMethod = (typeof PROCEDURE_METHODS)[number];

/** open → priced (a reference price was fixed) | failed (the method did not give a price) | suspended ⇄ open | withdrawn (A24). */
export const PROCEDURE_STATUSES = ["open", "priced", "failed", "suspended", "withdrawn"] as const;
export type ProcedureStatus = (typeof PROCEDURE_STATUSES)[number];

/** A11: why appraisal is used — the law requires it, both parties ask for it, or online inquiry failed. */
export const APPRAISAL_BASES = ["law_requires", "both_parties_ask", "online_inquiry_failed"] as const;
export type AppraisalBasis = (typeof APPRAISAL_BASES)[number];
/** A5 (RP 7): online inquiry follows a failed directed inquiry, or both parties chose it directly. */
export const ONLINE_INQUIRY_GROUNDS = ["directed_inquiry_failed", "parties_jointly_chose"] as const;
/** The ground a procedure was started on: an appraisal's (A11) or an online inquiry's (A5). */
export const PROCEDURE_GROUNDS = [...APPRAISAL_BASES, ...ONLINE_INQUIRY_GROUNDS] as const;

export const priceProcedures = pgTable(
  "price_procedures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    assetId: uuid("asset_id").notNull().references(() => assets.id),
    caseId: uuid("case_id").notNull().references(() => cases.id),
    method: text("method", { enum: PROCEDURE_METHODS }).notNull(),
    status: text("status", { enum: PROCEDURE_STATUSES }).notNull(),
    /** Why this method applies (A3–A5, A11), in the court's words. */
    basis: text("basis").notNull(),
    /** Which ground applies: an appraisal's (A11) or an online inquiry's (A5); null for the other methods. */
    basisKind: text("basis_kind", { enum: PROCEDURE_GROUNDS }),
    /** A1: the asset's procedure was due to start by this instant (30 days after seizure). */
    startDueAt: ts("start_due_at"),
    /** A1: the asset's first procedure started after `startDueAt` (allowed, but shown to the court). */
    lateStart: boolean("late_start").notNull().default(false),
    /** A24: while suspended, since when; the total suspended time so far (deadlines were moved by it). */
    suspendedAt: ts("suspended_at"),
    suspendedMs: bigint("suspended_ms", { mode: "number" }).notNull().default(0),
    /** The current step's deadline, if any: the negotiation or directed-inquiry deadline, or the platforms' report deadline. */
    dueAt: ts("due_at"),
    /** For appraisal: how the three agencies were chosen (A13). */
    selection: text("selection", { enum: ["agreed", "drawn"] }),
    referencePriceId: uuid("reference_price_id").references(() => referencePrices.id),
    startedBy: uuid("started_by").notNull().references(() => users.id),
    startedAt: ts("started_at").notNull(),
    endedAt: ts("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [
    index("price_procedures_asset_idx").on(t.assetId),
    // The procedure that fixed a price: a lot's public pricing basis looks it up on every load of the lot's page.
    index("price_procedures_reference_price_idx").on(t.referencePriceId),
    index("price_procedures_status_due_idx").on(t.status, t.dueAt),
    // One running (open or suspended) procedure per asset at a time.
    uniqueIndex("price_procedures_one_running_idx").on(t.assetId).where(sql`status in ('open','suspended')`),
  ],
);

/** A3: a party's figure in a negotiation; matching figures of both sides become the reference price. */
export const negotiationFigures = pgTable(
  "negotiation_figures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    partyId: uuid("party_id").notNull().references(() => caseParties.id),
    amountFen: fen("amount_fen").notNull(),
    submittedBy: uuid("submitted_by").notNull().references(() => users.id),
    submittedAt: ts("submitted_at").notNull(),
  },
  (t) => [unique("negotiation_figures_unique").on(t.procedureId, t.partyId), check("negotiation_figures_amount_check", sql`${t.amountFen} > 0`)],
);

/**
 * A4: a directed inquiry to the body holding a tax base or government price, and its answer; A7–A9: one
 * platform's part in an online inquiry. One row per addressee.
 */
export const inquiryRequests = pgTable(
  "inquiry_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    /** Set for an online inquiry; null for a directed inquiry, whose addressee is named. */
    platformId: uuid("platform_id").references(() => inquiryPlatforms.id),
    addressee: text("addressee").notNull(),
    sentAt: ts("sent_at").notNull(),
    dueAt: ts("due_at").notNull(),
    /** A8: the platform asked for the one extension before its report was due. */
    extensionRequestedAt: ts("extension_requested_at"),
    extended: boolean("extended").notNull().default(false),
    /** The report was not in by the (possibly extended) deadline: counts toward A6's five. */
    late: boolean("late").notNull().default(false),
    /** A6: the deadline that was missed; the 12-month window counts from these instants. */
    lateAt: ts("late_at"),
    /** A9: the court found an error of facts or scope in the platform's current report. */
    errorNote: text("error_note"),
    errorMarkedAt: ts("error_marked_at"),
    errorMarkedBy: uuid("error_marked_by").references(() => users.id),
    /** A9: a correction was asked (every report had such an error) and is due by this instant. */
    correctionDueAt: ts("correction_due_at"),
    correctedAt: ts("corrected_at"),
  },
  (t) => [unique("inquiry_requests_platform_unique").on(t.procedureId, t.platformId), index("inquiry_requests_procedure_idx").on(t.procedureId)],
);

// ---------------------------------------------------------------------------------------------
// The draw (A13, P6) and the ranking of three agencies.
// ---------------------------------------------------------------------------------------------

/**
 * Commit–reveal draw. Before the draw: the canonical eligible list, its SHA-256 and the SHA-256 of the
 * secret seed are public. Parties add entropy until `entropyCutoffAt`. Then the ranked result is computed
 * from (seed, entropy, list) and the seed is revealed. The seed is never shown before `drawnAt`.
 */
export const agencyDraws = pgTable(
  "agency_draws",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    algorithm: text("algorithm").notNull(),
    specialty: text("specialty", { enum: SPECIALTIES }).notNull(),
    /** The sub-list drawn from: a city or province code, or null for the whole specialty sub-library (A13). */
    regionCode: text("region_code"),
    /** The canonical eligible list, in canonical order: [{ agencyId, name, creditCode }]. */
    eligible: jsonb("eligible").notNull(),
    eligibleSha256: text("eligible_sha256").notNull(),
    seedSha256: text("seed_sha256").notNull(),
    /**
     * Hex, written at the reveal (P6). Draws opened before seeds were derived from a key stored it at the
     * opening (and have no key id); it stays secret until the draw either way.
     */
    seed: text("seed"),
    /** The id of the seed key the seed is derived under (appraisal/draw-seed.ts); the key is not in the database. */
    seedKeyId: text("seed_key_id"),
    /** The draw runs at the cut-off; suspensions of the procedure move both (A24). */
    entropyCutoffAt: ts("entropy_cutoff_at").notNull(),
    /** A24: how far suspensions moved the cut-off; the cut-off first announced is `entropyCutoffAt` minus this. */
    entropyCutoffMovedMs: bigint("entropy_cutoff_moved_ms", { mode: "number" }).notNull().default(0),
    /** Ranked agency ids after the draw. */
    result: jsonb("result"),
    drawnAt: ts("drawn_at"),
    createdBy: uuid("created_by").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    unique("agency_draws_procedure_unique").on(t.procedureId),
    // A seed comes from a key or was stored at the opening, and a draw that ran has revealed it.
    check("agency_draws_seed_check", sql`(${t.seed} is not null or ${t.seedKeyId} is not null) and (${t.drawnAt} is null or ${t.seed} is not null)`),
  ],
);

/** A party's contribution to a draw's randomness, before the cut-off. */
export const drawEntropy = pgTable(
  "draw_entropy",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    drawId: uuid("draw_id").notNull().references(() => agencyDraws.id),
    partyId: uuid("party_id").notNull().references(() => caseParties.id),
    value: text("value").notNull(),
    submittedBy: uuid("submitted_by").notNull().references(() => users.id),
    submittedAt: ts("submitted_at").notNull(),
  },
  (t) => [unique("draw_entropy_party_unique").on(t.drawId, t.partyId)],
);

/** The three agencies of an appraisal in their order, agreed by the parties or drawn (A13). */
export const agencyRankings = pgTable(
  "agency_rankings",
  {
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    rank: integer("rank").notNull(),
    agencyId: uuid("agency_id").notNull().references(() => agencies.id),
  },
  (t) => [unique("agency_rankings_rank_unique").on(t.procedureId, t.rank), unique("agency_rankings_agency_unique").on(t.procedureId, t.agencyId)],
);

// ---------------------------------------------------------------------------------------------
// Appraisal commissions, reports and objections (A14–A23).
// ---------------------------------------------------------------------------------------------

/** offered → accepted → reported; offered → declined; accepted → overdue (A16); any → withdrawn (A24). */
export const COMMISSION_STATUSES = ["offered", "accepted", "declined", "overdue", "reported", "withdrawn"] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

export const commissions = pgTable(
  "commissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    agencyId: uuid("agency_id").notNull().references(() => agencies.id),
    rank: integer("rank").notNull(),
    status: text("status", { enum: COMMISSION_STATUSES }).notNull(),
    offeredAt: ts("offered_at").notNull(),
    respondedAt: ts("responded_at"),
    /** Platform policy (the law sets no period): an offer not answered by this instant counts as declined. */
    offerExpiresAt: ts("offer_expires_at"),
    declineReason: text("decline_reason"),
    /** A15: the report deadline, moved by approved extensions. */
    reportDueAt: ts("report_due_at"),
    extensionsUsed: integer("extensions_used").notNull().default(0),
    /** A16: after a missed deadline, the materials are due back by this instant. */
    materialsDueAt: ts("materials_due_at"),
    materialsReturnedAt: ts("materials_returned_at"),
  },
  (t) => [unique("commissions_rank_unique").on(t.procedureId, t.rank), index("commissions_status_due_idx").on(t.status, t.reportDueAt)],
);

export const commissionExtensions = pgTable("commission_extensions", {
  id: uuid("id").primaryKey().defaultRandom(),
  commissionId: uuid("commission_id").notNull().references(() => commissions.id),
  days: integer("days").notNull(),
  reason: text("reason").notNull(),
  requestedBy: uuid("requested_by").notNull().references(() => users.id),
  requestedAt: ts("requested_at").notNull(),
  previousDueAt: ts("previous_due_at").notNull(),
  newDueAt: ts("new_due_at").notNull(),
});

/**
 * A valuation report: an appraisal agency's (A14) or an inquiry platform's (A7). PDF only, with its SHA-256.
 * Exactly one of commissionId / inquiryRequestId is set.
 */
export const valuationReports = pgTable(
  "valuation_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    procedureId: uuid("procedure_id").notNull().references(() => priceProcedures.id),
    commissionId: uuid("commission_id").references(() => commissions.id),
    inquiryRequestId: uuid("inquiry_request_id").references(() => inquiryRequests.id),
    /** The valuation method the report states (A14), e.g. 市场法. */
    valuationMethod: text("valuation_method").notNull(),
    valueFen: fen("value_fen").notNull(),
    valuationDate: ts("valuation_date").notNull(),
    /** A14, A23: the report's validity, at most one year. */
    validUntil: ts("valid_until").notNull(),
    fileName: text("file_name").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    submittedBy: uuid("submitted_by").notNull().references(() => users.id),
    submittedAt: ts("submitted_at").notNull(),
    /** A19: due to the parties within 3 days; when it reached them. */
    deliveryDueAt: ts("delivery_due_at").notNull(),
    deliveredAt: ts("delivered_at"),
    /** A20, A21: objections are due by this instant (5 days after delivery; moved by suspensions, A24). */
    objectionDueAt: ts("objection_due_at"),
    /**
     * A19: the report could not be served and was posted on 中国执行信息公开网 at this instant; it is then
     * deemed served 15 days later, and `deliveredAt` holds that deemed instant (the effective delivery).
     */
    postedAt: ts("posted_at"),
    /** A9, A10: a report taken out of the mean (objection upheld, not corrected). */
    excluded: boolean("excluded").notNull().default(false),
    /** A18: the court marked a defect (facts, scope, or a signatory other than the one selected). */
    defectKind: text("defect_kind", { enum: ["facts", "scope", "signatory"] }),
    defectNote: text("defect_note"),
    defectMarkedAt: ts("defect_marked_at"),
    defectMarkedBy: uuid("defect_marked_by").references(() => users.id),
    /** A18: the agency explains or corrects by this instant (3 days). */
    defectDueAt: ts("defect_due_at"),
    /** A18: the agency's explanation; or, for a corrected report, only the instant (the new report replaces this one). */
    defectExplanation: text("defect_explanation"),
    defectAnsweredAt: ts("defect_answered_at"),
    /** A18: the sweep recorded that the deadline passed with no answer. */
    defectOverdueAt: ts("defect_overdue_at"),
    /** A18: when the judge gave the agency a new deadline after the first passed unanswered (once per defect). */
    defectExtendedAt: ts("defect_extended_at"),
  },
  (t) => [
    index("valuation_reports_procedure_idx").on(t.procedureId),
    check("valuation_reports_value_check", sql`${t.valueFen} > 0`),
    check("valuation_reports_source_check", sql`(${t.commissionId} is null) <> (${t.inquiryRequestId} is null)`),
  ],
);

export const OBJECTION_KINDS = ["procedural", "technical"] as const;
/** filed → forwarded → answered → upheld | rejected | technical_review (A20, A21). */
export const OBJECTION_STATUSES = ["filed", "forwarded", "answered", "upheld", "rejected", "technical_review"] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export const reportObjections = pgTable(
  "report_objections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reportId: uuid("report_id").notNull().references(() => valuationReports.id),
    partyId: uuid("party_id").notNull().references(() => caseParties.id),
    kind: text("kind", { enum: OBJECTION_KINDS }).notNull(),
    grounds: text("grounds").notNull(),
    status: text("status", { enum: OBJECTION_STATUSES }).notNull(),
    filedBy: uuid("filed_by").notNull().references(() => users.id),
    filedAt: ts("filed_at").notNull(),
    /** A21: technical objections are forwarded to the appraiser within 3 days; null for procedural ones. */
    forwardDueAt: ts("forward_due_at"),
    /** A20: the court decides a procedural objection within 15 days; null for technical ones. */
    decisionDueAt: ts("decision_due_at"),
    forwardedAt: ts("forwarded_at"),
    answerDueAt: ts("answer_due_at"),
    answer: text("answer"),
    answeredAt: ts("answered_at"),
    decision: text("decision"),
    decisionNote: text("decision_note"),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: ts("decided_at"),
    /** A20: the objecting party asked for review (复议) of the decision, within 10 days of it. */
    reviewGrounds: text("review_grounds"),
    reviewRequestedAt: ts("review_requested_at"),
    reviewRequestedBy: uuid("review_requested_by").references(() => users.id),
    /** A20: the review's outcome as the judge recorded it: the request upheld (the objection then holds) or rejected. */
    reviewOutcome: text("review_outcome", { enum: ["upheld", "rejected"] }),
    reviewNote: text("review_note"),
    reviewDecidedBy: uuid("review_decided_by").references(() => users.id),
    reviewDecidedAt: ts("review_decided_at"),
  },
  (t) => [index("report_objections_report_idx").on(t.reportId)],
);
