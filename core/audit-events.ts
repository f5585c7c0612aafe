// Every audit action the platform writes, with the entity it names, the shape of its data and the rules
// it serves. appendAudit refuses anything else, and `npm run audit:verify` checks each stored event
// against the same table (P5): the chain proves nothing was changed, the table that what was written
// means what it says.
//
// Schemas describe the data as it is stored (canonicalJson: sorted keys, bigint fen as a decimal string,
// instants as ISO strings); the codecs below decode those back, so callers write bigint and Date and
// both checks see the very same stored form.
import { z } from "zod";
import {
  PROCEDURE_GROUNDS,
  DEPOSIT_OUTCOMES,
  FEE_BASES,
  FEE_KINDS,
  ASSET_CATEGORIES,
  BIDDER_KINDS,
  LEDGER_TRANSFER_KINDS,
  LISTING_STATUSES,
  LOT_FILE_KINDS,
  LOT_ROUNDS,
  REVOCATION_GROUNDS,
  OBJECTION_KINDS,
  PAYMENT_KINDS,
  PARTY_LINK_SOURCES,
  PARTY_ROLES,
  PRICE_METHODS,
  PROCEDURE_METHODS,
  SPECIALTIES,
  TRANSFER_PURPOSES,
  WITHDRAWAL_GROUNDS,
} from "../db/schema/index.ts";
import type { RuleId } from "./rules.ts";


/** Fen: a bigint, stored as its decimal string. */
const fen = z.codec(z.string().regex(/^-?\d+$/), z.bigint(), { decode: (s) => BigInt(s), encode: (n) => n.toString() });
/** An instant: a Date, stored as its UTC ISO string. */
const instant = z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });
const id = z.guid();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const text = z.string();
const count = z.int().nonnegative();
/** The rule a step applied, recorded in the event; always one of the action's `rules`. */
const rule = <const R extends readonly [RuleId, ...RuleId[]]>(...ids: R) => z.enum(ids);
const none = z.strictObject({});

const sublists = z.array(z.strictObject({ specialty: z.enum(SPECIALTIES), regionCode: text }));
const agencyStatusChanged = z.strictObject({ from: z.enum(LISTING_STATUSES), reason: text.nullable(), barredUntil: instant.nullable() });
const lotClosed = z.strictObject({ closedAt: instant, priceFen: fen.nullable(), bidderCode: text.nullable(), bids: count });
const representationConfirmed = z.strictObject({ courtId: id.nullable() });
const reportStored = { rule: rule("A14"), procedureId: id, sha256, valueFen: fen, valuationMethod: text, valuationDate: instant, validUntil: instant, deliveryDueAt: instant };

export interface AuditEventSpec {
  entityType: string;
  data: z.ZodType;
  rules: readonly RuleId[];
}

export const AUDIT_EVENTS = {
  // Identity: accounts, sessions, tokens, who acts for a bidder.
  "identity.bidder_registered": { entityType: "user", rules: ["C2"], data: z.strictObject({ kind: z.enum(BIDDER_KINDS), username: text }) },
  // Someone tried to register another account with this account's identity number; the notice went to this account.
  "identity.identity_reuse_noticed": { entityType: "user", rules: ["C2", "I1"], data: none },
  "identity.signed_in": { entityType: "session", rules: [], data: z.strictObject({ ip: text }) },
  "identity.signed_out": { entityType: "session", rules: [], data: none },
  // An admin's "sign out everywhere": sessions and API tokens (`tokens` absent in events written before tokens were included).
  "identity.sessions_revoked": { entityType: "user", rules: [], data: z.strictObject({ sessions: count, tokens: count.optional() }) },
  // A user ends one of their other sessions, or all of them, from their account page.
  "identity.session_ended": { entityType: "session", rules: [], data: none },
  "identity.other_sessions_ended": { entityType: "user", rules: [], data: z.strictObject({ sessions: count }) },
  // The address is personal data: the record says that it changed, not what it is.
  "identity.email_changed": { entityType: "user", rules: [], data: z.strictObject({ set: z.boolean() }) },
  "auction.lot_followed": { entityType: "lot", rules: ["P4"], data: none },
  "auction.lot_unfollowed": { entityType: "lot", rules: ["P4"], data: none },
  "identity.user_disabled": { entityType: "user", rules: [], data: none },
  "identity.user_enabled": { entityType: "user", rules: [], data: none },
  // The number itself never enters the chain, which anyone may read: only its ends.
  "identity.staff_identity_set": { entityType: "user", rules: ["C7"], data: z.strictObject({ rule: z.literal("C7"), masked: text, replaced: z.boolean() }) },
  // `expiresAt` and `scopes` are absent in events written before tokens had them.
  "identity.api_token_created": { entityType: "api_token", rules: [], data: z.strictObject({ name: text, expiresAt: instant.optional(), scopes: z.array(text).optional() }) },
  "identity.api_token_revoked": { entityType: "api_token", rules: [], data: none },
  "identity.proxy_declared": { entityType: "user", rules: ["C6"], data: z.strictObject({ replaced: z.boolean() }) },
  "identity.proxy_removed": { entityType: "user", rules: ["C6"], data: none },
  "identity.proxy_confirmed": { entityType: "user", rules: ["C6"], data: representationConfirmed },
  "identity.company_confirmed": { entityType: "user", rules: ["C6"], data: representationConfirmed },
  // A real-name service confirmed that the bidder's legal name belongs to their identity number (ADR 016).
  "identity.real_name_verified": { entityType: "user", rules: ["C2", "C6"], data: z.strictObject({ method: text }) },
  "platform.demo_seeded": { entityType: "platform", rules: [], data: z.strictObject({ accounts: count }) },

  // Auction: cases, lots, registrations, bids, the close.
  // The judge in charge is named since clerks register cases too; earlier events carry none.
  "auction.case_created": { entityType: "case", rules: [], data: z.strictObject({ caseNumber: text, judgeId: id.optional() }) },
  "auction.party_added": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, role: z.enum(PARTY_ROLES) }) },
  // Accounts acting for a case's parties (ADR 016): the party's rights come only from a link the court confirmed.
  "auction.party_link_code_issued": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, codeId: id, expiresAt: instant }) },
  "auction.party_claimed": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, linkId: id }) },
  "auction.party_linked": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, linkId: id, userId: id, source: z.enum(PARTY_LINK_SOURCES) }) },
  "auction.party_claim_refused": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, linkId: id, userId: id }) },
  "auction.party_link_revoked": { entityType: "case", rules: [], data: z.strictObject({ partyId: id, linkId: id, userId: id }) },
  "auction.asset_created": { entityType: "asset", rules: [], data: z.strictObject({ caseId: id, category: z.enum(ASSET_CATEGORIES) }) },
  "auction.reference_price_fixed": {
    entityType: "asset",
    rules: ["A3", "A4", "A23"],
    data: z.strictObject({ method: z.enum(PRICE_METHODS), amountFen: fen, validUntil: instant }),
  },
  "auction.lot_drafted": { entityType: "lot", rules: ["B3", "C1"], data: z.strictObject({ assetId: id, startingPriceFen: fen }) },
  "auction.lot_draft_discarded": { entityType: "lot", rules: ["B11"], data: z.strictObject({ assetId: id, round: z.enum(LOT_ROUNDS), startingPriceFen: fen, reason: text }) },
  "auction.priority_holder_added": { entityType: "lot", rules: ["E1"], data: z.strictObject({ rank: count }) },
  "auction.lot_published": { entityType: "lot", rules: ["B5", "D2"], data: z.strictObject({ closesAt: instant }) },
  // G1–G3, P15: a hold and its end. The reason is public (G3); actorId names the judge or the platform's admin.
  "auction.lot_held": {
    entityType: "lot",
    rules: ["G1", "G2", "P15"],
    data: z.strictObject({ kind: z.enum(["suspend", "stay"]), by: z.enum(["court", "platform"]), reason: text, heldFrom: z.enum(["announced", "bidding"]), closesAt: instant }),
  },
  "auction.lot_resumed": { entityType: "lot", rules: ["G3", "P15"], data: z.strictObject({ heldForMs: count, biddingStartsAt: instant, closesAt: instant }) },
  "auction.lot_withdrawn": { entityType: "lot", rules: ["G5", "P2"], data: z.strictObject({ ground: z.enum(WITHDRAWAL_GROUNDS), reason: text }) },
  // E7: paid in full, the ruling falls due; served, the handover falls due; handed over, the lot's story ends.
  "auction.sale_paid": { entityType: "lot", rules: ["E7", "F1"], data: z.strictObject({ rulingDueAt: instant }) },
  "auction.ruling_served": { entityType: "lot", rules: ["E6", "E7", "E8"], data: z.strictObject({ documentNumber: text, handoverDueAt: instant }) },
  "auction.handed_over": { entityType: "lot", rules: ["E7"], data: z.strictObject({ note: text }) },
  // E4: notified priority holders who did not take part, by rank (their names are on the lot's announcement).
  "auction.priority_waived": { entityType: "lot", rules: ["E4"], data: z.strictObject({ ranks: z.array(count) }) },
  // F7, F12, P8: the asset goes to an applicant creditor at the failed auction's reserve; the excess is paid in.
  "auction.creditor_takeover": { entityType: "lot", rules: ["F7", "F12", "P8"], data: z.strictObject({ partyId: id, priceFen: fen, excessFen: fen }) },
  "auction.lot_relisted": { entityType: "lot", rules: ["P2", "G3"], data: z.strictObject({ reason: text }) },
  "auction.lot_revoked": { entityType: "lot", rules: ["G7", "I5", "P2"], data: z.strictObject({ ground: z.enum(REVOCATION_GROUNDS), reason: text }) },
  // P2: the hold lasted its day; the deposits are released and the lot can no longer resume.
  "auction.hold_expired": { entityType: "lot", rules: ["P2", "G6"], data: z.strictObject({ heldAt: instant }) },
  "auction.announcement_revised": { entityType: "lot", rules: ["B7"], data: z.strictObject({ version: count, reason: text }) },
  "auction.lot_file_added": { entityType: "lot", rules: ["B8"], data: z.strictObject({ fileId: id, kind: z.enum(LOT_FILE_KINDS), sha256 }) },
  // 预约看样 (B9: viewing on request). The booker is the actor: the court sees who booked; the public never does (P4).
  "auction.viewing_slot_added": { entityType: "lot", rules: ["B9"], data: z.strictObject({ slotId: id, startsAt: instant, endsAt: instant, place: text, capacity: count }) },
  "auction.viewing_booked": { entityType: "lot", rules: ["B9"], data: z.strictObject({ slotId: id, bookingId: id }) },
  "auction.viewing_cancelled": { entityType: "lot", rules: ["B9"], data: z.strictObject({ slotId: id, bookingId: id }) },
  // The court calls a viewing off; its bookings go with it and their holders are told.
  "auction.viewing_slot_cancelled": { entityType: "lot", rules: ["B9"], data: z.strictObject({ slotId: id, bookings: count }) },
  // actorId is null on a lot's registration, deposit and bid events: who registered stays sealed (P4).
  "auction.registered": { entityType: "lot", rules: ["P4"], data: z.strictObject({ registrationId: id }) },
  "auction.deposit_confirmed": { entityType: "lot", rules: ["C4"], data: z.strictObject({ registrationId: id, bidderCode: text }) },
  "auction.bid_accepted": {
    entityType: "lot",
    rules: ["D1", "D3", "D5"],
    data: z.strictObject({ bidId: id, bidderCode: text, amountFen: fen, seq: count, closesAt: instant }),
  },
  "auction.lot_sold": { entityType: "lot", rules: ["D6", "E2", "E3"], data: lotClosed },
  "auction.lot_failed": { entityType: "lot", rules: ["F6"], data: lotClosed },
  // The winner did not pay the balance by its deadline (悔拍): barred from the asset's later lots (C8).
  "auction.winner_defaulted": { entityType: "lot", rules: ["C8", "F4"], data: z.strictObject({ registrationId: id }) },
  // F6, F8, C8: the asset's next lot, drafted by the end of the previous one; a judge adjusts and publishes it.
  "auction.next_lot_drafted": {
    entityType: "lot",
    rules: ["F6", "F8", "F9", "C8"],
    data: z.strictObject({ previousLotId: id, round: z.enum(LOT_ROUNDS), startingPriceFen: fen }),
  },
  "auction.lot_draft_revised": {
    entityType: "lot",
    rules: ["B3", "B6", "C1", "F6", "F9"],
    data: z.strictObject({ startingPriceFen: fen, depositFen: fen, biddingStartsAt: instant, biddingEndsAt: instant }),
  },

  // Appraisal: the pool of agencies and the list of inquiry platforms.
  "appraisal.agency_listed": {
    entityType: "agency",
    rules: ["A12"],
    data: z.strictObject({ creditCode: text, name: text, regionCode: text, created: z.boolean(), sublists }),
  },
  "appraisal.agency_sublists_set": { entityType: "agency", rules: ["A12"], data: z.strictObject({ sublists }) },
  "appraisal.agency_suspended": { entityType: "agency", rules: ["A12"], data: agencyStatusChanged },
  "appraisal.agency_removed": { entityType: "agency", rules: ["A12"], data: agencyStatusChanged },
  "appraisal.agency_reinstated": { entityType: "agency", rules: ["A12"], data: agencyStatusChanged },
  "appraisal.agency_member_added": { entityType: "agency", rules: [], data: z.strictObject({ userId: id, username: text }) },
  "appraisal.conflict_declared": { entityType: "agency", rules: ["A13"], data: z.strictObject({ conflictId: id, relationship: text }) },
  "appraisal.platform_listed": {
    entityType: "platform",
    rules: ["A6"],
    data: z.strictObject({ name: text, creditCode: text, categories: z.array(z.enum(ASSET_CATEGORIES)) }),
  },
  "appraisal.platform_categories_set": { entityType: "platform", rules: ["A6", "P7"], data: z.strictObject({ categories: z.array(z.enum(ASSET_CATEGORIES)) }) },
  "appraisal.platform_user_added": { entityType: "platform", rules: [], data: z.strictObject({ userId: id, username: text }) },
  "appraisal.platform_struck_off": {
    entityType: "inquiry_platform",
    rules: ["A6"],
    data: z.strictObject({ reason: z.literal("late_reports"), lateReportsInYear: count, barredUntil: instant }),
  },

  // Appraisal: a pricing procedure's life.
  "appraisal.procedure_started": {
    entityType: "price_procedure",
    rules: ["A1"],
    data: z.strictObject({ rule: rule("A1"), assetId: id, method: z.enum(PROCEDURE_METHODS), basisKind: z.enum(PROCEDURE_GROUNDS).nullable(), startDueAt: instant, lateStart: z.boolean() }),
  },
  "appraisal.procedure_suspended": { entityType: "price_procedure", rules: ["A24"], data: z.strictObject({ rule: rule("A24"), reason: text }) },
  "appraisal.procedure_resumed": {
    entityType: "price_procedure",
    rules: ["A24"],
    data: z.strictObject({ rule: rule("A24"), suspendedFrom: instant, suspendedMs: count }),
  },
  "appraisal.procedure_withdrawn": { entityType: "price_procedure", rules: ["A24"], data: z.strictObject({ rule: rule("A24"), reason: text }) },
  // `reason` is a stable key; the rest says why, depending on how the procedure failed.
  "appraisal.procedure_failed": {
    entityType: "price_procedure",
    rules: ["A3", "A4", "A8", "A11", "A13"],
    data: z.strictObject({
      reason: text,
      rule: rule("A3", "A4", "A8", "A11", "A13"),
      method: z.enum(PROCEDURE_METHODS).optional(),
      after: rule("A13", "A14", "A16").optional(),
      next: z.literal("appraisal").optional(),
      partyId: id.optional(),
      role: z.enum(PARTY_ROLES).optional(),
      partyReason: text.optional(),
    }),
  },
  // An appraisal's price names its report and agency; an online inquiry's, the reports it averaged (A10).
  "appraisal.reference_price_fixed": {
    entityType: "price_procedure",
    rules: ["A3", "A4", "A10", "A23"],
    data: z.strictObject({
      rule: rule("A3", "A4", "A10", "A23"),
      assetId: id,
      method: z.enum(PRICE_METHODS),
      amountFen: fen,
      validFrom: instant,
      validUntil: instant,
      referencePriceId: id,
      saleStartDueAt: instant,
      reportId: id.optional(),
      reportSha256: sha256.optional(),
      agencyId: id.optional(),
      capped: z.boolean().optional(),
      used: z.array(id).optional(),
      excluded: z.array(id).optional(),
    }),
  },
  "appraisal.reissue_asked": {
    entityType: "price_procedure",
    rules: ["A17"],
    data: z.strictObject({
      rule: rule("A17"),
      expiredReferencePriceId: id,
      expiredAt: instant,
      commissionId: id,
      agencyId: id,
      reportDueAt: instant,
      reportsSetAside: z.array(id),
    }),
  },
  // A17 for an online inquiry: recorded on the expired procedure; the new inquiry has its own events.
  "appraisal.inquiry_reissue_asked": {
    entityType: "price_procedure",
    rules: ["A17"],
    data: z.strictObject({ rule: rule("A17"), expiredReferencePriceId: id, expiredAt: instant, newProcedureId: id, reportDueAt: instant, platforms: z.array(id) }),
  },

  // Appraisal: negotiation, directed and online inquiry.
  "appraisal.negotiation_figure_submitted": {
    entityType: "price_procedure",
    rules: ["A3"],
    data: z.strictObject({ partyId: id, role: z.enum(PARTY_ROLES), amountFen: fen }),
  },
  "appraisal.directed_inquiry_sent": {
    entityType: "price_procedure",
    rules: ["A4"],
    data: z.strictObject({ requestId: id, addresseeKind: text, addressee: text, priceKind: text, dueAt: instant }),
  },
  "appraisal.directed_answer_recorded": {
    entityType: "price_procedure",
    rules: ["A4"],
    data: z.strictObject({ requestId: id, reportId: id, valueFen: fen, validUntil: instant, sha256 }),
  },
  "appraisal.online_inquiry_sent": {
    entityType: "price_procedure",
    rules: ["A5", "A7", "A8"],
    data: z.strictObject({ assetId: id, category: z.enum(ASSET_CATEGORIES), platforms: z.array(id), dueAt: instant, ground: text }),
  },
  "appraisal.inquiry_report_submitted": {
    entityType: "price_procedure",
    rules: ["A8"],
    data: z.strictObject({ requestId: id, platformId: id, reportId: id, valueFen: fen, validUntil: instant, sha256 }),
  },
  "appraisal.inquiry_extension_asked": { entityType: "price_procedure", rules: ["A8"], data: z.strictObject({ requestId: id, platformId: id }) },
  "appraisal.inquiry_report_error_marked": { entityType: "price_procedure", rules: ["A9"], data: z.strictObject({ reportId: id, requestId: id, note: text }) },
  "appraisal.inquiry_corrections_asked": { entityType: "price_procedure", rules: ["A9"], data: z.strictObject({ requests: z.array(id), correctionDueAt: instant }) },
  "appraisal.inquiry_report_corrected": {
    entityType: "price_procedure",
    rules: ["A9"],
    data: z.strictObject({ requestId: id, platformId: id, reportId: id, replaces: id, valueFen: fen, validUntil: instant, sha256 }),
  },
  "appraisal.inquiry_deadline_passed": {
    entityType: "price_procedure",
    rules: ["A8", "A9"],
    data: z.strictObject({
      outcome: z.enum(["failed", "extended", "review"]),
      late: z.array(id),
      extended: z.array(id),
      extendedUntil: instant.nullable(),
      phase: z.enum(["report", "correction"]),
    }),
  },

  // Appraisal: selecting the agency, the verifiable draw (P6) and the commission.
  "appraisal.draw_opened": {
    entityType: "agency_draw",
    rules: ["A13", "P6"],
    data: z.strictObject({
      rule: rule("A13"),
      procedureId: id,
      algorithm: text,
      specialty: z.enum(SPECIALTIES),
      regionCode: text.nullable(),
      eligibleCount: count,
      eligibleSha256: sha256,
      seedSha256: sha256,
      rotationWindowDays: count,
      entropyCutoffAt: instant,
    }),
  },
  "appraisal.draw_rescheduled": {
    entityType: "agency_draw",
    rules: ["A24", "A27"],
    data: z.strictObject({ rule: rule("A24"), procedureId: id, previousCutoffAt: instant, entropyCutoffAt: instant, suspendedFrom: instant, suspendedMs: count }),
  },
  "appraisal.draw_entropy_added": {
    entityType: "agency_draw",
    rules: ["P6"],
    data: z.strictObject({ rule: rule("P6"), partyId: id, partyRole: z.enum(PARTY_ROLES), value: text }),
  },
  "appraisal.draw_run": {
    entityType: "agency_draw",
    rules: ["A13", "A27", "P6"],
    data: z.strictObject({
      rule: rule("A13"),
      procedureId: id,
      algorithm: text,
      seed: sha256,
      seedSha256: sha256,
      eligibleSha256: sha256,
      entropy: z.array(z.strictObject({ partyId: id, value: text })),
      ranking: z.array(id),
    }),
  },
  "appraisal.agencies_agreed": { entityType: "price_procedure", rules: ["A13"], data: z.strictObject({ rule: rule("A13"), ranking: z.array(id) }) },
  "appraisal.commission_offered": {
    entityType: "commission",
    rules: ["A13", "A14", "A16"],
    data: z.strictObject({ rule: rule("A13", "A14", "A16"), procedureId: id, rank: count, agencyId: id, offerExpiresAt: instant }),
  },
  "appraisal.commission_accepted": { entityType: "commission", rules: ["A15"], data: z.strictObject({ rule: rule("A15"), reportDueAt: instant }) },
  "appraisal.commission_declined": { entityType: "commission", rules: ["A13"], data: z.strictObject({ rule: rule("A13"), reason: text }) },
  "appraisal.commission_unanswered": {
    entityType: "commission",
    rules: ["A14"],
    data: z.strictObject({ rule: rule("A14"), policy: text, offerExpiresAt: instant }),
  },
  "appraisal.extension_granted": {
    entityType: "commission",
    rules: ["A15"],
    data: z.strictObject({
      rule: rule("A15"),
      grantedBy: z.literal("rule"),
      days: count,
      reason: text,
      previousDueAt: instant,
      newDueAt: instant,
      extension: count,
    }),
  },
  "appraisal.commission_overdue": {
    entityType: "commission",
    rules: ["A16"],
    data: z.strictObject({ rule: rule("A16"), reportDueAt: instant, materialsDueAt: instant, agencyId: id }),
  },
  "appraisal.materials_returned": { entityType: "commission", rules: ["A16"], data: z.strictObject({ rule: rule("A16"), late: z.boolean() }) },

  // Appraisal: reports, their delivery and defects.
  "appraisal.report_submitted": {
    entityType: "valuation_report",
    rules: ["A14"],
    data: z.union([z.strictObject({ ...reportStored, commissionId: id }), z.strictObject({ ...reportStored, inquiryRequestId: id })]),
  },
  // A directed-inquiry answer is delivered at once, and no objection lies against it (A22).
  "appraisal.report_delivered": {
    entityType: "valuation_report",
    rules: ["A19"],
    data: z.strictObject({ rule: rule("A19"), late: z.boolean(), objectionDueAt: instant.nullable(), objectionsAllowed: z.boolean().optional() }),
  },
  "appraisal.report_posted": {
    entityType: "valuation_report",
    rules: ["A19"],
    data: z.strictObject({ rule: rule("A19"), postedAt: instant, deemedServedAt: instant, objectionDueAt: instant.nullable(), late: z.boolean() }),
  },
  "appraisal.report_defect_marked": {
    entityType: "valuation_report",
    rules: ["A18"],
    data: z.strictObject({ rule: rule("A18"), kind: text, note: text, defectDueAt: instant }),
  },
  "appraisal.report_defect_explained": { entityType: "valuation_report", rules: ["A18"], data: z.strictObject({ rule: rule("A18"), late: z.boolean() }) },
  "appraisal.report_defect_corrected": {
    entityType: "valuation_report",
    rules: ["A18"],
    data: z.strictObject({ rule: rule("A18"), late: z.boolean(), replacedBy: id, sha256 }),
  },
  "appraisal.report_defect_overdue": {
    entityType: "valuation_report",
    rules: ["A18"],
    data: z.strictObject({ rule: rule("A18"), defectDueAt: instant.nullable() }),
  },
  // A18: the judge's ways on from a defect left unanswered: a new deadline, once; or the next-ranked agency (A16).
  "appraisal.report_defect_extended": {
    entityType: "valuation_report",
    rules: ["A18"],
    data: z.strictObject({ rule: rule("A18"), previousDueAt: instant, defectDueAt: instant }),
  },
  "appraisal.report_defect_passed_on": {
    entityType: "valuation_report",
    rules: ["A18", "A16"],
    data: z.strictObject({ rule: rule("A18"), defectDueAt: instant, commissionId: id, agencyId: id, materialsDueAt: instant, nextCommissionId: id.nullable() }),
  },

  // Appraisal: objections (A20 procedural, A21 technical) and review.
  "appraisal.objection_filed": {
    entityType: "report_objection",
    rules: ["A20", "A21"],
    data: z.strictObject({ rule: rule("A20", "A21"), reportId: id, partyId: id, kind: z.enum(OBJECTION_KINDS) }),
  },
  "appraisal.objection_forwarded": {
    entityType: "report_objection",
    rules: ["A21"],
    data: z.strictObject({ rule: rule("A21"), answerDueAt: instant, late: z.boolean() }),
  },
  "appraisal.objection_answered": { entityType: "report_objection", rules: ["A21"], data: z.strictObject({ rule: rule("A21") }) },
  "appraisal.objection_to_technical_review": {
    entityType: "report_objection",
    rules: ["A21"],
    data: z.strictObject({ rule: rule("A21"), answerDueAt: instant }),
  },
  "appraisal.objection_decided": {
    entityType: "report_objection",
    rules: ["A20", "A21"],
    data: z.strictObject({ rule: rule("A20", "A21"), decision: text, reportId: id, reportExcluded: z.boolean(), reopenedCommissionId: id.nullable() }),
  },
  "appraisal.review_requested": {
    entityType: "report_objection",
    rules: ["A20"],
    data: z.strictObject({ rule: rule("A20"), partyId: id, decidedAt: instant, reviewDueAt: instant }),
  },
  "appraisal.review_decided": {
    entityType: "report_objection",
    rules: ["A20"],
    data: z.strictObject({ rule: rule("A20"), outcome: text, reportId: id, reportExcluded: z.boolean(), reopenedCommissionId: id.nullable() }),
  },
  // Escrow (ADR 019): every ledger transfer joins the chain (P5, P14).
  "escrow.transfer": {
    entityType: "ledger_transfer",
    rules: ["P14"],
    data: z.strictObject({
      idempotencyKey: text,
      kind: z.enum(LEDGER_TRANSFER_KINDS),
      debitAccountId: id,
      creditAccountId: id,
      amountFen: fen,
      purpose: z.enum(TRANSFER_PURPOSES),
      caseId: id.nullable(),
      lotId: id.nullable(),
    }),
  },
  // A payer started a deposit or balance payment at the gateway.
  "escrow.payment_started": {
    entityType: "payment",
    rules: ["C2", "F3"],
    data: z.strictObject({ kind: z.enum(PAYMENT_KINDS), gateway: text, registrationId: id, lotId: id, amountFen: fen }),
  },
  // The gateway's final word on a payment: succeeded (booked), failed (declined, nothing booked), or refused by the
  // platform (the instrument was not in the bidder's name, or the lot could no longer admit the bidder: refunded).
  "escrow.payment_settled": {
    entityType: "payment",
    rules: ["C2", "P11"],
    data: z.strictObject({ status: z.enum(["succeeded", "failed", "refused"]), failureCode: text.nullable(), gatewayEvent: text }),
  },
  // Where a registration's deposit ended, once (F1, F2, F4, G6, P2).
  "escrow.deposit_settled": {
    entityType: "registration",
    rules: ["F1", "F2", "F4", "G6", "P2"],
    data: z.strictObject({ outcome: z.enum(DEPOSIT_OUTCOMES), amountFen: fen, reason: text, lotId: id }),
  },
  // The winner's deposit moved to the case's escrow and the balance fell due (F2, F3, P3).
  "escrow.balance_due": {
    entityType: "lot",
    rules: ["F2", "F3", "P3"],
    data: z.strictObject({ registrationId: id, priceFen: fen, depositAppliedFen: fen, amountFen: fen, dueAt: instant }),
  },
  "escrow.balance_reminded": { entityType: "lot", rules: ["P3"], data: z.strictObject({ dueAt: instant }) },
  // G7, P2: a revoked sale's buyer gets back the deposit and balance paid towards the price.
  "escrow.sale_refunded": { entityType: "lot", rules: ["G7", "P2"], data: z.strictObject({ registrationId: id, refundFen: fen }) },
  "escrow.balance_paid": { entityType: "lot", rules: ["F3", "H5"], data: z.strictObject({ paymentId: id, amountFen: fen }) },
  // Default: the deposit is forfeited and applied in F4's order.
  "escrow.balance_defaulted": {
    entityType: "lot",
    rules: ["F4", "F9", "C8"],
    data: z.strictObject({ registrationId: id, forfeitedFen: fen, dueAt: instant }),
  },
  // The judge's distribution of a case's escrow: drafted (or a draft replaced), approved (money moved to the payees and
  // their payouts requested, due by payBy), and paid once every payout has landed.
  "escrow.distribution_drafted": {
    entityType: "distribution",
    rules: ["H3", "P9"],
    data: z.strictObject({ caseId: id, totalFen: fen, lines: count, surplusFen: fen, replaced: z.boolean() }),
  },
  "escrow.distribution_approved": { entityType: "distribution", rules: ["H3", "H8"], data: z.strictObject({ caseId: id, totalFen: fen, payouts: count, payBy: instant }) },
  "escrow.distribution_paid": { entityType: "distribution", rules: ["H8"], data: z.strictObject({ caseId: id, totalFen: fen }) },
  // A26: the fees of an asset's reference price, recorded once the lot sold (or nothing sold): who is paid, on what
  // base, and how much; advanced by an applicant creditor, borne by the debtor (repaid first in a distribution, H3).
  "escrow.fees_recorded": {
    entityType: "lot",
    rules: ["A26", "H3"],
    data: z.strictObject({
      caseId: id,
      assetId: id,
      advancedByPartyId: id,
      dealFen: fen.nullable(),
      fees: z.array(
        z.strictObject({ id, kind: z.enum(FEE_KINDS), basis: z.enum(FEE_BASES), payeeId: id, enteredFen: fen, baseFen: fen.nullable(), amountFen: fen, transferId: id }),
      ),
    }),
  },
} as const satisfies Record<string, AuditEventSpec>;

export type AuditAction = keyof typeof AUDIT_EVENTS;
/** The data an action records, as callers write it (bigint fen, Date instants). */
export type AuditData<A extends AuditAction> = z.output<(typeof AUDIT_EVENTS)[A]["data"]>;

// Data may be left out when the action records none.
type DataField<A extends AuditAction> = Record<string, never> extends AuditData<A> ? { data?: AuditData<A> } : { data: AuditData<A> };

/** One audit event to append: a listed action, its entity type and its data. */
export type AuditInput<A extends AuditAction = AuditAction> = {
  [K in A]: { actorId: string | null; action: K; entityType: (typeof AUDIT_EVENTS)[K]["entityType"]; entityId: string } & DataField<K>;
}[A];

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_EVENTS, action);
}

/**
 * What is wrong with an event as stored (its data in canonical form), or null when its action is
 * listed, its entity type is the action's and its data fits the action's schema.
 */
export function auditEventProblem(event: { action: string; entityType: string; data: unknown }): string | null {
  if (!isAuditAction(event.action)) return `unknown action "${event.action}"`;
  const spec: AuditEventSpec = AUDIT_EVENTS[event.action];
  if (event.entityType !== spec.entityType) return `entity type "${event.entityType}" is not "${spec.entityType}"`;
  const parsed = spec.data.safeParse(event.data);
  if (parsed.success) return null;
  const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "data"}: ${i.message}`);
  return `data does not fit: ${issues.join("; ")}`;
}
