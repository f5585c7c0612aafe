import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { balancesDue, distributionLines, distributions, ledgerAccounts, moneyOut, type PayeeKind } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { fenField, plainText } from "../core/validation.ts";
import { caseParties, cases } from "../auction/index.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { caseEscrowAccount, clearingAccounts, payeeAccount } from "./accounts.ts";
import { available, caseAccounts, caseTransfers, findAccount, lockAccounts, transfer, type Account } from "./ledger.ts";
import { outstandingFees } from "./fees.ts";
import { requestMoneyOut } from "./money-out.ts";
import { allocateDistribution, type Claim } from "./rules/distribution.ts";

// The judge's distribution of a case's escrow (分配方案, H3, H8, P9). A draft allocates the money the escrow holds;
// approving it moves each share to its payee's account and asks the gateway to pay it out (money-out.ts); when every
// payout has landed the distribution is paid. One draft per case at a time: drafting again replaces it.

export type Distribution = typeof distributions.$inferSelect;
export type DistributionLine = typeof distributionLines.$inferSelect;

const creditorLine = z
  .strictObject({
    /** An applicant creditor of the case, by party id; or `name` for a creditor who is not a party. */
    partyId: z.uuid({ error: "validation.invalid" }).optional(),
    name: plainText({ max: 100 }).optional(),
    claimFen: fenField,
    /** A secured creditor's rank (1 is paid first); absent for an ordinary creditor. */
    securedRank: z.union([z.int({ error: "validation.invalid" }).min(1, "validation.invalid").max(20, "validation.invalid"), z.null()]).optional(),
  })
  .refine((c) => (c.partyId === undefined) !== (c.name === undefined), { message: "validation.required", path: ["name"] });

export const distributionDraftSchema = z.strictObject({
  /** Execution costs, paid first (H3). */
  costs: z.array(z.strictObject({ name: plainText({ max: 100 }), claimFen: fenField }), { error: "validation.invalid" }).max(20, "validation.tooMany").default([]),
  creditors: z.array(creditorLine, { error: "validation.invalid" }).max(50, "validation.tooMany").default([]),
});
export type DistributionDraft = z.output<typeof distributionDraftSchema>;

export const approveDistributionSchema = z.strictObject({ distributionId: z.uuid({ error: "validation.invalid" }) });

/** The case, with the court's staff checked for `permission` over it. */
async function courtCase(tx: DbOrTx, actor: SessionUser, caseId: string, permission: "cases.manage" | "escrow.distribute") {
  const [row] = await tx.select({ id: cases.id, courtId: cases.courtId, caseNumber: cases.caseNumber }).from(cases).where(eq(cases.id, caseId));
  if (!row) throw new AppError("NOT_FOUND");
  authorize(actor, permission, { courtId: row.courtId });
  return row;
}

/**
 * The case's escrow, locked, when it may be distributed: it holds money, and no buyer's balance is still due on one
 * of the case's lots (until it is paid or defaulted the amount is not final: a balance paid after a default is refunded
 * from the escrow).
 */
async function distributableEscrow(tx: Tx, caseId: string): Promise<Account> {
  const found = await findAccount(tx, { kind: "case_escrow", owner: caseId });
  const [escrow] = found ? await tx.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, found.id)).for("update") : [];
  if (!escrow || available(escrow) <= 0n) throw new AppError("NOTHING_TO_DISTRIBUTE");
  if ((await tx.$count(balancesDue, and(eq(balancesDue.caseId, caseId), eq(balancesDue.status, "due")))) > 0) throw new AppError("BALANCE_STILL_DUE");
  return escrow;
}

interface PlannedLine {
  payeeKind: PayeeKind;
  payeeName: string;
  partyId: string | null;
  rank: number | null;
  claimFen: bigint;
  /** An advanced_costs line: the fee it repays (A26). */
  caseFeeId?: string;
}

/**
 * The lines in payment order of entry: the fees creditors advanced and are still owed (A26, repaid to them as
 * execution costs), the costs given, then creditors as given; party creditors named from the case.
 */
async function plannedLines(tx: Tx, caseId: string, input: DistributionDraft): Promise<PlannedLine[]> {
  const ids = input.creditors.flatMap((c) => (c.partyId ? [c.partyId] : []));
  const applicants = ids.length
    ? await tx
        .select({ id: caseParties.id, name: caseParties.name })
        .from(caseParties)
        .where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, "applicant"), inArray(caseParties.id, ids)))
    : [];
  const creditors = input.creditors.map((c, i): PlannedLine => {
    const party = c.partyId ? applicants.find((a) => a.id === c.partyId) : null;
    if (c.partyId && !party) throw new AppError("NOT_A_CASE_APPLICANT", { fields: { [`creditors.${i}.partyId`]: "validation.invalid" } });
    const rank = c.securedRank ?? null;
    return { payeeKind: rank === null ? "creditor" : "secured_creditor", payeeName: party?.name ?? c.name!, partyId: party?.id ?? null, rank, claimFen: c.claimFen };
  });
  const costs = input.costs.map((c): PlannedLine => ({ payeeKind: "court_costs", payeeName: c.name, partyId: null, rank: null, claimFen: c.claimFen }));
  const fees = (await outstandingFees(tx, caseId)).map(
    (f): PlannedLine => ({ payeeKind: "advanced_costs", payeeName: f.creditorName, partyId: f.fee.advancedByPartyId, rank: null, claimFen: f.owedFen, caseFeeId: f.fee.id }),
  );
  return [...fees, ...costs, ...creditors];
}

/** H3: how each line is paid: costs first (a creditor's advanced fees are execution costs, A26), then by rank. */
const CLAIM_KIND: Record<PayeeKind, Claim["kind"]> = {
  court_costs: "court_costs",
  advanced_costs: "court_costs",
  secured_creditor: "secured_creditor",
  creditor: "creditor",
  debtor_surplus: "creditor",
};

/** H3: the debtor's surplus is paid to the case's debtor (the first, when the case has several). */
async function debtor(tx: Tx, caseId: string) {
  const [row] = await tx.select({ id: caseParties.id, name: caseParties.name }).from(caseParties).where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, "debtor"))).orderBy(asc(caseParties.name)).limit(1);
  return row ?? { id: null, name: "被执行人" };
}

/**
 * The judge drafts the distribution (H3, P9): the lines are allocated from what the escrow holds now, costs first,
 * secured creditors by rank, ordinary creditors pro rata, any surplus to the debtor. A draft already there is replaced.
 */
export async function draftDistribution(db: Db, clock: Clock, actor: SessionUser, caseId: string, input: DistributionDraft): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    await courtCase(tx, actor, caseId, "escrow.distribute");
    const escrow = await distributableEscrow(tx, caseId);
    const totalFen = available(escrow);
    const planned = await plannedLines(tx, caseId, input);
    const claims: Claim[] = planned.map((l) => ({ kind: CLAIM_KIND[l.payeeKind], claimFen: l.claimFen, rank: l.rank ?? undefined }));
    const { amounts, surplusFen } = allocateDistribution(totalFen, claims);
    const lines = planned.map((l, i) => ({ ...l, amountFen: amounts[i]! }));
    if (surplusFen > 0n) {
      const owner = await debtor(tx, caseId);
      lines.push({ payeeKind: "debtor_surplus", payeeName: owner.name, partyId: owner.id, rank: null, claimFen: 0n, amountFen: surplusFen });
    }
    const [existing] = await tx.select().from(distributions).where(and(eq(distributions.caseId, caseId), eq(distributions.status, "draft"))).for("update");
    const now = clock.now();
    let id: string;
    if (existing) {
      id = existing.id;
      await tx.delete(distributionLines).where(eq(distributionLines.distributionId, id));
      await tx.update(distributions).set({ totalFen, createdBy: actor.id, createdAt: now }).where(eq(distributions.id, id));
    } else {
      id = (await tx.insert(distributions).values({ caseId, status: "draft", totalFen, createdBy: actor.id, createdAt: now }).returning({ id: distributions.id }))[0]!.id;
    }
    await tx.insert(distributionLines).values(lines.map((l, position) => ({ ...l, distributionId: id, position })));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "escrow.distribution_drafted",
      entityType: "distribution",
      entityId: id,
      data: { caseId, totalFen, lines: lines.length, surplusFen, replaced: Boolean(existing) },
    });
    return { id };
  });
}

/**
 * The payee's account of one line: court costs, a creditor (a party's, or the line's own; a creditor's advanced fees
 * are repaid to its account), the debtor's surplus.
 */
function lineAccount(tx: Tx, clock: Clock, caseId: string, line: DistributionLine): Promise<Account> {
  if (line.payeeKind === "court_costs" || line.payeeKind === "debtor_surplus") return payeeAccount(tx, clock, caseId, { kind: line.payeeKind });
  const key = line.partyId ? `party:${line.partyId}` : `line:${line.id}`;
  return payeeAccount(tx, clock, caseId, { kind: "creditor", key, partyId: line.partyId, holderName: line.payeeName });
}

/**
 * The judge approves the draft (H3, H8): in one transaction each share moves from the case's escrow to its payee's
 * account and its payout is requested (reserved, sent by the escrow's sweep); the payouts are due within 30 days.
 * Approving again (a double click, a retry) changes nothing and answers the same.
 */
export async function approveDistribution(db: Db, clock: Clock, actor: SessionUser, caseId: string, distributionId: string, gatewayId: string): Promise<Distribution> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(distributions).where(and(eq(distributions.id, distributionId), eq(distributions.caseId, caseId))).for("update");
    await courtCase(tx, actor, caseId, "escrow.distribute");
    if (!row) throw new AppError("NOT_FOUND");
    if (row.status !== "draft") return row;
    const lines = await tx.select().from(distributionLines).where(eq(distributionLines.distributionId, row.id)).orderBy(asc(distributionLines.position));
    const paid = lines.filter((l) => l.amountFen > 0n);
    const payees = [];
    for (const line of paid) payees.push(await lineAccount(tx, clock, caseId, line));
    const payouts = await clearingAccounts(tx, clock, payees.map((payee) => ({ gatewayId, counterpart: payee })));
    // Every account this approval moves money on, locked in one statement in id order before anything is written
    // (ADR 019); the escrow is then read under its lock, so a balance landing meanwhile is either in it or waits.
    await lockAccounts(tx, [await caseEscrowAccount(tx, clock, caseId), ...payees, ...payouts]);
    const escrow = await distributableEscrow(tx, caseId);
    if (available(escrow) !== row.totalFen) throw new AppError("DISTRIBUTION_OUT_OF_DATE");
    for (const [i, line] of paid.entries()) {
      const payee = payees[i]!;
      await transfer(tx, clock, { idempotencyKey: `distribution:${line.id}`, debit: escrow, credit: payee, amountFen: line.amountFen, purpose: "distribution", caseId });
      await requestMoneyOut(tx, clock, { kind: "payout", key: `payout:${line.id}`, gatewayId, from: payee, amountFen: line.amountFen, payeeName: line.payeeName, purpose: "payout", caseId, distributionLineId: line.id });
    }
    const now = clock.now();
    const payBy = new Date(now.getTime() + CN_SPC_2016.payoutWithinMs);
    const [approved] = await tx.update(distributions).set({ status: "approved", approvedBy: actor.id, approvedAt: now, payBy }).where(eq(distributions.id, row.id)).returning();
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "escrow.distribution_approved",
      entityType: "distribution",
      entityId: row.id,
      data: { caseId, totalFen: row.totalFen, payouts: paid.length, payBy },
    });
    return approved!;
  });
}

/**
 * Approved distributions whose every payout has landed become paid (H8); all of them, or the one a settled payout
 * belongs to. Idempotent: the webhook that settles a payout calls it, and the escrow's sweep catches any it missed.
 */
export async function completeDistributions(db: Db, clock: Clock, distributionLineId?: string): Promise<number> {
  const candidates = distributionLineId
    ? await db.select({ id: distributionLines.distributionId }).from(distributionLines).where(eq(distributionLines.id, distributionLineId))
    : await db.select({ id: distributions.id }).from(distributions).where(eq(distributions.status, "approved"));
  let completed = 0;
  for (const { id } of candidates) {
    await db.transaction(async (tx) => {
      const [row] = await tx.select().from(distributions).where(eq(distributions.id, id)).for("update");
      if (row?.status !== "approved") return;
      const open = await tx
        .select({ id: moneyOut.id })
        .from(moneyOut)
        .innerJoin(distributionLines, eq(distributionLines.id, moneyOut.distributionLineId))
        .where(and(eq(distributionLines.distributionId, id), ne(moneyOut.status, "succeeded")));
      if (open.length > 0) return;
      await tx.update(distributions).set({ status: "paid" }).where(eq(distributions.id, id));
      await appendAudit(tx, clock, { actorId: null, action: "escrow.distribution_paid", entityType: "distribution", entityId: id, data: { caseId: row.caseId, totalFen: row.totalFen } });
      completed++;
    });
  }
  return completed;
}

/** The case's escrow balances (H4, H5): held (available to distribute), on its way in, and reserved on its way out. */
export async function caseEscrowBalance(db: DbOrTx, actor: SessionUser, caseId: string) {
  await courtCase(db, actor, caseId, "cases.manage");
  const escrow = await findAccount(db, { kind: "case_escrow", owner: caseId });
  return { heldFen: escrow ? available(escrow) : 0n, incomingFen: escrow?.creditsPendingFen ?? 0n, outgoingFen: escrow?.debitsPendingFen ?? 0n };
}

/** The case's distributions, newest first, each with its lines and each line's payout (court staff). */
export async function caseDistributions(db: DbOrTx, actor: SessionUser, caseId: string) {
  const theCase = await courtCase(db, actor, caseId, "cases.manage");
  const rows = await db.select().from(distributions).where(eq(distributions.caseId, caseId)).orderBy(desc(distributions.createdAt));
  const ids = rows.map((r) => r.id);
  const lines = ids.length ? await db.select().from(distributionLines).where(inArray(distributionLines.distributionId, ids)).orderBy(asc(distributionLines.position)) : [];
  const lineIds = lines.map((l) => l.id);
  const payouts = lineIds.length
    ? await db
        .select({ lineId: moneyOut.distributionLineId, status: moneyOut.status, attempts: moneyOut.attempts, amountFen: moneyOut.amountFen, updatedAt: moneyOut.updatedAt })
        .from(moneyOut)
        .where(inArray(moneyOut.distributionLineId, lineIds))
    : [];
  // The applicants for enforcement: the creditors a line may name (H3). Named "claimants" so that no read model of
  // the case can be taken for a lot's applicants to bid (P4).
  const claimants = await db.select({ id: caseParties.id, name: caseParties.name, claimFen: caseParties.claimFen }).from(caseParties).where(and(eq(caseParties.caseId, caseId), eq(caseParties.role, "applicant"))).orderBy(asc(caseParties.name));
  const pendingBalances = await db.$count(balancesDue, and(eq(balancesDue.caseId, caseId), eq(balancesDue.status, "due")));
  return {
    theCase,
    escrow: await caseEscrowBalance(db, actor, caseId),
    balanceStillDue: pendingBalances > 0,
    claimants,
    distributions: rows.map((d) => ({
      ...d,
      lines: lines
        .filter((l) => l.distributionId === d.id)
        .map((l) => ({ ...l, payout: payouts.find((p) => p.lineId === l.id) ?? null })),
    })),
  };
}

/**
 * The case's ledger for its case-management system (H5, H6, P14): its accounts with their balances and every
 * transfer with its time, amount, purpose and the kinds of the accounts it moved between. No payer is named (P4).
 */
export async function caseLedger(db: DbOrTx, actor: SessionUser, caseId: string) {
  const theCase = await courtCase(db, actor, caseId, "cases.manage");
  const accounts = await caseAccounts(db, caseId);
  const transfers = await caseTransfers(db, caseId);
  const outside = transfers.flatMap((t) => [t.debitAccountId, t.creditAccountId]).filter((id) => !accounts.some((a) => a.id === id));
  const others = outside.length ? await db.select({ id: ledgerAccounts.id, kind: ledgerAccounts.kind }).from(ledgerAccounts).where(inArray(ledgerAccounts.id, [...new Set(outside)])) : [];
  const kindOf = (id: string) => accounts.find((a) => a.id === id)?.kind ?? others.find((a) => a.id === id)!.kind;
  return {
    caseNumber: theCase.caseNumber,
    accounts: accounts.map((a) => ({
      id: a.id,
      kind: a.kind,
      debitsPostedFen: a.debitsPostedFen,
      creditsPostedFen: a.creditsPostedFen,
      debitsPendingFen: a.debitsPendingFen,
      creditsPendingFen: a.creditsPendingFen,
      balanceFen: a.creditsPostedFen - a.debitsPostedFen,
    })),
    transfers: transfers.map((t) => ({
      id: t.id,
      at: t.createdAt,
      kind: t.kind,
      amountFen: t.amountFen,
      purpose: t.purpose,
      lotId: t.lotId,
      debitAccountId: t.debitAccountId,
      debitKind: kindOf(t.debitAccountId),
      creditAccountId: t.creditAccountId,
      creditKind: kindOf(t.creditAccountId),
    })),
  };
}
