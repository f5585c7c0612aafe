export { CN_SPC_2016, type Ruleset } from "../core/ruleset.ts";
export { checkLotSetup, setupLimits } from "./rules/lot-setup.ts";
export { decideBid, BID_REFUSALS, type BidRefusal } from "./rules/bidding.ts";
export { nextBidFen } from "../core/next-bid.ts";
export {
  createCase,
  courtJudges,
  addParty,
  createAsset,
  recordReferencePrice,
  referenceValidityFault,
  insertReferencePrice,
  validReferencePrice,
  createCaseSchema,
  partySchema,
  assetSchema,
  referencePriceSchema,
} from "./cases.ts";
export { createLotDraft, discardLotDraft, discardDraftSchema, lotDraftRuleRefusal, lotDraftRevisionRuleRefusal, addPriorityHolder, publishLot, reviseAnnouncement, reviseLotDraft, lotDraftSchema, draftRevisionSchema, priorityHolderSchema, revisionSchema } from "./lots.ts";
export {
  issuePartyLinkCode,
  redeemPartyLinkCode,
  claimParty,
  decidePartyClaim,
  revokePartyLink,
  casePartyLinks,
  ownPartyLinks,
  linkedPartyOf,
  linkedPartiesOf,
  standsForAParty,
  redeemSchema,
  claimSchema,
  LINK_CODE_TTL_MS,
  PARTY_LINK_LIMIT,
  type CaseParty,
} from "./party-links.ts";
export { applyForLot, depositToPay, confirmDeposit, recordDefault, lotForSettlement, ownRegistration, ownRegistrations, applySchema, type DepositToPay, type LotForSettlement } from "./registration.ts";
export { placeBid, placeBids, bidSchema, BID_SQL, type AcceptedBid, type BidInput, type BidRequest, type BidAnswer } from "./bidding.ts";
export { BidDesk, type BidDeskOptions } from "./bid-desk.ts";
export { closeLot, lotsDueToClose, type CloseResult } from "./closing.ts";
export { setFollowing, isFollowing, sendReminders, lotTitles, STARTS_SOON_MS, ENDS_SOON_MS, DEADLINE_SOON_MS } from "./follows.ts";
export { draftNextLot, failedRoundOf, lotRounds } from "./next-round.ts";
export { recordCreditorTakeover, assetTakeover, takeoverSchema } from "./creditor-takeover.ts";
export { recordFullPayment, serveRuling, handOver, saleRuling, saleDeadlines, rulingSchema, handoverSchema } from "./rulings.ts";
export { reauctionFloorFen } from "./rules/lot-setup.ts";
export { holdLot, resumeLot, expireHolds, withdrawLot, relistLot, recordRevocation, holdSchema, resumeSchema, withdrawSchema, revokeSchema, type HeldLot, type ResumedLot } from "./interventions.ts";
export { nextLotState, lotLife, HOLD_KEEPS_DEPOSITS_MS, WITHDRAWAL_GROUNDS, REVOCATION_GROUNDS, type LotState, type LotEvent, type LotLife } from "./lifecycle.ts";
export { listCourtCases, getCourtCase, getCourtAsset, courtLotPlace } from "./court-reads.ts";
export { getPublicLot, listPublicLots, bidHistory, ownBids, lotSnapshot, type PublicLot, type PriorityHolderView, type BidView, type LotFilters, type LotSnapshot } from "./public-reads.ts";
export {
  searchLots,
  searchParams,
  lotSearchSchema,
  lotSearchRow,
  indexLotsForSearch,
  SEARCH_SORTS,
  SEARCH_PUBLIC_PHASES,
  HOUSING_CHOICES,
  SEARCH_PAGE_SIZE,
  SEARCH_COUNT_CAP,
  type SearchHit,
  type SearchPage,
  type SearchSort,
} from "./search.ts";
export { silentPublisher, type LotPublisher, type PublishedBid, type ClosedLot } from "./publisher.ts";
export { lotPhase, LOT_PHASES, type LotPhase } from "./lot-phase.ts";
export { B9_WARNINGS } from "./warnings.ts";
export { announcementContent, type AnnouncementContent } from "./announcement-content.ts";
export { type LotScheduler } from "./scheduler.ts";
export { confirmationPdf } from "./confirmation.ts";
export { renderLotDocumentPdf, type LotDocumentPdf, type DocumentSection } from "./document-pdf.ts";
export {
  addViewingSlot,
  bookViewing,
  cancelViewing,
  cancelViewingSlot,
  publicViewings,
  courtViewings,
  viewingSlotRuleErrors,
  viewingSlotRuleRefusal,
  viewingSlotSchema,
  viewingBookingSchema,
  VIEWING_SOON_MS,
  type PublicViewings,
  type CourtViewingSlot,
  type CourtViewings,
  type ViewingSlotView,
} from "./viewings.ts";
export { addLotFile, listLotFiles, readLotFile, lotFileBytes, checkUpload, lotFileSchema, FILE_RULES, MAX_UPLOAD_BYTES } from "./lot-files.ts";

// Auction's tables and values that other contexts may read and join on (docs/decisions/012-table-ownership.md):
// cases, their parties and assets, reference prices and lots. Only auction writes them (the appraisal context
// records a price through insertReferencePrice); tests/unit/table-ownership.test.ts fails on any other write.
export { cases, caseParties, assets, referencePrices, lots, lotSearch, ASSET_CATEGORIES, LOT_ROUNDS, PARTY_ROLES, PRIORITY_HOLDER_KINDS, type AssetCategory, type PartyRole, type PriorityHolderKind, type PriceMethod } from "../db/schema/index.ts";
