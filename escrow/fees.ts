import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { caseFees, distributionLines, distributions, type FeeBasis, type FeeKind } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { fenField } from "../core/validation.ts";
import { assets, caseParties, cases, lots } from "../auction/index.ts";
import { lotPricing } from "../appraisal/index.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { costAdvanceAccount, feePayeeAccount } from "./accounts.ts";
import { lockAccounts, transfer } from "./ledger.ts";
import { lockLot } from "./locks.ts";
import { appraisalFeeBasis, inquiryFeeShares, reissueFee } from "./rules/fees.ts";

// The fees of an asset's reference price (A26, RP 31–33). The rulebook gives no fee scale: the court enters each fee
// as the agency's or platform's scale (or bill) gives it, and the platform applies A26 to it — the inquiry fee to the
// platform closest to the deal price, split on a tie; the appraisal fee on the lower of the appraised value and the deal
// price, or the actual costs when nothing sold; 30% for a re-issued report. Each fee is recorded for the case as
// advanced by an applicant creditor and borne by the debtor: one ledger transfer from the creditor's advances to the
// payee's fees (the money moved outside the platform), and a distribution repays it to the creditor first (H3).

export type CaseFee = typeof caseFees.$inferSelect;

export const recordFeesSchema = z.strictObject({
  /** The applicant creditor who advanced the fees. */
  advancedByPartyId: z.uuid({ error: "validation.invalid" }),
  /** Online inquiry: the whole inquiry fee. */
  inquiryFeeFen: fenField.optional(),
  /** Appraisal: the fee on the base the platform shows (after a sale), or the agency's actual costs (nothing sold). */
  appraisalFeeFen: fenField.optional(),
  /** Appraisal: the fee a re-issued report (A17) would earn in full; it earns 30% of it. */
  reissueFullFeeFen: fenField.optional(),
});
export type RecordFeesInput = z.output<typeof recordFeesSchema>;

interface PlannedFee {
  kind: FeeKind;
  basis: FeeBasis;
  payeeId: string;
  payeeName: string;
  enteredFen: bigint;
  baseFen: bigint | null;
  amountFen: bigint;
}

/** The lot whose end makes the fees known: the deal price once it sold, null when its sale-off ended unsold (F8). */
async function lotEnd(tx: DbOrTx, lotId: string) {
  const [lot] = await tx
    .select({
      id: lots.id,
      title: lots.title,
      status: lots.status,
      round: lots.round,
      priceFen: lots.currentPriceFen,
      assetId: lots.assetId,
      caseId: assets.caseId,
      caseNumber: cases.caseNumber,
      courtId: cases.courtId,
    })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(eq(lots.id, lotId));
  if (!lot) throw new AppError("NOT_FOUND");
  const sold = lot.status === "sold";
  const unsold = lot.status === "failed" && lot.round === "sale_off";
  return { ...lot, known: sold || unsold, dealFen: sold ? lot.priceFen : null };
}

/** A26 applied to the court's figures and the reports the price rests on; each refusal names the field it concerns. */
function planFees(input: RecordFeesInput, pricing: Awaited<ReturnType<typeof lotPricing>>, dealFen: bigint | null): PlannedFee[] {
  const withPayee = (pricing?.reports ?? []).filter((r) => r.payeeId !== null);
  const method = pricing?.method;
  if ((method !== "online_inquiry" && method !== "appraisal") || withPayee.length === 0) throw new AppError("NO_FEE_BASIS");
  const refuse = (field: keyof RecordFeesInput, message: string) => new AppError("VALIDATION_FAILED", { fields: { [field]: message } });
  if (method === "online_inquiry") {
    if (input.inquiryFeeFen === undefined) throw refuse("inquiryFeeFen", "validation.required");
    if (input.appraisalFeeFen !== undefined) throw refuse("appraisalFeeFen", "validation.invalid");
    if (input.reissueFullFeeFen !== undefined) throw refuse("reissueFullFeeFen", "validation.invalid");
    if (dealFen === null) throw new AppError("INQUIRY_FEE_NEEDS_DEAL");
    const names = new Map(withPayee.map((r) => [r.payeeId!, r.source]));
    const shares = inquiryFeeShares(input.inquiryFeeFen, dealFen, withPayee.map((r) => ({ platformId: r.payeeId!, valueFen: r.valueFen })));
    return shares.map((s) => ({ kind: "inquiry", basis: "closest_to_deal", payeeId: s.platformId, payeeName: names.get(s.platformId)!, enteredFen: input.inquiryFeeFen!, baseFen: null, amountFen: s.amountFen }));
  }
  if (input.appraisalFeeFen === undefined) throw refuse("appraisalFeeFen", "validation.required");
  if (input.inquiryFeeFen !== undefined) throw refuse("inquiryFeeFen", "validation.invalid");
  const report = withPayee[0]!;
  const base = appraisalFeeBasis(report.valueFen, dealFen);
  if (base.baseFen !== null && input.appraisalFeeFen > base.baseFen) throw new AppError("FEE_ABOVE_BASE");
  const agency = { payeeId: report.payeeId!, payeeName: report.source };
  const fees: PlannedFee[] = [{ kind: "appraisal", basis: base.basis, ...agency, enteredFen: input.appraisalFeeFen, baseFen: base.baseFen, amountFen: input.appraisalFeeFen }];
  if (input.reissueFullFeeFen !== undefined) {
    const amountFen = reissueFee(CN_SPC_2016, input.reissueFullFeeFen);
    if (amountFen <= 0n) throw refuse("reissueFullFeeFen", "validation.amount");
    fees.push({ kind: "reissue", basis: "reissue_share", ...agency, enteredFen: input.reissueFullFeeFen, baseFen: null, amountFen });
  }
  return fees;
}

const sameFees = (planned: readonly PlannedFee[], recorded: readonly CaseFee[], partyId: string) =>
  planned.length === recorded.length &&
  planned.every((p) => recorded.some((r) => r.kind === p.kind && r.payeeId === p.payeeId && r.amountFen === p.amountFen && r.enteredFen === p.enteredFen && r.advancedByPartyId === partyId));

/**
 * A26: the judge records the fees of the asset priced for `lotId`, once that lot sold or its sale-off ended unsold.
 * In one transaction: each fee is booked by a ledger transfer (cost_advance → fee_payee), recorded for the case and
 * audited. Idempotent: the same figures again answer with the fees already recorded and write nothing; other figures
 * are refused (FEES_ALREADY_RECORDED).
 */
export async function recordFees(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: RecordFeesInput): Promise<CaseFee[]> {
  return db.transaction(async (tx) => {
    await lockLot(tx, lotId);
    const lot = await lotEnd(tx, lotId);
    authorize(actor, "escrow.distribute", { courtId: lot.courtId });
    if (!lot.known) throw new AppError("FEE_FIGURES_NOT_KNOWN");
    const [creditor] = await tx
      .select({ partyId: caseParties.id, name: caseParties.name })
      .from(caseParties)
      .where(and(eq(caseParties.id, input.advancedByPartyId), eq(caseParties.caseId, lot.caseId), eq(caseParties.role, "applicant")));
    if (!creditor) throw new AppError("NOT_A_CASE_APPLICANT", { fields: { advancedByPartyId: "validation.invalid" } });
    const planned = planFees(input, await lotPricing(tx, lotId), lot.dealFen);
    const recorded = await tx.select().from(caseFees).where(eq(caseFees.assetId, lot.assetId)).orderBy(asc(caseFees.recordedAt), asc(caseFees.kind));
    if (recorded.length > 0) {
      if (!sameFees(planned, recorded, creditor.partyId)) throw new AppError("FEES_ALREADY_RECORDED");
      return recorded;
    }
    const from = await costAdvanceAccount(tx, clock, lot.caseId, creditor);
    const payees = [];
    for (const fee of planned) payees.push(await feePayeeAccount(tx, clock, lot.caseId, { id: fee.payeeId, name: fee.payeeName }));
    await lockAccounts(tx, [from, ...payees]);
    const now = clock.now();
    const rows: CaseFee[] = [];
    for (const [i, fee] of planned.entries()) {
      const booked = await transfer(tx, clock, {
        idempotencyKey: `fee:${lot.assetId}:${fee.kind}:${fee.payeeId}`,
        debit: from,
        credit: payees[i]!,
        amountFen: fee.amountFen,
        purpose: "fee_advanced",
        caseId: lot.caseId,
        lotId,
      });
      const [row] = await tx
        .insert(caseFees)
        .values({ ...fee, caseId: lot.caseId, assetId: lot.assetId, lotId, dealFen: lot.dealFen, advancedByPartyId: creditor.partyId, transferId: booked.id, recordedBy: actor.id, recordedAt: now })
        .returning();
      rows.push(row!);
    }
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "escrow.fees_recorded",
      entityType: "lot",
      entityId: lotId,
      data: {
        caseId: lot.caseId,
        assetId: lot.assetId,
        advancedByPartyId: creditor.partyId,
        dealFen: lot.dealFen,
        fees: rows.map((r) => ({ id: r.id, kind: r.kind, basis: r.basis, payeeId: r.payeeId, enteredFen: r.enteredFen, baseFen: r.baseFen, amountFen: r.amountFen, transferId: r.transferId })),
      },
    });
    return rows;
  });
}

/**
 * H3: the case's fees still owed to the creditors who advanced them: each fee less what approved distributions have
 * repaid of it. A draft distribution puts them first, as execution costs.
 */
export async function outstandingFees(tx: DbOrTx, caseId: string): Promise<{ fee: CaseFee; creditorName: string; owedFen: bigint }[]> {
  const fees = await tx
    .select({ fee: caseFees, creditorName: caseParties.name })
    .from(caseFees)
    .innerJoin(caseParties, eq(caseParties.id, caseFees.advancedByPartyId))
    .where(eq(caseFees.caseId, caseId))
    .orderBy(asc(caseFees.recordedAt), asc(caseFees.id));
  if (fees.length === 0) return [];
  const repaid = await tx
    .select({ feeId: distributionLines.caseFeeId, paidFen: sql<string>`sum(${distributionLines.amountFen})` })
    .from(distributionLines)
    .innerJoin(distributions, eq(distributions.id, distributionLines.distributionId))
    .where(and(inArray(distributionLines.caseFeeId, fees.map((f) => f.fee.id)), ne(distributions.status, "draft")))
    .groupBy(distributionLines.caseFeeId);
  const paid = new Map(repaid.map((r) => [r.feeId, BigInt(r.paidFen)]));
  return fees.map((f) => ({ ...f, owedFen: f.fee.amountFen - (paid.get(f.fee.id) ?? 0n) })).filter((f) => f.owedFen > 0n);
}

/**
 * A26, for the court's fees page: whether the lot's end makes the fees known, the figures they are computed from
 * (the deal price, the reports the price rests on and, for an appraisal after a sale, the base), the case's applicant
 * creditors who may have advanced them, and the fees already recorded for the asset.
 */
export async function lotFees(db: Db, actor: SessionUser, lotId: string) {
  const lot = await lotEnd(db, lotId);
  authorize(actor, "cases.manage", { courtId: lot.courtId });
  const pricing = await lotPricing(db, lotId);
  const reports = (pricing?.reports ?? []).filter((r) => r.payeeId !== null).map((r) => ({ payeeName: r.source, valueFen: r.valueFen }));
  const method = pricing?.method === "online_inquiry" || pricing?.method === "appraisal" ? pricing.method : null;
  const appraisalBase = method === "appraisal" && reports[0] && lot.known ? appraisalFeeBasis(reports[0].valueFen, lot.dealFen) : null;
  const applicants = await db
    .select({ id: caseParties.id, name: caseParties.name })
    .from(caseParties)
    .where(and(eq(caseParties.caseId, lot.caseId), eq(caseParties.role, "applicant")))
    .orderBy(asc(caseParties.name));
  const recorded = await db
    .select({ fee: caseFees, creditorName: caseParties.name })
    .from(caseFees)
    .innerJoin(caseParties, eq(caseParties.id, caseFees.advancedByPartyId))
    .where(eq(caseFees.assetId, lot.assetId))
    .orderBy(asc(caseFees.recordedAt), asc(caseFees.kind));
  return {
    lot: { id: lot.id, title: lot.title, caseId: lot.caseId, caseNumber: lot.caseNumber, courtId: lot.courtId },
    known: lot.known,
    dealFen: lot.dealFen,
    method: reports.length > 0 ? method : null,
    reports,
    appraisalBase,
    applicants,
    recorded: recorded.map((r) => ({ ...r.fee, creditorName: r.creditorName })),
  };
}
