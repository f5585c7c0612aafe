// 预约看样: the court sets times and places where people may see the asset (B9: it is sold as it stands, and may be
// viewed on request), each with a number of places; signed-in people book one, once per lot, and may cancel; the
// court may call a viewing off, and its bookers are told. The court sees who booked (it lets them in); the public sees only how many places are free (P4: nothing on a lot's
// public page says who takes an interest in it). Bookings are read only here (tests/unit/sealed-reads.test.ts).
import { and, asc, count, eq, gt, isNull, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { lots, lotViewingBookings, lotViewingSlots } from "../db/schema/index.ts";
import { uniqueViolation } from "../db/errors.ts";
import { appendAudit } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { instantField, plainText } from "../core/validation.ts";
import { authorize, can, notify, users, type NewNotice, type SessionUser } from "../identity/index.ts";

/** A booker is reminded a day before the viewing (or at once, when they book later than that). */
export const VIEWING_SOON_MS = 24 * 3_600_000;
/** The most places one viewing may offer: a viewing is a visit, not an open day. */
export const VIEWING_MAX_CAPACITY = 200;

export const viewingSlotSchema = z.object({
  startsAt: instantField,
  endsAt: instantField,
  place: plainText({ max: 200, multiline: true }),
  capacity: z.coerce
    .number({ error: "validation.invalid" })
    .int("validation.viewing.capacity")
    .min(1, "validation.viewing.capacity")
    .max(VIEWING_MAX_CAPACITY, "validation.viewing.capacity"),
});
export type ViewingSlotInput = z.infer<typeof viewingSlotSchema>;

export const viewingBookingSchema = z.object({ slotId: z.uuid({ error: "validation.invalid" }) });

/**
 * The rules of a new viewing over its times (pure): it ends after it starts, starts in the future, and ends before
 * bidding does (a viewing after the close helps no bidder). Field → message key; empty when it may be set.
 */
export function viewingSlotRuleErrors(input: Partial<Pick<ViewingSlotInput, "startsAt" | "endsAt">>, lot: { closesAt: Date }, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.startsAt && input.startsAt.getTime() <= now.getTime()) errors.startsAt = "validation.viewing.past";
  if (input.startsAt && input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime()) errors.endsAt = "validation.viewing.endsBeforeStart";
  else if (input.endsAt && input.endsAt.getTime() > lot.closesAt.getTime()) errors.endsAt = "validation.viewing.afterClose";
  return errors;
}

/** The rules' refusal of a new viewing's times typed right, to report beside the form's other errors (item by item). */
export async function viewingSlotRuleRefusal(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: Partial<ViewingSlotInput>): Promise<AppError | null> {
  const [lot] = await db.select({ courtId: lots.courtId, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lotId));
  if (!lot) throw new AppError("NOT_FOUND");
  authorize(actor, "cases.manage", { courtId: lot.courtId });
  const errors = viewingSlotRuleErrors(input, lot, clock.now());
  return Object.keys(errors).length > 0 ? new AppError("VALIDATION_FAILED", { fields: errors }) : null;
}

/** Court staff add a viewing to a lot of their court, while it is a draft or announced or in bidding. */
export async function addViewingSlot(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: ViewingSlotInput): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const [lot] = await tx.select({ courtId: lots.courtId, status: lots.status, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lotId)).for("update");
    if (!lot) throw new AppError("NOT_FOUND");
    authorize(actor, "cases.manage", { courtId: lot.courtId });
    if (lot.status !== "draft" && lot.status !== "published") throw new AppError("LOT_CLOSED");
    const errors = viewingSlotRuleErrors(input, lot, clock.now());
    if (Object.keys(errors).length > 0) throw new AppError("VALIDATION_FAILED", { fields: errors });
    const [slot] = await tx
      .insert(lotViewingSlots)
      .values({ lotId, startsAt: input.startsAt, endsAt: input.endsAt, place: input.place, capacity: input.capacity, createdBy: actor.id, createdAt: clock.now() })
      .returning({ id: lotViewingSlots.id });
    await appendAudit(tx, clock, {
      actorId: actor.id,
      action: "auction.viewing_slot_added",
      entityType: "lot",
      entityId: lotId,
      data: { slotId: slot!.id, startsAt: input.startsAt, endsAt: input.endsAt, place: input.place, capacity: input.capacity },
    });
    return { id: slot!.id };
  });
}

/** Live bookings of a slot, counted inside the caller's transaction. */
async function takenPlaces(tx: Tx, slotId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(lotViewingBookings)
    .where(and(eq(lotViewingBookings.slotId, slotId), isNull(lotViewingBookings.cancelledAt)));
  return row?.n ?? 0;
}

/**
 * Books a place at a viewing of a published lot. The slot's row is locked while its places are counted, so two
 * people racing for the last place are served one after the other: one gets it, the other VIEWING_FULL. One live
 * booking per person and lot (VIEWING_ALREADY_BOOKED; the partial unique index holds it under any race too).
 */
export async function bookViewing(db: Db, clock: Clock, actor: SessionUser, lotId: string, slotId: string): Promise<{ id: string }> {
  authorize(actor, "lots.viewing");
  try {
    return await db.transaction(async (tx) => {
      const [slot] = await tx
        .select({ id: lotViewingSlots.id, startsAt: lotViewingSlots.startsAt, capacity: lotViewingSlots.capacity, cancelledAt: lotViewingSlots.cancelledAt, status: lots.status })
        .from(lotViewingSlots)
        .innerJoin(lots, eq(lots.id, lotViewingSlots.lotId))
        .where(and(eq(lotViewingSlots.id, slotId), eq(lotViewingSlots.lotId, lotId)))
        .for("update", { of: lotViewingSlots });
      if (!slot || slot.status === "draft") throw new AppError("NOT_FOUND");
      if (slot.status === "suspended" || slot.status === "stayed") throw new AppError("LOT_SUSPENDED");
      if (slot.status !== "published") throw new AppError("LOT_CLOSED");
      if (slot.cancelledAt) throw new AppError("VIEWING_CANCELLED");
      if (slot.startsAt.getTime() <= clock.now().getTime()) throw new AppError("VIEWING_PASSED");
      const [mine] = await tx
        .select({ id: lotViewingBookings.id })
        .from(lotViewingBookings)
        .where(and(eq(lotViewingBookings.lotId, lotId), eq(lotViewingBookings.userId, actor.id), isNull(lotViewingBookings.cancelledAt)));
      if (mine) throw new AppError("VIEWING_ALREADY_BOOKED");
      if ((await takenPlaces(tx, slotId)) >= slot.capacity) throw new AppError("VIEWING_FULL");
      const [booking] = await tx.insert(lotViewingBookings).values({ slotId, lotId, userId: actor.id, createdAt: clock.now() }).returning({ id: lotViewingBookings.id });
      await appendAudit(tx, clock, { actorId: actor.id, action: "auction.viewing_booked", entityType: "lot", entityId: lotId, data: { slotId, bookingId: booking!.id } });
      return { id: booking!.id };
    });
  } catch (error) {
    // The same person booking two viewings of the lot at once: the index lets one in.
    if (uniqueViolation(error) === "lot_viewing_bookings_one_per_lot_idx") throw new AppError("VIEWING_ALREADY_BOOKED");
    throw error;
  }
}

/** The booker cancels their own booking of the lot, before the viewing starts; the place is free again. */
export async function cancelViewing(db: Db, clock: Clock, actor: SessionUser, lotId: string): Promise<void> {
  authorize(actor, "lots.viewing");
  await db.transaction(async (tx) => {
    const [booking] = await tx
      .select({ id: lotViewingBookings.id, slotId: lotViewingBookings.slotId, startsAt: lotViewingSlots.startsAt })
      .from(lotViewingBookings)
      .innerJoin(lotViewingSlots, eq(lotViewingSlots.id, lotViewingBookings.slotId))
      .where(and(eq(lotViewingBookings.lotId, lotId), eq(lotViewingBookings.userId, actor.id), isNull(lotViewingBookings.cancelledAt)))
      .for("update", { of: lotViewingBookings });
    if (!booking) throw new AppError("NOT_FOUND");
    if (booking.startsAt.getTime() <= clock.now().getTime()) throw new AppError("VIEWING_PASSED");
    await tx.update(lotViewingBookings).set({ cancelledAt: clock.now() }).where(eq(lotViewingBookings.id, booking.id));
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.viewing_cancelled", entityType: "lot", entityId: lotId, data: { slotId: booking.slotId, bookingId: booking.id } });
  });
}

/**
 * Court staff call off a viewing that has not started: its live bookings are cancelled with it and each booker is
 * told (a notice through the outbox, ADR 023), in the same transaction.
 */
export async function cancelViewingSlot(db: Db, clock: Clock, actor: SessionUser, lotId: string, slotId: string): Promise<{ bookings: number }> {
  return db.transaction(async (tx) => {
    const [slot] = await tx
      .select({ startsAt: lotViewingSlots.startsAt, cancelledAt: lotViewingSlots.cancelledAt, courtId: lots.courtId })
      .from(lotViewingSlots)
      .innerJoin(lots, eq(lots.id, lotViewingSlots.lotId))
      .where(and(eq(lotViewingSlots.id, slotId), eq(lotViewingSlots.lotId, lotId)))
      .for("update", { of: lotViewingSlots });
    if (!slot) throw new AppError("NOT_FOUND");
    authorize(actor, "cases.manage", { courtId: slot.courtId });
    if (slot.cancelledAt) throw new AppError("VIEWING_CANCELLED");
    if (slot.startsAt.getTime() <= clock.now().getTime()) throw new AppError("VIEWING_PASSED");
    const now = clock.now();
    await tx.update(lotViewingSlots).set({ cancelledAt: now }).where(eq(lotViewingSlots.id, slotId));
    const cancelled = await tx
      .update(lotViewingBookings)
      .set({ cancelledAt: now })
      .where(and(eq(lotViewingBookings.slotId, slotId), isNull(lotViewingBookings.cancelledAt)))
      .returning({ id: lotViewingBookings.id, userId: lotViewingBookings.userId });
    await notify(
      tx,
      clock,
      cancelled.map((b) => ({ userId: b.userId, kind: "viewing_cancelled" as const, lotId, dedupeKey: `viewing_cancelled:${b.id}` })),
    );
    await appendAudit(tx, clock, { actorId: actor.id, action: "auction.viewing_slot_cancelled", entityType: "lot", entityId: lotId, data: { slotId, bookings: cancelled.length } });
    return { bookings: cancelled.length };
  });
}

export interface ViewingSlotView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  capacity: number;
  free: number;
  cancelled: boolean;
}

/** The lot's slots, with their free places: for the public those not over nor called off (`from`), for the court all. */
async function slotsWithPlaces(db: Db, lotId: string, from: Date | null): Promise<ViewingSlotView[]> {
  const taken = db
    .select({ slotId: lotViewingBookings.slotId, n: count().as("n") })
    .from(lotViewingBookings)
    .where(and(eq(lotViewingBookings.lotId, lotId), isNull(lotViewingBookings.cancelledAt)))
    .groupBy(lotViewingBookings.slotId)
    .as("taken");
  const rows = await db
    .select({
      id: lotViewingSlots.id,
      startsAt: lotViewingSlots.startsAt,
      endsAt: lotViewingSlots.endsAt,
      place: lotViewingSlots.place,
      capacity: lotViewingSlots.capacity,
      cancelledAt: lotViewingSlots.cancelledAt,
      taken: taken.n,
    })
    .from(lotViewingSlots)
    .leftJoin(taken, eq(taken.slotId, lotViewingSlots.id))
    .where(and(eq(lotViewingSlots.lotId, lotId), from ? and(gt(lotViewingSlots.endsAt, from), isNull(lotViewingSlots.cancelledAt)) : undefined))
    .orderBy(asc(lotViewingSlots.startsAt), asc(lotViewingSlots.id));
  return rows.map(({ taken: n, cancelledAt, ...slot }) => ({ ...slot, free: Math.max(0, slot.capacity - Number(n ?? 0)), cancelled: cancelledAt !== null }));
}

export interface PublicViewings {
  lotTitle: string;
  /** Viewings not yet over, with free places only: never who booked (P4). */
  slots: ViewingSlotView[];
  /** The viewer's own live booking of this lot, if any. */
  mine: { slotId: string } | null;
  /** Whether the viewer may book (a signed-in member of the public). */
  canBook: boolean;
}

/** A published lot's viewings as anyone sees them, and the viewer's own booking; null for no such lot, or a draft. */
export async function publicViewings(db: Db, clock: Clock, viewer: SessionUser | null, lotId: string): Promise<PublicViewings | null> {
  const [lot] = await db.select({ title: lots.title, status: lots.status }).from(lots).where(eq(lots.id, lotId));
  if (!lot || lot.status === "draft") return null;
  const slots = await slotsWithPlaces(db, lotId, clock.now());
  const [mine] = viewer
    ? await db
        .select({ slotId: lotViewingBookings.slotId })
        .from(lotViewingBookings)
        .where(and(eq(lotViewingBookings.lotId, lotId), eq(lotViewingBookings.userId, viewer.id), isNull(lotViewingBookings.cancelledAt)))
    : [];
  return { lotTitle: lot.title, slots, mine: mine ?? null, canBook: can(viewer, "lots.viewing") };
}

export interface CourtViewingSlot extends ViewingSlotView {
  bookings: { name: string; bookedAt: Date }[];
}

export interface CourtViewings {
  lotTitle: string;
  /** Whether viewings may still be added: the lot is a draft, or announced or in bidding. */
  open: boolean;
  slots: CourtViewingSlot[];
}

/** The court's view of its lot's viewings, past ones included, with who booked each (the court only). */
export async function courtViewings(db: Db, actor: SessionUser, lotId: string): Promise<CourtViewings> {
  const [lot] = await db.select({ courtId: lots.courtId, title: lots.title, status: lots.status }).from(lots).where(eq(lots.id, lotId));
  if (!lot) throw new AppError("NOT_FOUND");
  authorize(actor, "cases.manage", { courtId: lot.courtId });
  const slots = await slotsWithPlaces(db, lotId, null);
  const bookings = await db
    .select({ slotId: lotViewingBookings.slotId, name: users.displayName, bookedAt: lotViewingBookings.createdAt })
    .from(lotViewingBookings)
    .innerJoin(users, eq(users.id, lotViewingBookings.userId))
    .where(and(eq(lotViewingBookings.lotId, lotId), isNull(lotViewingBookings.cancelledAt)))
    .orderBy(asc(lotViewingBookings.createdAt));
  return {
    lotTitle: lot.title,
    open: lot.status === "draft" || lot.status === "published",
    slots: slots.map((s) => ({ ...s, bookings: bookings.filter((b) => b.slotId === s.id).map(({ name, bookedAt }) => ({ name, bookedAt })) })),
  };
}

/** Bookers of viewings of published lots that start within a day: one reminder per booking (its dedupe key). */
export async function viewingReminders(db: Db, clock: Clock): Promise<NewNotice[]> {
  const now = clock.now();
  const rows = await db
    .select({ bookingId: lotViewingBookings.id, userId: lotViewingBookings.userId, lotId: lotViewingBookings.lotId })
    .from(lotViewingBookings)
    .innerJoin(lotViewingSlots, eq(lotViewingSlots.id, lotViewingBookings.slotId))
    .innerJoin(lots, eq(lots.id, lotViewingBookings.lotId))
    .where(and(isNull(lotViewingBookings.cancelledAt), eq(lots.status, "published"), gt(lotViewingSlots.startsAt, now), lte(lotViewingSlots.startsAt, new Date(now.getTime() + VIEWING_SOON_MS))));
  return rows.map((r) => ({ userId: r.userId, kind: "viewing_soon" as const, lotId: r.lotId, dedupeKey: `viewing:${r.bookingId}` }));
}
