import { announcementContent, nextBidFen, ownRegistration, type PublicLot } from "../../auction/index.ts";
import { placeName } from "../../core/regions.ts";
import type { Db } from "../../db/client.ts";
import { can, type SessionUser } from "../../identity/index.ts";
import { fenToYuanInput, toPlain } from "./format.ts";

/** A lot as pages receive it: amounts as fen strings, instants as ISO strings, announcements typed, the place by name. */
export function lotView(lot: PublicLot) {
  const { announcements, ...rest } = lot;
  // While the lot is held: the suspension or stay that holds it (G3: its reason is public).
  const held = lot.status === "suspended" || lot.status === "stayed";
  const currentHold = held ? (lot.interventions.findLast((i) => i.kind === "suspend" || i.kind === "stay") ?? null) : null;
  return toPlain({ ...rest, asset: { ...rest.asset, place: placeName(rest.asset.regionCode) }, currentHold, announcements: announcements.map((a) => ({ ...a, content: announcementContent(a.content) })) });
}

export type LotView = ReturnType<typeof lotView>;

/**
 * What the signed-in bidder needs on a lot page: their own registration (only they may read it, P4),
 * the next valid amount, and a fresh client bid id so that a resubmitted form replays, not re-bids.
 */
export async function bidderState(db: Db, user: SessionUser | null, lot: PublicLot) {
  if (!user || !can(user, "lots.bid")) return null;
  const registration = await ownRegistration(db, user, lot.id);
  return {
    registration: registration && toPlain(registration),
    clientBidId: crypto.randomUUID(),
    nextBidFen: nextBidFen(lot).toString(),
    nextBidYuan: fenToYuanInput(nextBidFen(lot)),
  };
}

export type BidderState = NonNullable<Awaited<ReturnType<typeof bidderState>>>;
