// After the price is paid (E4, E7, E8, ADR 022): the sale ruling (成交裁定), served within 10 days of full payment,
// then the handover within 15 days of service, both on the court's deadlines page. A ruling is refused for a buyer of
// housing who is no longer eligible to buy it (E8). (E4's waivers are recorded at the close: registration.ts.)
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { assets, cases, lots, saleRulings } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { endOfDays, needsHousingEligibility } from "../core/ruleset.ts";
import { checkboxField, plainText } from "../core/validation.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { lotLife, nextLotState, type LotEvent } from "./lifecycle.ts";

/** E7: the ruling is served within 10 days of full payment, the asset handed over within 15 days of service. */
const RULING_DAYS = 10;
const HANDOVER_DAYS = 15;

export const rulingSchema = z.object({
  documentNumber: plainText({ max: 100 }),
  /** E8: for housing, the court has checked that the buyer is still eligible to buy it. */
  buyerEligible: checkboxField,
});
export const handoverSchema = z.object({ note: plainText({ max: 500, multiline: true }) });

type LotRow = typeof lots.$inferSelect;

/** The lot locked, with its ruling's state, for a step of the machine. */
async function lockSoldLot(tx: Tx, lotId: string) {
  const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
  if (!lot || lot.status === "draft") throw new AppError("NOT_FOUND");
  const [ruling] = await tx.select().from(saleRulings).where(eq(saleRulings.lotId, lotId));
  return { lot, ruling };
}

function step(lot: LotRow, ruling: typeof saleRulings.$inferSelect | undefined, now: Date, event: LotEvent, balance: "due" | null = null) {
  const next = nextLotState(lotLife({ ...lot, balance, ruling: ruling ?? null }, now), event);
  if (!next.ok) throw new AppError(next.code);
  return next;
}

/**
 * The price is paid in full (F1, F9): the escrow calls this in the transaction that records it. The ruling falls due
 * at 24:00 of the 10th day (E7). A second call changes nothing.
 */
export async function recordFullPayment(tx: Tx, clock: Clock, lotId: string, balanceWasDue: boolean): Promise<void> {
  const { lot, ruling } = await lockSoldLot(tx, lotId);
  if (ruling) return;
  step(lot, ruling, clock.now(), { type: "paid_in_full" }, balanceWasDue ? "due" : null);
  const dueAt = endOfDays(clock.now(), RULING_DAYS);
  await tx.insert(saleRulings).values({ lotId, paidAt: clock.now(), dueAt });
  await appendAudit(tx, clock, { actorId: null, action: "auction.sale_paid", entityType: "lot", entityId: lotId, data: { rulingDueAt: dueAt } });
}

/** E7, E8: the judge records the ruling's service; refused for a buyer of housing who is no longer eligible. */
export async function serveRuling(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof rulingSchema>): Promise<{ handoverDueAt: Date }> {
  return db.transaction(async (tx) => {
    const { lot, ruling } = await lockSoldLot(tx, lotId);
    authorize(actor, "lots.publish", { courtId: lot.courtId });
    const [asset] = await tx.select({ category: assets.category }).from(assets).where(eq(assets.id, lot.assetId));
    const buyerEligible = !needsHousingEligibility(asset!.category) || input.buyerEligible;
    const now = clock.now();
    step(lot, ruling, now, { type: "serve_ruling", buyerEligible });
    const handoverDueAt = endOfDays(now, HANDOVER_DAYS);
    await tx.update(saleRulings).set({ servedAt: now, servedBy: actor.id, documentNumber: input.documentNumber, handoverDueAt }).where(eq(saleRulings.lotId, lotId));
    await tx.update(lots).set({ seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.ruling_served", entityType: "lot", entityId: lotId, data: { documentNumber: input.documentNumber, handoverDueAt } });
    return { handoverDueAt };
  });
}

/** E7: the asset is handed over to the buyer; the lot's story ends there. */
export async function handOver(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof handoverSchema>): Promise<void> {
  await db.transaction(async (tx) => {
    const { lot, ruling } = await lockSoldLot(tx, lotId);
    authorize(actor, "lots.publish", { courtId: lot.courtId });
    const now = clock.now();
    step(lot, ruling, now, { type: "hand_over" });
    await tx.update(saleRulings).set({ handedOverAt: now, handedOverBy: actor.id, handoverNote: input.note }).where(eq(saleRulings.lotId, lotId));
    await tx.update(lots).set({ seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.handed_over", entityType: "lot", entityId: lotId, data: { note: input.note } });
  });
}

/** The ruling of a lot, for the court's page and the lot's life. */
export async function saleRuling(db: Db, lotId: string) {
  const [row] = await db.select().from(saleRulings).where(eq(saleRulings.lotId, lotId));
  return row ?? null;
}

/** E7: the court's rulings and handovers still to do, soonest first, those past their day marked overdue. */
export async function saleDeadlines(db: Db, clock: Clock, actor: SessionUser) {
  authorize(actor, "cases.manage", { courtId: actor.courtId });
  const rows = await db
    .select({ lotId: lots.id, lotTitle: lots.title, caseId: cases.id, caseNumber: cases.caseNumber, ruling: saleRulings })
    .from(saleRulings)
    .innerJoin(lots, eq(lots.id, saleRulings.lotId))
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(and(eq(lots.courtId, actor.courtId!), eq(lots.status, "sold"), isNull(saleRulings.handedOverAt)));
  const now = clock.now().getTime();
  return rows
    .map(({ ruling, ...lot }) => {
      const served = ruling.servedAt !== null;
      const dueAt = served ? ruling.handoverDueAt! : ruling.dueAt;
      return { ...lot, kind: served ? ("handover" as const) : ("ruling" as const), dueAt, overdue: now > dueAt.getTime() };
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
