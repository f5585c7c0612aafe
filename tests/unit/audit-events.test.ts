import { describe, expect, it } from "vitest";
import { z } from "zod";
import { canonicalJson } from "../../core/audit.ts";
import { AUDIT_EVENTS, auditEventProblem, isAuditAction, type AuditAction, type AuditData } from "../../core/audit-events.ts";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const at = (iso: string) => new Date(iso);
const hash = (c: string) => c.repeat(64);
const T0 = at("2026-11-26T02:00:00Z");
const T1 = at("2026-12-01T08:30:00.250Z");

// One realistic event per action, written as callers write it (bigint fen, Date instants). The type
// requires an example for every action in the table.
const EXAMPLES: { [A in AuditAction]: AuditData<A> } = {
  "identity.bidder_registered": { kind: "person", username: "zhangsan" },
  "identity.identity_reuse_noticed": {},
  "identity.signed_in": { ip: "203.0.113.7" },
  "identity.email_changed": { set: true },
  "auction.lot_followed": {},
  "auction.lot_unfollowed": {},
  "identity.signed_out": {},
  "identity.sessions_revoked": { sessions: 2, tokens: 1 },
  "identity.session_ended": {},
  "identity.other_sessions_ended": { sessions: 3 },
  "identity.user_disabled": {},
  "identity.user_enabled": {},
  "identity.staff_identity_set": { rule: "C7", masked: "110***********0011", replaced: false },
  "identity.api_token_created": { name: "法院执行案件管理系统", expiresAt: T1, scopes: ["cases:read", "cases:write"] },
  "identity.api_token_revoked": {},
  "identity.proxy_declared": { replaced: false },
  "identity.proxy_removed": {},
  "identity.proxy_confirmed": { courtId: id(1) },
  "identity.company_confirmed": { courtId: id(1) },
  "identity.real_name_verified": { method: "simulated" },
  "platform.demo_seeded": { accounts: 12 },
  "auction.case_created": { caseNumber: "（2026）京0105执1234号" },
  "auction.party_added": { partyId: id(2), role: "debtor" },
  "auction.party_link_code_issued": { partyId: id(2), codeId: id(7), expiresAt: T1 },
  "auction.party_claimed": { partyId: id(2), linkId: id(8) },
  "auction.party_linked": { partyId: id(2), linkId: id(8), userId: id(9), source: "claim" },
  "auction.party_claim_refused": { partyId: id(2), linkId: id(8), userId: id(9) },
  "auction.party_link_revoked": { partyId: id(2), linkId: id(8), userId: id(9) },
  "auction.asset_created": { caseId: id(3), category: "residential" },
  "auction.reference_price_fixed": { method: "negotiation", amountFen: 350_000_000n, validUntil: T1 },
  "auction.lot_drafted": { assetId: id(4), startingPriceFen: 245_000_000n },
  "auction.lot_draft_discarded": { assetId: id(4), round: "first", startingPriceFen: 245_000_000n, reason: "拍卖前当事人已和解" },
  "escrow.sale_refunded": { registrationId: id(5), refundFen: 250_000_000n },
  "auction.sale_paid": { rulingDueAt: at("2027-01-15T16:00:00Z") },
  "auction.ruling_served": { documentNumber: "（2027）京0105执恢12号之一", handoverDueAt: at("2027-02-01T16:00:00Z") },
  "auction.handed_over": { note: "已移交钥匙及房产证明材料" },
  "auction.priority_waived": { ranks: [1, 2] },
  "auction.creditor_takeover": { partyId: id(6), priceFen: 112_000_000n, excessFen: 0n },
  "auction.lot_relisted": { reason: "异议审查完毕，保证金已退还，重新公告拍卖" },
  "auction.lot_revoked": { ground: "collusion", reason: "竞买人之间恶意串通，经查证属实" },
  "auction.next_lot_drafted": { previousLotId: id(4), round: "second", startingPriceFen: 196_000_000n },
  "auction.lot_draft_revised": { startingPriceFen: 196_000_000n, depositFen: 20_000_000n, biddingStartsAt: at("2027-01-05T02:00:00Z"), biddingEndsAt: at("2027-01-06T02:00:00Z") },
  "auction.priority_holder_added": { rank: 1 },
  "auction.lot_published": { closesAt: T1 },
  "auction.lot_held": { kind: "suspend", by: "court", reason: "案外人提出执行异议", heldFrom: "bidding", closesAt: T1 },
  "auction.lot_resumed": { heldForMs: 3_600_000, biddingStartsAt: T1, closesAt: T1 },
  "auction.hold_expired": { heldAt: T1 },
  "auction.lot_withdrawn": { ground: "debt_paid", reason: "被执行人已全部履行" },
  "auction.announcement_revised": { version: 2, reason: "更正标的物面积" },
  "auction.lot_file_added": { fileId: id(5), kind: "photo", sha256: hash("a") },
  "auction.viewing_slot_added": { slotId: id(5), startsAt: T1, endsAt: T1, place: "北京市朝阳区某小区3号楼", capacity: 10 },
  "auction.viewing_booked": { slotId: id(5), bookingId: id(6) },
  "auction.viewing_cancelled": { slotId: id(5), bookingId: id(6) },
  "auction.viewing_slot_cancelled": { slotId: id(5), bookings: 3 },
  "auction.registered": { registrationId: id(6) },
  "auction.deposit_confirmed": { registrationId: id(6), bidderCode: "K7Q2M9" },
  "auction.bid_accepted": { bidId: id(7), bidderCode: "K7Q2M9", amountFen: 245_500_000n, seq: 3, closesAt: T1 },
  "auction.lot_sold": { closedAt: T1, priceFen: 260_000_000n, bidderCode: "K7Q2M9", bids: 31 },
  "auction.lot_failed": { closedAt: T1, priceFen: null, bidderCode: null, bids: 0 },
  "appraisal.agency_listed": { creditCode: "91110105MA01ABCD2X", name: "北京某某房地产评估有限公司", regionCode: "110105", created: true, sublists: [{ specialty: "real_estate", regionCode: "110000" }] },
  "appraisal.agency_sublists_set": { sublists: [{ specialty: "land", regionCode: "110105" }] },
  "appraisal.agency_suspended": { from: "active", reason: "资质年检未通过", barredUntil: null },
  "appraisal.agency_removed": { from: "suspended", reason: "出具虚假报告", barredUntil: at("2031-11-26T02:00:00Z") },
  "appraisal.agency_reinstated": { from: "suspended", reason: null, barredUntil: null },
  "appraisal.agency_member_added": { userId: id(8), username: "agency-li" },
  "appraisal.conflict_declared": { conflictId: id(9), relationship: "近亲属" },
  "appraisal.platform_listed": { name: "某询价平台", creditCode: "91330100MA27XYZ12P", categories: ["residential", "vehicle"] },
  "appraisal.platform_categories_set": { categories: ["commercial"] },
  "appraisal.platform_user_added": { userId: id(10), username: "platform-wang" },
  "appraisal.platform_struck_off": { reason: "late_reports", lateReportsInYear: 5, barredUntil: at("2031-11-26T02:00:00Z") },
  "appraisal.procedure_started": { rule: "A1", assetId: id(4), method: "appraisal", basisKind: "both_parties_ask", startDueAt: T1, lateStart: false },
  "appraisal.procedure_suspended": { rule: "A24", reason: "案件中止执行" },
  "appraisal.procedure_resumed": { rule: "A24", suspendedFrom: T0, suspendedMs: 86_400_000 },
  "appraisal.procedure_withdrawn": { rule: "A24", reason: "申请执行人撤回申请" },
  "appraisal.procedure_failed": { reason: "needs_new_selection", rule: "A13", after: "A16" },
  "appraisal.reference_price_fixed": {
    rule: "A23",
    assetId: id(4),
    method: "appraisal",
    amountFen: 350_000_000n,
    validFrom: T0,
    validUntil: T1,
    referencePriceId: id(11),
    saleStartDueAt: T1,
    reportId: id(12),
    reportSha256: hash("b"),
    agencyId: id(13),
    capped: false,
  },
  "appraisal.reissue_asked": { rule: "A17", expiredReferencePriceId: id(11), expiredAt: T0, commissionId: id(14), agencyId: id(13), reportDueAt: T1, reportsSetAside: [id(12)] },
  "appraisal.inquiry_reissue_asked": { rule: "A17", expiredReferencePriceId: id(11), expiredAt: T0, newProcedureId: id(15), reportDueAt: T1, platforms: [id(16), id(17)] },
  "appraisal.negotiation_figure_submitted": { partyId: id(2), role: "applicant", amountFen: 340_000_000n },
  "appraisal.directed_inquiry_sent": { requestId: id(15), addresseeKind: "tax_authority", addressee: "国家税务总局北京市朝阳区税务局", priceKind: "tax_base_price", dueAt: T1 },
  "appraisal.directed_answer_recorded": { requestId: id(15), reportId: id(12), valueFen: 320_000_000n, validUntil: T1, sha256: hash("c") },
  "appraisal.online_inquiry_sent": { assetId: id(4), category: "residential", platforms: [id(16), id(17), id(18)], dueAt: T1, ground: "directed_inquiry_failed" },
  "appraisal.inquiry_report_submitted": { requestId: id(19), platformId: id(16), reportId: id(12), valueFen: 330_000_000n, validUntil: T1, sha256: hash("d") },
  "appraisal.inquiry_extension_asked": { requestId: id(19), platformId: id(16) },
  "appraisal.inquiry_report_error_marked": { reportId: id(12), requestId: id(19), note: "面积有误" },
  "appraisal.inquiry_corrections_asked": { requests: [id(19), id(20)], correctionDueAt: T1 },
  "appraisal.inquiry_report_corrected": { requestId: id(19), platformId: id(16), reportId: id(21), replaces: id(12), valueFen: 331_000_000n, validUntil: T1, sha256: hash("e") },
  "appraisal.inquiry_deadline_passed": { outcome: "extended", late: [], extended: [id(19)], extendedUntil: T1, phase: "report" },
  "appraisal.draw_opened": {
    rule: "A13",
    procedureId: id(22),
    algorithm: "sha256-ctr-rotation-v2",
    specialty: "real_estate",
    regionCode: "110105",
    eligibleCount: 7,
    eligibleSha256: hash("1"),
    seedSha256: hash("2"),
    rotationWindowDays: 365,
    entropyCutoffAt: T1,
  },
  "appraisal.draw_rescheduled": { rule: "A24", procedureId: id(22), previousCutoffAt: T0, entropyCutoffAt: T1, suspendedFrom: T0, suspendedMs: 455_400_250 },
  "appraisal.draw_entropy_added": { rule: "P6", partyId: id(2), partyRole: "debtor", value: "8f3a2c" },
  "appraisal.draw_run": {
    rule: "A13",
    procedureId: id(22),
    algorithm: "sha256-ctr-rotation-v2",
    seed: hash("3"),
    seedSha256: hash("2"),
    eligibleSha256: hash("1"),
    entropy: [{ partyId: id(2), value: "8f3a2c" }],
    ranking: [id(13), id(23), id(24)],
  },
  "appraisal.agencies_agreed": { rule: "A13", ranking: [id(13), id(23), id(24)] },
  "appraisal.commission_offered": { rule: "A14", procedureId: id(22), rank: 1, agencyId: id(13), offerExpiresAt: T1 },
  "appraisal.commission_accepted": { rule: "A15", reportDueAt: T1 },
  "appraisal.commission_declined": { rule: "A13", reason: "专业能力不足" },
  "appraisal.commission_unanswered": { rule: "A14", policy: "appraisalOfferAnswerDays", offerExpiresAt: T0 },
  "appraisal.extension_granted": { rule: "A15", grantedBy: "rule", days: 15, reason: "现场勘验延误", previousDueAt: T0, newDueAt: T1, extension: 1 },
  "appraisal.commission_overdue": { rule: "A16", reportDueAt: T0, materialsDueAt: T1, agencyId: id(13) },
  "appraisal.materials_returned": { rule: "A16", late: false },
  "appraisal.report_submitted": {
    rule: "A14",
    procedureId: id(22),
    commissionId: id(14),
    sha256: hash("f"),
    valueFen: 350_000_000n,
    valuationMethod: "市场比较法",
    valuationDate: T0,
    validUntil: T1,
    deliveryDueAt: T1,
  },
  "appraisal.report_delivered": { rule: "A19", late: false, objectionDueAt: T1 },
  "appraisal.report_posted": { rule: "A19", postedAt: T0, deemedServedAt: T1, objectionDueAt: T1, late: true },
  "appraisal.report_defect_marked": { rule: "A18", kind: "scope", note: "未评估附属车位", defectDueAt: T1 },
  "appraisal.report_defect_explained": { rule: "A18", late: false },
  "appraisal.report_defect_corrected": { rule: "A18", late: false, replacedBy: id(25), sha256: hash("9") },
  "appraisal.report_defect_overdue": { rule: "A18", defectDueAt: T0 },
  "appraisal.report_defect_extended": { rule: "A18", previousDueAt: T0, defectDueAt: T1 },
  "appraisal.report_defect_passed_on": { rule: "A18", defectDueAt: T0, commissionId: id(14), agencyId: id(13), materialsDueAt: T1, nextCommissionId: id(15) },
  "appraisal.objection_filed": { rule: "A21", reportId: id(12), partyId: id(2), kind: "technical" },
  "appraisal.objection_forwarded": { rule: "A21", answerDueAt: T1, late: false },
  "appraisal.objection_answered": { rule: "A21" },
  "appraisal.objection_to_technical_review": { rule: "A21", answerDueAt: T0 },
  "appraisal.objection_decided": { rule: "A20", decision: "upheld", reportId: id(12), reportExcluded: true, reopenedCommissionId: id(26) },
  "appraisal.review_requested": { rule: "A20", partyId: id(2), decidedAt: T0, reviewDueAt: T1 },
  "appraisal.review_decided": { rule: "A20", outcome: "rejected", reportId: id(12), reportExcluded: false, reopenedCommissionId: null },
  "escrow.transfer": {
    idempotencyKey: `deposit-paid:${id(13)}`,
    kind: "posted",
    debitAccountId: id(14),
    creditAccountId: id(15),
    amountFen: 5_000_000n,
    purpose: "deposit_paid",
    caseId: id(16),
    lotId: id(17),
  },
  "auction.winner_defaulted": { registrationId: id(18) },
  "escrow.payment_started": { kind: "deposit", gateway: "simulated", registrationId: id(18), lotId: id(17), amountFen: 5_000_000n },
  "escrow.payment_settled": { status: "refused", failureCode: "DEPOSIT_HOLDER_MISMATCH", gatewayEvent: "evt_1" },
  "escrow.deposit_settled": { outcome: "released", amountFen: 5_000_000n, reason: "lost", lotId: id(17) },
  "escrow.balance_due": { registrationId: id(18), priceFen: 100_000_000n, depositAppliedFen: 5_000_000n, amountFen: 95_000_000n, dueAt: T1 },
  "escrow.balance_reminded": { dueAt: T1 },
  "escrow.balance_paid": { paymentId: id(19), amountFen: 95_000_000n },
  "escrow.balance_defaulted": { registrationId: id(18), forfeitedFen: 5_000_000n, dueAt: T1 },
  "escrow.distribution_drafted": { caseId: id(1), totalFen: 100_000_000n, lines: 3, surplusFen: 0n, replaced: false },
  "escrow.distribution_approved": { caseId: id(1), totalFen: 100_000_000n, payouts: 3, payBy: T1 },
  "escrow.distribution_paid": { caseId: id(1), totalFen: 100_000_000n },
  "escrow.fees_recorded": {
    caseId: id(1),
    assetId: id(2),
    advancedByPartyId: id(3),
    dealFen: 80_000_000n,
    fees: [{ id: id(4), kind: "appraisal", basis: "lower_of_value_and_deal", payeeId: id(5), enteredFen: 500_000n, baseFen: 80_000_000n, amountFen: 500_000n, transferId: id(6) }],
  },
};

// Other shapes the same actions take on other paths.
const VARIANTS: { [A in AuditAction]?: AuditData<A>[] } = {
  "appraisal.procedure_failed": [
    { reason: "online_inquiry_failed", method: "online_inquiry", rule: "A8", next: "appraisal" },
    { reason: "negotiation_refused", method: "negotiation", rule: "A3", partyId: id(2), role: "debtor", partyReason: "不同意议价" },
  ],
  "appraisal.reference_price_fixed": [
    { rule: "A10", assetId: id(4), method: "online_inquiry", amountFen: 330_500_000n, validFrom: T0, validUntil: T1, referencePriceId: id(11), saleStartDueAt: T1, used: [id(12), id(21)], excluded: [] },
    { rule: "A4", assetId: id(4), method: "directed_inquiry", amountFen: 320_000_000n, validFrom: T0, validUntil: T1, referencePriceId: id(11), saleStartDueAt: T1, reportId: id(12) },
  ],
  "appraisal.report_submitted": [
    { rule: "A14", procedureId: id(22), inquiryRequestId: id(19), sha256: hash("f"), valueFen: 330_000_000n, valuationMethod: "大数据询价", valuationDate: T0, validUntil: T1, deliveryDueAt: T1 },
  ],
  "appraisal.report_delivered": [{ rule: "A19", late: false, objectionDueAt: null, objectionsAllowed: false }],
};

const actions = Object.keys(AUDIT_EVENTS) as AuditAction[];
/** The event as appendAudit stores it and audit:verify reads it back. */
const stored = (action: AuditAction, data: unknown) => ({ action, entityType: AUDIT_EVENTS[action].entityType, data: JSON.parse(canonicalJson(data)) as Record<string, unknown> });
const examplesOf = (action: AuditAction): unknown[] => [EXAMPLES[action], ...(VARIANTS[action] ?? [])];

describe("AUDIT_EVENTS (P5: every audit event is a listed action with typed data)", () => {
  it.each(actions)("P5: %s accepts its realistic example in stored form", (action) => {
    for (const data of examplesOf(action)) expect(auditEventProblem(stored(action, data))).toBeNull();
  });

  it.each(actions)("P5: %s refuses a field of the wrong type, an extra field and another entity type", (action) => {
    for (const data of examplesOf(action)) {
      const event = stored(action, data);
      for (const key of Object.keys(event.data)) {
        const wrong = { ...event, data: { ...event.data, [key]: { wrong: true } } };
        expect(auditEventProblem(wrong), `${action}.${key}`).toMatch(/^data does not fit: /);
      }
      expect(auditEventProblem({ ...event, data: { ...event.data, unexpected: 1 } })).toMatch(/^data does not fit: /);
      expect(auditEventProblem({ ...event, entityType: "elsewhere" })).toBe(`entity type "elsewhere" is not "${event.entityType}"`);
    }
  });

  it("P5: refuses an action that is not in the table", () => {
    expect(isAuditAction("auction.lot_sold")).toBe(true);
    expect(isAuditAction("test.event")).toBe(false);
    expect(isAuditAction("toString")).toBe(false);
    expect(auditEventProblem({ action: "auction.lot_teleported", entityType: "lot", data: {} })).toBe('unknown action "auction.lot_teleported"');
  });

  it("P5: checks the stored form: fen as a decimal string, instants as UTC ISO strings", () => {
    const sold = stored("auction.lot_sold", EXAMPLES["auction.lot_sold"]);
    expect(sold.data).toMatchObject({ priceFen: "260000000", closedAt: "2026-12-01T08:30:00.250Z" });
    expect(auditEventProblem({ ...sold, data: { ...sold.data, priceFen: 260_000_000 } })).toMatch(/^data does not fit: priceFen/);
    expect(auditEventProblem({ ...sold, data: { ...sold.data, priceFen: "2.6e8" } })).toMatch(/^data does not fit: priceFen/);
    expect(auditEventProblem({ ...sold, data: { ...sold.data, closedAt: "2026-12-01 16:30" } })).toMatch(/^data does not fit: closedAt/);
    expect(auditEventProblem({ ...sold, data: { ...sold.data, bids: -1 } })).toMatch(/^data does not fit: bids/);
  });

  it("P5: refuses a missing field and a rule the action does not apply", () => {
    const { bidId: _, ...noBid } = stored("auction.bid_accepted", EXAMPLES["auction.bid_accepted"]).data;
    expect(auditEventProblem({ action: "auction.bid_accepted", entityType: "lot", data: noBid })).toMatch(/^data does not fit: bidId/);
    const suspended = stored("appraisal.procedure_suspended", EXAMPLES["appraisal.procedure_suspended"]);
    expect(auditEventProblem({ ...suspended, data: { ...suspended.data, rule: "A16" } })).toMatch(/^data does not fit: rule/);
  });

  it("names each action's rules, and every rule an event may record is one of them", () => {
    // The `rule` values a data schema allows (objects, and unions of objects).
    const recordable = (schema: z.ZodType): string[] => {
      if (schema instanceof z.ZodUnion) return schema.options.flatMap((o) => recordable(o as z.ZodType));
      const r = schema instanceof z.ZodObject ? schema.shape.rule : undefined;
      return r instanceof z.ZodEnum ? (r.options as string[]) : [];
    };
    for (const action of actions) {
      const spec = AUDIT_EVENTS[action];
      for (const r of spec.rules) expect(r, action).toMatch(/^[A-IP]\d{1,2}$/);
      for (const r of recordable(spec.data)) expect(spec.rules as readonly string[], action).toContain(r);
    }
    expect(recordable(AUDIT_EVENTS["appraisal.commission_offered"].data)).toEqual(["A13", "A14", "A16"]);
  });
});
