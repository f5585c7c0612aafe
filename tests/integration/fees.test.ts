// A26's fees through the real flow: an asset priced by an online inquiry or an appraisal, sold (or left unsold through
// its sale-off), the judge records the fees, the ledger books them as advanced by the creditor, the distribution repays
// them first as execution costs (H3), and the case's fund flow shows them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Database, Db } from "../../db/client.ts";
import { parseOrThrow } from "../../core/validation.ts";
import { auditEvents, caseFees, distributionLines, ledgerAccounts, ledgerTransfers } from "../../db/schema/index.ts";
import {
  approveDistribution,
  caseFundFlow,
  deliverInProcess,
  distributionDraftSchema,
  draftDistribution,
  recordFees as recordParsed,
  recordFeesSchema,
  runEscrowClock,
  verifyLedger,
} from "../../escrow/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { makeCourt } from "../fixtures/auction.ts";
import { appraisalPricedAsset, failThroughSaleOff, inquiryPricedAsset, publishedLot, sellAt } from "../fixtures/fees.ts";
import { payBalance, testGateway } from "../support/payments.ts";
import { codeOf, refusal } from "../support/refusals.ts";

const START = new Date("2026-03-02T02:00:00Z");
let clock: TestClock;
let database: Database;
let db: Db;
beforeEach(async () => {
  // A database per test: an online inquiry goes to every platform listed for the category (A7).
  clock = new TestClock(START);
  database = await createTestDatabase();
  db = database.db;
});
afterEach(() => database?.close());

/** The fees as a form or API client sends them (fen as digits), parsed as a route parses them. */
const recordFees = async (actor: SessionUser, lotId: string, raw: unknown) => recordParsed(db, clock, actor, lotId, parseOrThrow(recordFeesSchema, raw));

/** What recording fees writes: equal before and after a refusal. */
async function footprint() {
  const n = async (table: typeof auditEvents | typeof caseFees | typeof ledgerTransfers) => (await db.select({ n: count() }).from(table))[0]!.n;
  return { audit: await n(auditEvents), fees: await n(caseFees), transfers: await n(ledgerTransfers) };
}

const feesOf = (assetId: string) => db.select().from(caseFees).where(eq(caseFees.assetId, assetId)).orderBy(asc(caseFees.kind), asc(caseFees.payeeId));

describe("the inquiry fee (A26)", () => {
  it("A26: the whole inquiry fee goes to the platform closest to the deal price, booked in the ledger from the creditor's advance to the platform, and audited", async () => {
    // Results ¥1,000,000, ¥1,200,000, ¥1,400,000: the reference price is their mean, ¥1,200,000.
    const w = await inquiryPricedAsset(db, clock, [100_000_000n, 120_000_000n, 140_000_000n]);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 104_000_000n);
    const [fee] = await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "300000" });
    expect(fee).toMatchObject({ kind: "inquiry", basis: "closest_to_deal", payeeId: w.platforms[0]!.platform.id, payeeName: w.platforms[0]!.platform.name, enteredFen: 300_000n, amountFen: 300_000n, dealFen: 104_000_000n, advancedByPartyId: w.applicant.partyId });
    expect(await feesOf(w.assetId)).toHaveLength(1);

    const [booked] = await db.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, fee!.transferId));
    expect(booked).toMatchObject({ kind: "posted", amountFen: 300_000n, purpose: "fee_advanced", caseId: w.caseId, lotId });
    const [from] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, booked!.debitAccountId));
    const [to] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, booked!.creditAccountId));
    expect(from).toMatchObject({ kind: "cost_advance", partyId: w.applicant.partyId, debitsPostedFen: 300_000n, creditsPostedFen: 0n });
    expect(to).toMatchObject({ kind: "fee_payee", holderName: w.platforms[0]!.platform.name, creditsPostedFen: 300_000n });
    expect((await verifyLedger(db)).differences).toEqual([]);

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.entityId, lotId), eq(auditEvents.action, "escrow.fees_recorded")));
    expect(event).toMatchObject({ actorId: w.judge.id, data: expect.objectContaining({ caseId: w.caseId, dealFen: "104000000", advancedByPartyId: w.applicant.partyId }) });
    expect(await db.$count(auditEvents, and(eq(auditEvents.entityId, fee!.transferId), eq(auditEvents.action, "escrow.transfer")))).toBe(1);
  });

  it("A26: two platforms equally close share an odd fen amount: 150,001 and 150,000 fen, the odd fen to the first by id, none lost or created", async () => {
    const w = await inquiryPricedAsset(db, clock, [100_000_000n, 120_000_000n, 140_000_000n]);
    const lotId = await publishedLot(db, clock, w);
    // ¥1,100,000 lies ¥100,000 from both the first and the second result.
    await sellAt(db, clock, lotId, 110_000_000n);
    await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "300001" });
    const tied = [w.platforms[0]!.platform.id, w.platforms[1]!.platform.id].sort();
    const fees = await feesOf(w.assetId);
    expect(fees.map((f) => [f.payeeId, f.amountFen])).toEqual([
      [tied[0], 150_001n],
      [tied[1], 150_000n],
    ]);
    const booked = await db.select().from(ledgerTransfers).where(eq(ledgerTransfers.purpose, "fee_advanced"));
    expect(booked.reduce((s, t) => s + t.amountFen, 0n)).toBe(300_001n);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("A26: when nothing sells there is no deal price to be closest to, so the inquiry fee is refused and nothing is written", async () => {
    const w = await inquiryPricedAsset(db, clock, [100_000_000n, 120_000_000n]);
    const lotId = await publishedLot(db, clock, w);
    const saleOff = await failThroughSaleOff(db, clock, lotId, w.judge);
    const before = await footprint();
    expect(await codeOf(recordFees(w.judge, saleOff, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "300000" }))).toBe("INQUIRY_FEE_NEEDS_DEAL");
    expect(await footprint()).toEqual(before);
  });
});

describe("the appraisal fee (A26)", () => {
  it("A26: after a sale below the appraised value the fee is based on the deal price; a fee above that base is refused and writes nothing; a re-issued report earns 30%", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 95_000_000n);
    const before = await footprint();
    const tooHigh = await refusal(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "95000001" }));
    expect(tooHigh.code).toBe("FEE_ABOVE_BASE");
    expect(await footprint()).toEqual(before);

    await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000", reissueFullFeeFen: "800001" });
    const fees = await feesOf(w.assetId);
    expect(fees.map((f) => ({ kind: f.kind, basis: f.basis, payeeId: f.payeeId, baseFen: f.baseFen, amountFen: f.amountFen }))).toEqual([
      { kind: "appraisal", basis: "lower_of_value_and_deal", payeeId: w.agency.agency.id, baseFen: 95_000_000n, amountFen: 800_000n },
      // 30% of 800,001 fen is 240,000.3: rounded half-up to the fen (P9).
      { kind: "reissue", basis: "reissue_share", payeeId: w.agency.agency.id, baseFen: null, amountFen: 240_000n },
    ]);
  });

  it("A26: after a sale above the appraised value the fee is based on the appraised value", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 120_000_000n);
    expect(await codeOf(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "100000001" }))).toBe("FEE_ABOVE_BASE");
    const [fee] = await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "900000" });
    expect(fee).toMatchObject({ basis: "lower_of_value_and_deal", baseFen: 100_000_000n, dealFen: 120_000_000n, amountFen: 900_000n });
  });

  it("A26: when the sale-off ends unsold the agency is paid its actual costs, booked once the figures are known", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    // Before the end the figures are not known: refused, nothing written.
    const before = await footprint();
    expect(await codeOf(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "350000" }))).toBe("FEE_FIGURES_NOT_KNOWN");
    expect(await footprint()).toEqual(before);
    const saleOff = await failThroughSaleOff(db, clock, lotId, w.judge);
    const [fee] = await recordFees(w.judge, saleOff, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "350000" });
    expect(fee).toMatchObject({ kind: "appraisal", basis: "actual_costs", baseFen: null, dealFen: null, amountFen: 350_000n, lotId: saleOff });
    expect((await verifyLedger(db)).differences).toEqual([]);
  });
});

describe("recording fees: who, what, and once (A26)", () => {
  it("A26: recording the same figures again answers with the fees already recorded and writes nothing; other figures are refused", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 95_000_000n);
    const first = await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" });
    const before = await footprint();
    expect(await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" })).toEqual(first);
    expect(await footprint()).toEqual(before);
    expect(await codeOf(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "700000" }))).toBe("FEES_ALREADY_RECORDED");
    expect(await codeOf(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000", reissueFullFeeFen: "100" }))).toBe("FEES_ALREADY_RECORDED");
    expect(await footprint()).toEqual(before);
  });

  it("A26: two requests recording the same fees at once book them once: both answer with the same fees, one transfer per share, one event", async () => {
    const w = await inquiryPricedAsset(db, clock, [100_000_000n, 120_000_000n]);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 110_000_000n);
    const input = { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "300001" };
    const [a, b] = await Promise.all([recordFees(w.judge, lotId, input), recordFees(w.judge, lotId, input)]);
    expect(a.map((f) => f.id).sort()).toEqual(b.map((f) => f.id).sort());
    expect(await db.$count(ledgerTransfers, eq(ledgerTransfers.purpose, "fee_advanced"))).toBe(2);
    expect(await db.$count(auditEvents, eq(auditEvents.action, "escrow.fees_recorded"))).toBe(1);
    expect((await verifyLedger(db)).differences).toEqual([]);
  });

  it("A26: the fee advancer must be an applicant creditor of the case, the fields must fit the method, and only the case's judges may record; each refusal writes nothing", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    await sellAt(db, clock, lotId, 95_000_000n);
    const before = await footprint();
    expect(await refusal(recordFees(w.judge, lotId, { advancedByPartyId: w.debtor.partyId, appraisalFeeFen: "800000" }))).toMatchObject({ code: "NOT_A_CASE_APPLICANT", fields: { advancedByPartyId: "validation.invalid" } });
    expect(await refusal(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, inquiryFeeFen: "800000" }))).toMatchObject({ code: "VALIDATION_FAILED", fields: { appraisalFeeFen: "validation.required" } });
    expect(await refusal(recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "0" }))).toMatchObject({ code: "VALIDATION_FAILED", fields: { appraisalFeeFen: "validation.amount" } });
    expect(await codeOf(recordFees(w.clerk, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" }))).toBe("FORBIDDEN");
    const other = await makeCourt(db, clock);
    expect(await codeOf(recordFees(other.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" }))).toBe("FORBIDDEN");
    expect(await codeOf(recordFees(w.judge, crypto.randomUUID(), { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" }))).toBe("NOT_FOUND");
    expect(await footprint()).toEqual(before);
  });
});

describe("fees in the distribution and the fund flow (A26, H3)", () => {
  it("H3, A26: the distribution repays the creditor's advanced fees first, as execution costs; a later distribution does not repay them again; the fund flow shows the fee from the creditor to the agency", async () => {
    const w = await appraisalPricedAsset(db, clock, 100_000_000n);
    const lotId = await publishedLot(db, clock, w);
    const buyer = await sellAt(db, clock, lotId, 95_000_000n);
    const gateway = testGateway(db, clock);
    await payBalance(db, clock, buyer, lotId);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
    const [fee] = await recordFees(w.judge, lotId, { advancedByPartyId: w.applicant.partyId, appraisalFeeFen: "800000" });

    const flow = await caseFundFlow(db, clock, w.judge, w.caseId);
    const movement = flow.movements.find((m) => m.purpose === "fee_advanced")!;
    expect(movement).toMatchObject({ amountFen: 800_000n, state: "done", from: { role: "creditor", name: w.applicant.displayName }, to: { role: "fee_payee", name: w.agency.agency.name } });
    expect(flow.check).toEqual({ sumFen: 0n, balanced: true, ledgerAgrees: true });
    // The case's parties see it too.
    expect((await caseFundFlow(db, clock, w.debtor, w.caseId)).movements.some((m) => m.purpose === "fee_advanced")).toBe(true);

    // A creditor's claim larger than what is left: the fee is still repaid in full, before it.
    const draft = await draftDistribution(db, clock, w.judge, w.caseId, parseOrThrow(distributionDraftSchema, { creditors: [{ partyId: w.applicant.partyId, claimFen: "200000000" }] }));
    const lines = await db.select().from(distributionLines).where(eq(distributionLines.distributionId, draft.id)).orderBy(asc(distributionLines.position));
    expect(lines[0]).toMatchObject({ payeeKind: "advanced_costs", partyId: w.applicant.partyId, claimFen: 800_000n, amountFen: 800_000n, caseFeeId: fee!.id });
    expect(lines[1]).toMatchObject({ payeeKind: "creditor", amountFen: 95_000_000n - 800_000n });
    await approveDistribution(db, clock, w.judge, w.caseId, draft.id, gateway.id);
    expect((await verifyLedger(db)).differences).toEqual([]);
    // Repaid once: the escrow is empty, and a fee already repaid would not be drafted again.
    expect(await codeOf(draftDistribution(db, clock, w.judge, w.caseId, parseOrThrow(distributionDraftSchema, {})))).toBe("NOTHING_TO_DISTRIBUTE");
  });
});
