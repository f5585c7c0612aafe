// The appraisal context: the agency and platform pools, the verifiable draw, and the four ways of
// fixing an asset's reference price (RULEBOOK section A, P6, P7). Other layers import only this file.

// Pool and draw: parties, the agency pool, inquiry platforms, the verifiable draw (A6, A12, A13, P5, P6).
export { partyOf, partiesOf, partyRolesOf, type CaseParty } from "./parties.ts";
export {
  addAgency,
  setSublists,
  suspendAgency,
  reinstateAgency,
  removeAgency,
  listAgencies,
  getListedAgency,
  addAgencyMember,
  declareConflict,
  eligibleAgencies,
  agencySchema,
  sublistSchema,
  sublistsSchema,
  reasonSchema,
  staffUserSchema,
  conflictSchema,
  type AgencyInput,
  type SublistInput,
  type StaffUserInput,
  type ConflictInput,
  type AgencyFilters,
  type AgencySummary,
  type EligibilityQuery,
} from "./pool.ts";
export { addPlatform, addPlatformUser, setPlatformCategories, listPlatforms, eligiblePlatforms, platformSchema, type PlatformInput, type PlatformSummary } from "./platforms.ts";
export {
  openDraw,
  addEntropy,
  drawsDue,
  publicDraw,
  verifyDraw,
  openDrawSchema,
  entropySchema,
  ENTROPY_MAX_LENGTH,
  type OpenDrawInput,
  type OpenedDraw,
  type DrawOutcome,
  type PublicDraw,
  type DrawVerdict,
} from "./draws.ts";
export { drawSeed, drawSeedKeys, DRAW_SEED_KEY_MIN_LENGTH, type DrawSeedKey, type DrawSeedKeys } from "./draw-seed.ts";
export {
  drawRanking,
  canonicalEligible,
  eligibleSha256,
  seedCommitment,
  specialtyForCategory,
  regionLevel,
  DRAW_ALGORITHM,
  type EligibleAgency,
  type EntropyContribution,
} from "./rules/draw.ts";

// Procedures, commissions, reports, objections, the price and the deadlines (A1, A2, A11, A13–A25, A27).
export {
  startProcedure,
  suspendProcedure,
  resumeProcedure,
  withdrawProcedure,
  procedureView,
  assetProcedures,
  startProcedureSchema,
  procedureReasonSchema,
  type StartProcedureInput,
  type PriceProcedure,
} from "./procedures.ts";
export { startPricing, startPricingSchema, type StartedPricing } from "./start-pricing.ts";
export {
  agreeAgencies,
  drawAndCommission,
  runDueDraws,
  acceptCommission,
  declineCommission,
  requestExtension,
  recordMaterialsReturned,
  agreeAgenciesSchema,
  extensionSchema,
  NEEDS_NEW_SELECTION,
  type Commission,
  type CommissionedDraw,
  type DueDrawsReport,
} from "./commissions.ts";
export {
  submitAppraisalReport,
  deliverReport,
  reportFile,
  checkReportUpload,
  checkReportInput,
  reportDatesFault,
  storeValuationReport,
  reportInputSchema,
  REPORT_MAX_BYTES,
  type ReportInput,
  type CheckedReport,
  type UploadedFile,
} from "./reports.ts";
export { fileObjection, forwardObjection, answerObjection, decideObjection, objectionSchema, decisionSchema, type ReportObjection } from "./objections.ts";
export { fixReferencePrice, fixPriceSchema } from "./reference-price.ts";
export {
  sweepAppraisalDeadlines,
  deadlinesAtAGlance,
  procedureDeadlines,
  deadlineRule,
  DEADLINE_KINDS,
  type Deadline,
  type DeadlineItem,
  type DeadlineKind,
  type DeadlineState,
  type ProcedureDeadline,
  type SweepResult,
} from "./deadlines.ts";
export { OBJECTION_DECISIONS, type ObjectionDecision } from "./rules/appraisal.ts";

// Online and directed inquiry, negotiation (A3–A10, A22, P7).
export {
  startOnlineInquiry,
  platformInquiryRequests,
  submitInquiryReport,
  askInquiryExtension,
  submitCorrectedReport,
  markReportError,
  askCorrections,
  fixInquiryPrice,
  sweepInquiryDeadlines,
  onlineInquirySchema,
  inquiryReportSchema,
  reportErrorSchema,
  ONLINE_INQUIRY_GROUNDS,
  type FixInquiryResult,
  type SweepOutcome,
  type InquirySweepResult,
  type InquiryReportInput,
} from "./inquiry.ts";
export { startNegotiation, submitNegotiationFigure, refuseNegotiation, negotiationSchema, negotiationFigureSchema, negotiationRefusalSchema, type FigureResult } from "./negotiation.ts";
export { startDirectedInquiry, recordDirectedAnswer, directedInquirySchema, DIRECTED_ADDRESSEES, DIRECTED_PRICE_KINDS } from "./directed-inquiry.ts";
export { meanHalfUp, decideInquiryMean } from "./rules/inquiry.ts";

// Fair rotation of the agency draw (A13, P6).
export { rotationCounts } from "./draws.ts";
export {
  DRAW_ALGORITHM_V1,
  DRAW_ALGORITHM_V2,
  DRAW_ALGORITHMS,
  ROTATION_MAX_EXTRA_TICKETS,
  ROTATION_WINDOW_DAYS,
  isDrawAlgorithm,
  rotationWeights,
  withRotationCounts,
  type DrawAlgorithm,
} from "./rules/draw.ts";

// Report defects, service by posting, review of objection decisions, re-issue; the rules the pages share
// (A15, A17–A20).
export {
  recordReportPosted,
  markReportDefect,
  explainReportDefect,
  submitCorrectedAppraisalReport,
  extendDefectDeadline,
  passDefectOn,
  postingSchema,
  defectSchema,
  defectExplanationSchema,
  DEFECT_KINDS,
} from "./reports.ts";
export { requestReview, recordReviewOutcome, reviewRequestSchema, reviewOutcomeSchema, REVIEW_OUTCOMES, priceReviewHold } from "./objections.ts";
export { askReissue } from "./reissue.ts";
export {
  allowedDecisions,
  latestExtensionRequestAt,
  deemedServedAt,
  postedObjectionDueAt,
  defectDueAt,
  defectOpen,
  defectRemedies,
  reviewDueAt,
  reviewAllowed,
  reviewPending,
  reviewHold,
  reissueDueAt,
  type ReviewHold,
} from "./rules/appraisal.ts";

// The appraisal JSON API and the pages' shared reads: one agency on the list, the objection-pending rule,
// the schema of an objection's answer (A12, A20, A21).
export { objectionPending } from "./rules/appraisal.ts";
export { answerSchema } from "./objections.ts";

// What the pages read, each authorized as its use case would be: the parties' cases, a procedure's page beside
// `procedureView`, the agencies' and the platforms' portals, and the admin's pool page.
export { partyCases, partyCase, partyCaseView } from "./party-reads.ts";
export { procedureExtras, agreeableAgencies, drawContext, inquiryMeanPreview, type ProcedureExtras } from "./procedure-reads.ts";
// B8: the pricing basis published with an announced lot (the report or inquiry results behind its reference price).
export { lotPriceBasis, lotPriceReportFile, lotPricing, type PublicPriceBasis, type PublicPriceReport, type PricingReport } from "./public-basis.ts";
export { listAgencyCommissions, getAgencyCommission, listAgencyConflicts } from "./agency-reads.ts";
export { getPlatformRequest, pendingDueAt, sortRequests } from "./platform-reads.ts";
export { getPoolAgency } from "./pool-reads.ts";

// Values of the appraisal schema the pages offer as choices (app/ imports only types from db/).
export { SPECIALTIES, LISTING_STATUSES, type Specialty, type ListingStatus } from "../db/schema/index.ts";
