import { and, eq, max } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { assets, cases, lotAnnouncements, lotFiles, lotPriorityHolders, lots, lotViewingSlots, PRIORITY_HOLDER_KINDS } from "../db/schema/index.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { checkboxField, fenField, instantField, plainText } from "../core/validation.ts";
import { authorize, courts, type SessionUser } from "../identity/index.ts";
import { identityNumberField, requireCourtAsset, validReferencePrice } from "./cases.ts";
import { CN_SPC_2016, needsHousingEligibility } from "../core/ruleset.ts";
import { checkLotSetup, checkPartiesNotified, type SetupErrors } from "./rules/lot-setup.ts";
import { B9_WARNINGS } from "./warnings.ts";
import { lotLife, nextLotState, storedStatus } from "./lifecycle.ts";
import { failedRoundOf } from "./next-round.ts";
import { assetTakeover } from "./creditor-takeover.ts";
import { writeLotSearch } from "./search.ts";

export const lotDraftSchema = z.object({
  assetId: z.uuid({ error: "validation.invalid" }),
  title: plainText({ max: 200, multiline: true }),
  startingPriceFen: fenField,
  depositFen: fenField,
  incrementFen: fenField,
  biddingStartsAt: instantField,
  biddingEndsAt: instantField,
  balanceDueDays: z.coerce.number({ error: "validation.invalid" }).int("validation.invalid"),
  panelDecision: plainText({ max: 500, multiline: true }),
  depositAccount: plainText({ max: 500, multiline: true }),
  transferTaxes: plainText({ max: 2000, multiline: true }),
  courtContact: plainText({ max: 500, multiline: true }),
  partiesNotifiedAt: z
    .union([z.literal(""), instantField])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v)),
  /** 可贷款: the court says a buyer may pay with a bank loan; shown on the lot and searchable. */
  loanAvailable: checkboxField,
});
/** As parsed; a caller that says nothing about loans offers none. */
export type LotDraftInput = Omit<z.infer<typeof lotDraftSchema>, "loanAvailable"> & { loanAvailable?: boolean };

export const priorityHolderSchema = z.object({
  name: plainText({ max: 100, multiline: true }),
  identityNumber: identityNumberField,
  rank: z.coerce.number({ error: "validation.invalid" }).int("validation.invalid").min(1, "validation.invalid").max(99, "validation.invalid"),
  kind: z.enum(PRIORITY_HOLDER_KINDS, { error: "validation.required" }),
  basis: plainText({ max: 500, multiline: true }),
});
export type PriorityHolderInput = z.infer<typeof priorityHolderSchema>;

function rulesError(errors: SetupErrors): AppError {
  return new AppError("LOT_RULES_VIOLATED", { fields: errors as Record<string, string> });
}

/**
 * The set-up rules over the fields of a lot form that are valid when others are not: the refusal createLotDraft
 * would give on them (null when they obey every rule), so that the page reports it with the format errors in one
 * round. Reads only.
 */
export async function lotDraftRuleRefusal(db: Db, clock: Clock, actor: SessionUser, assetId: string, valid: Partial<LotDraftInput>): Promise<AppError | null> {
  const { asset } = await requireCourtAsset(db, actor, assetId);
  const now = clock.now();
  const reference = await validReferencePrice(db, asset.id, now);
  const errors = checkLotSetup(CN_SPC_2016, { ...valid, round: "first", announceAt: now }, { category: asset.category, referencePrice: reference });
  return Object.keys(errors).length > 0 ? rulesError(errors) : null;
}

/** Sets up a lot as a draft. Every rule of B3, B5, C1, D2, A23 and P3 is checked now, and again at publication. */
export async function createLotDraft(db: Db, clock: Clock, actor: SessionUser, input: LotDraftInput): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const { asset, theCase } = await requireCourtAsset(tx, actor, input.assetId);
    const now = clock.now();
    const reference = await validReferencePrice(tx, asset.id, now);
    const errors = checkLotSetup(CN_SPC_2016, { ...input, round: "first", announceAt: now }, { category: asset.category, referencePrice: reference });
    if (Object.keys(errors).length > 0) throw rulesError(errors);
    const [court] = await tx.select({ debtorMayBid: courts.debtorMayBid }).from(courts).where(eq(courts.id, theCase.courtId));
    const [row] = await tx
      .insert(lots)
      .values({
        assetId: asset.id,
        courtId: theCase.courtId,
        round: "first",
        status: "draft",
        ruleset: CN_SPC_2016.id,
        title: input.title,
        referencePriceId: reference!.id,
        referencePriceFen: reference!.amountFen,
        startingPriceFen: input.startingPriceFen,
        depositFen: input.depositFen,
        incrementFen: input.incrementFen,
        announceAt: now,
        biddingStartsAt: input.biddingStartsAt,
        biddingEndsAt: input.biddingEndsAt,
        closesAt: input.biddingEndsAt,
        partiesNotifiedAt: input.partiesNotifiedAt,
        panelDecision: input.panelDecision,
        debtorMayBid: court?.debtorMayBid ?? true,
        balanceDueDays: input.balanceDueDays,
        loanAvailable: input.loanAvailable ?? false,
        createdBy: actor.id,
        createdAt: now,
      })
      .returning({ id: lots.id });
    const lotId = row!.id;
    await writeAnnouncement(tx, clock, actor, lotId, 1, announcementContent(input, asset.category), null);
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_drafted", entityType: "lot", entityId: lotId, data: { assetId: asset.id, startingPriceFen: input.startingPriceFen } });
    return { id: lotId };
  });
}

/** The announcement's own text: the disclosures of B8 that are not read from the asset, and the warnings of B9. */
function announcementContent(input: LotDraftInput, category: string) {
  return {
    depositAccount: input.depositAccount,
    transferTaxes: input.transferTaxes,
    courtContact: input.courtContact,
    panelDecision: input.panelDecision,
    housingEligibilityRequired: needsHousingEligibility(category as never),
    warnings: B9_WARNINGS,
  };
}

export type AnnouncementContent = ReturnType<typeof announcementContent>;

async function writeAnnouncement(tx: Tx, clock: Clock, actor: SessionUser, lotId: string, version: number, content: AnnouncementContent, reason: string | null) {
  await tx.insert(lotAnnouncements).values({ lotId, version, content, reason, createdBy: actor.id, createdAt: clock.now() });
}

/** Locks a lot and authorizes `permission` over its court: an unknown id is NOT_FOUND, another court's FORBIDDEN. */
async function lockCourtLot(tx: Tx, actor: SessionUser, lotId: string, permission: "cases.manage" | "lots.publish") {
  const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for("update");
  if (!lot) throw new AppError("NOT_FOUND");
  authorize(actor, permission, { courtId: lot.courtId });
  return lot;
}

export async function addPriorityHolder(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: PriorityHolderInput): Promise<void> {
  await db.transaction(async (tx) => {
    const lot = await lockCourtLot(tx, actor, lotId, "cases.manage");
    if (lot.status !== "draft") throw new AppError("CONFLICT");
    const [dup] = await tx.select({ id: lotPriorityHolders.id }).from(lotPriorityHolders).where(and(eq(lotPriorityHolders.lotId, lotId), eq(lotPriorityHolders.identityNumber, input.identityNumber)));
    if (dup) throw new AppError("CONFLICT", { fields: { identityNumber: "validation.duplicate" } });
    await tx.insert(lotPriorityHolders).values({ lotId, ...input });
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.priority_holder_added", entityType: "lot", entityId: lotId, data: { rank: input.rank } });
  });
}

/**
 * Publishes the announcement now. The set-up rules are checked again against the publication
 * instant (B5: the lead time runs from it) and the parties' notice (B10).
 */
export async function publishLot(db: Db, clock: Clock, actor: SessionUser, lotId: string): Promise<{ closesAt: Date }> {
  return db.transaction(async (tx) => {
    // B11: publishing records the panel's decision, which a judge signs.
    const lot = await lockCourtLot(tx, actor, lotId, "lots.publish");
    const now = clock.now();
    const step = nextLotState(lotLife(lot, now), { type: "publish" });
    if (!step.ok) throw new AppError(step.code);
    // F7: an asset given to a creditor in payment is not auctioned again.
    if (await assetTakeover(tx, lot.assetId)) throw new AppError("ASSET_TAKEN_OVER");
    const [asset] = await tx.select().from(assets).where(eq(assets.id, lot.assetId));
    const reference = await validReferencePrice(tx, lot.assetId, now);
    const errors: SetupErrors & { partiesNotifiedAt?: string } = checkLotSetup(
      CN_SPC_2016,
      { ...lot, announceAt: now },
      { category: asset!.category, referencePrice: reference, failedRound: await failedRoundOf(tx, lot) },
    );
    const notice = checkPartiesNotified(CN_SPC_2016, lot.partiesNotifiedAt, now);
    if (notice) errors.partiesNotifiedAt = notice;
    if (Object.keys(errors).length > 0) throw rulesError(errors);
    const [published] = await tx.update(lots).set({ status: storedStatus(step.life.state), announceAt: now, publishedAt: now, referencePriceId: reference!.id, referencePriceFen: reference!.amountFen, seq: lot.seq + 1 }).where(eq(lots.id, lotId)).returning();
    // From now on the public finds it: a lot has a search row exactly when it is no longer a draft.
    await writeLotSearch(tx, published!);
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_published", entityType: "lot", entityId: lotId, data: { closesAt: lot.closesAt } });
    return { closesAt: lot.closesAt };
  });
}

export const discardDraftSchema = z.object({ reason: plainText({ max: 500, multiline: true }) });

/**
 * B11: until a judge publishes it, a lot is the court's working paper, and the court that drafted it may withdraw it
 * (court staff, as they draft). Nothing of it was public and nobody could register, so it goes with its announcement
 * draft, priority holders, files and viewing times; the audit keeps what it was and why it went. A published lot
 * ends only through G5's withdrawal (withdrawLot), and a next round drafted by the previous one's end stays (it is
 * the only way to that round). Returns the asset, whose page the court goes back to.
 */
export async function discardLotDraft(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof discardDraftSchema>): Promise<{ assetId: string }> {
  return db.transaction(async (tx) => {
    const lot = await lockCourtLot(tx, actor, lotId, "cases.manage");
    const step = nextLotState(lotLife(lot, clock.now()), { type: "discard" });
    if (!step.ok) throw new AppError(step.code);
    // F6, F8: a round drafted when the previous one ended keeps the asset's place in the sequence of rounds.
    if (lot.previousLotId) throw new AppError("LOT_DRAFT_IS_NEXT_ROUND");
    for (const table of [lotAnnouncements, lotPriorityHolders, lotFiles, lotViewingSlots]) await tx.delete(table).where(eq(table.lotId, lotId));
    await tx.delete(lots).where(eq(lots.id, lotId));
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "auction.lot_draft_discarded",
      entityType: "lot",
      entityId: lotId,
      data: { assetId: lot.assetId, round: lot.round, startingPriceFen: lot.startingPriceFen, reason: input.reason },
    });
    return { assetId: lot.assetId };
  });
}

export const draftRevisionSchema = lotDraftSchema.pick({ startingPriceFen: true, depositFen: true, incrementFen: true, biddingStartsAt: true, biddingEndsAt: true, balanceDueDays: true, partiesNotifiedAt: true });
export type DraftRevisionInput = z.infer<typeof draftRevisionSchema>;

/**
 * The court adjusts a draft before publishing it: the drafted next round (F6, F9) most of all. The round's rules are
 * checked as at today; publication checks them again.
 */
export async function reviseLotDraft(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: DraftRevisionInput): Promise<void> {
  await db.transaction(async (tx) => {
    const lot = await lockCourtLot(tx, actor, lotId, "cases.manage");
    if (lot.status !== "draft") throw new AppError("LOT_TRANSITION_ILLEGAL");
    const errors = await draftRuleErrors(tx, lot, input, clock.now());
    if (Object.keys(errors).length > 0) throw rulesError(errors);
    await tx.update(lots).set({ ...input, closesAt: input.biddingEndsAt, seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    const { startingPriceFen, depositFen, biddingStartsAt, biddingEndsAt } = input;
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.lot_draft_revised", entityType: "lot", entityId: lotId, data: { startingPriceFen, depositFen, biddingStartsAt, biddingEndsAt } });
  });
}

/** The set-up rules of a draft's round (F6, F9 for a later round) over what is known of it, as at `now`. */
async function draftRuleErrors(tx: Tx, lot: typeof lots.$inferSelect, facts: Partial<DraftRevisionInput>, now: Date): Promise<SetupErrors> {
  const [asset] = await tx.select({ category: assets.category }).from(assets).where(eq(assets.id, lot.assetId));
  const context = { category: asset!.category, referencePrice: await validReferencePrice(tx, lot.assetId, now), failedRound: await failedRoundOf(tx, lot) };
  return checkLotSetup(CN_SPC_2016, { ...facts, round: lot.round, announceAt: now }, context);
}

/**
 * The rules over the valid fields of a draft's revision form when others are not: the refusal reviseLotDraft would
 * give on them (null when none), so that the page reports it with the format errors in one round. Writes nothing.
 */
export async function lotDraftRevisionRuleRefusal(db: Db, clock: Clock, actor: SessionUser, lotId: string, valid: Partial<DraftRevisionInput>): Promise<AppError | null> {
  return db.transaction(async (tx) => {
    const lot = await lockCourtLot(tx, actor, lotId, "cases.manage");
    if (lot.status !== "draft") return null;
    const errors = await draftRuleErrors(tx, lot, valid, clock.now());
    return Object.keys(errors).length > 0 ? rulesError(errors) : null;
  });
}

export const revisionSchema = z.object({
  depositAccount: plainText({ max: 500, multiline: true }),
  transferTaxes: plainText({ max: 2000, multiline: true }),
  courtContact: plainText({ max: 500, multiline: true }),
  reason: plainText({ max: 500, multiline: true }),
});

/** Editing a published announcement adds a version; every version stays visible (B7). */
export async function reviseAnnouncement(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: z.infer<typeof revisionSchema>): Promise<{ version: number }> {
  return db.transaction(async (tx) => {
    // The announcement is the court's published word: only a judge changes it, as only a judge publishes it.
    const lot = await lockCourtLot(tx, actor, lotId, "lots.publish");
    if (lot.status !== "published") throw new AppError("CONFLICT");
    const [latest] = await tx.select({ v: max(lotAnnouncements.version) }).from(lotAnnouncements).where(eq(lotAnnouncements.lotId, lotId));
    const [current] = await tx.select({ content: lotAnnouncements.content }).from(lotAnnouncements).where(and(eq(lotAnnouncements.lotId, lotId), eq(lotAnnouncements.version, latest!.v!)));
    const version = (latest?.v ?? 0) + 1;
    const { reason, ...changes } = input;
    await writeAnnouncement(tx, clock, actor, lotId, version, { ...(current!.content as AnnouncementContent), ...changes }, reason);
    await tx.update(lots).set({ seq: lot.seq + 1 }).where(eq(lots.id, lotId));
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.announcement_revised", entityType: "lot", entityId: lotId, data: { version, reason } });
    return { version };
  });
}

/** The case a lot belongs to, for pages that show the case number. */
export async function lotCase(db: Db, lotId: string) {
  const [row] = await db
    .select({ caseNumber: cases.caseNumber, caseId: cases.id, enforcementBasis: cases.enforcementBasis })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .where(eq(lots.id, lotId));
  return row ?? null;
}
