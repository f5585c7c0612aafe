// Negotiation between the parties (A3, RP 4): each party submits a figure before the court's deadline;
// when every applicant and every debtor has submitted the same figure, it is the reference price. A party's
// refusal ends the negotiation at once ("negotiation is skipped"); no match by the deadline fails it
// (sweepInquiryDeadlines). Objections to a negotiated price are not accepted (A22).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { negotiationFigures } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { fenField, instantField, parseOrThrow, plainText } from "../core/validation.ts";
import type { SessionUser } from "../identity/index.ts";
import { actingParty, partiesOf } from "./parties.ts";
import { requireOpen } from "./procedures.ts";
import { endWithoutPrice, fixProcedurePrice, judgeAsset, lockMethodProcedure, openProcedure, type Procedure } from "./inquiry.ts";
import { beforeDeadline, defaultValidUntil, negotiationState, type NegotiationState } from "./rules/inquiry.ts";

const RULES = CN_SPC_2016;

export const negotiationSchema = z.object({
  /** The court's deadline for the parties' figures. */
  dueAt: instantField,
  basis: plainText({ max: 1000, multiline: true }),
});

export const negotiationFigureSchema = z.object({ amountFen: fenField });

export const negotiationRefusalSchema = z.object({ reason: plainText({ max: 1000, multiline: true }) });

/** A3: the judge asks the parties to negotiate, with a deadline. Both sides must exist on the case. */
export async function startNegotiation(db: Db, clock: Clock, judge: SessionUser, assetId: string, raw: z.input<typeof negotiationSchema>): Promise<{ procedureId: string; dueAt: Date }> {
  const input = parseOrThrow(negotiationSchema, raw);
  const now = clock.now();
  if (!beforeDeadline(now, input.dueAt)) throw new AppError("VALIDATION_FAILED", { fields: { dueAt: "validation.future" } });
  return db.transaction(async (tx) => {
    const asset = await judgeAsset(tx, judge, assetId);
    const parties = await partiesOf(tx, asset.caseId);
    if (!parties.some((p) => p.role === "applicant") || !parties.some((p) => p.role === "debtor")) throw new AppError("NEGOTIATION_PARTIES_MISSING");
    const procedure = await openProcedure(tx, clock, judge, assetId, { method: "negotiation", basis: input.basis, dueAt: input.dueAt });
    return { procedureId: procedure.id, dueAt: input.dueAt };
  });
}

/** The party the user stands for in the procedure's case, with the procedure locked and still taking figures. */
async function partyInOpenNegotiation(tx: Tx, clock: Clock, user: SessionUser, procedureId: string) {
  const procedure = await lockMethodProcedure(tx, procedureId, "negotiation");
  const party = await actingParty(tx, user, procedure.caseId, "NOT_A_PARTY");
  requireOpen(procedure);
  if (!procedure.dueAt || !beforeDeadline(clock.now(), procedure.dueAt)) throw new AppError("DEADLINE_PASSED");
  return { procedure, party };
}

export type FigureResult = { state: NegotiationState; referencePriceId: string | null };

/**
 * A3: a party's figure (a later one replaces its earlier one) before the deadline. When all parties' figures
 * match, the price is fixed at once, valid for the longest A23 allows.
 */
export async function submitNegotiationFigure(db: Db, clock: Clock, user: SessionUser, procedureId: string, raw: z.input<typeof negotiationFigureSchema>): Promise<FigureResult> {
  const input = parseOrThrow(negotiationFigureSchema, raw);
  return db.transaction(async (tx) => {
    const { procedure, party } = await partyInOpenNegotiation(tx, clock, user, procedureId);
    const now = clock.now();
    await tx
      .insert(negotiationFigures)
      .values({ procedureId, partyId: party.id, amountFen: input.amountFen, submittedBy: user.id, submittedAt: now })
      .onConflictDoUpdate({ target: [negotiationFigures.procedureId, negotiationFigures.partyId], set: { amountFen: input.amountFen, submittedBy: user.id, submittedAt: now } });
    await appendAudit(tx, clock, {
      actorId: user.id,
      action: "appraisal.negotiation_figure_submitted",
      entityType: "price_procedure",
      entityId: procedureId,
      data: { partyId: party.id, role: party.role, amountFen: input.amountFen },
    });
    const state = await currentState(tx, procedure);
    if (state.kind !== "matched") return { state, referencePriceId: null };
    const fixed = await fixProcedurePrice(tx, clock, procedure, {
      method: "negotiation",
      amountFen: state.amountFen,
      documentTitle: "当事人议价结果",
      validUntil: defaultValidUntil(now, RULES),
      actorId: user.id,
      rule: "A3",
    });
    return { state, referencePriceId: fixed.referencePriceId };
  });
}

async function currentState(tx: Tx, procedure: Procedure): Promise<NegotiationState> {
  const parties = await partiesOf(tx, procedure.caseId);
  const figures = await tx.select({ partyId: negotiationFigures.partyId, amountFen: negotiationFigures.amountFen }).from(negotiationFigures).where(eq(negotiationFigures.procedureId, procedure.id));
  return negotiationState(
    parties.map((p) => p.id),
    figures,
  );
}

/** A3 (RP 4): a party refuses to negotiate; the negotiation is skipped at once and the court moves on (A4). */
export async function refuseNegotiation(db: Db, clock: Clock, user: SessionUser, procedureId: string, raw: z.input<typeof negotiationRefusalSchema>): Promise<void> {
  const input = parseOrThrow(negotiationRefusalSchema, raw);
  await db.transaction(async (tx) => {
    const { procedure, party } = await partyInOpenNegotiation(tx, clock, user, procedureId);
    await endWithoutPrice(tx, clock, procedure, user.id, "negotiation_refused", { rule: "A3", partyId: party.id, role: party.role, partyReason: input.reason });
  });
}

