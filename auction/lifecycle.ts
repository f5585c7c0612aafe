// A lot's life as one state machine (ADR 022): a pure function from a state and an event to the next state and the
// effects the use case carries out in the same transaction (money to move, deadlines to set, notices to publish).
// The use cases never write a lot's state themselves: they ask `nextLotState`, and an illegal step gets
// LOT_TRANSITION_ILLEGAL whatever asked for it (the API, a form, a stale page, a job).
import { REVOCATION_GROUNDS, WITHDRAWAL_GROUNDS, type LotRound, type LotStatus, type RevocationGround, type WithdrawalGround } from "../db/schema/index.ts";

export const LOT_STATES = [
  "draft",
  "announced",
  "bidding",
  "suspended",
  "stayed",
  "closed_sold",
  "awaiting_balance",
  "paid",
  "ruling_served",
  "handed_over",
  "failed",
  "defaulted",
  "withdrawn",
  "revoked",
] as const;
export type LotState = (typeof LOT_STATES)[number];

export { REVOCATION_GROUNDS, WITHDRAWAL_GROUNDS, type RevocationGround, type WithdrawalGround };

/** What the machine knows of a lot. */
export interface LotLife {
  state: LotState;
  round: LotRound;
  /** While suspended or stayed: where the lot goes back to on resumption. Null otherwise. */
  resumesTo: "announced" | "bidding" | null;
  /** While suspended or stayed: the hold outlasted P2's day and the deposits were released. */
  depositsReleased: boolean;
}

export type LotEvent =
  | { type: "publish" }
  /** The clock reached the start of bidding. */
  | { type: "start_bidding" }
  /** The clock reached the close; `sold` when a valid bid leads (E2, E3), else the lot fails (流拍, F6). */
  | { type: "close"; sold: boolean }
  /** The winner's deposit is in escrow and the balance is due (F2, P3). */
  | { type: "balance_due" }
  /** The price is paid in full: the balance landed, or a sale-off's buyer prepaid it (F9). */
  | { type: "paid_in_full" }
  /** The balance's deadline passed unpaid (悔拍, F4). */
  | { type: "balance_overdue" }
  /** 暂缓 by the court (G1), or by the platform for a system fault, reported to the court at once (G2). */
  | { type: "suspend"; by: "court" | "platform" }
  /** 中止 by the court (G1, G4). */
  | { type: "stay" }
  /** The hold has lasted HOLD_KEEPS_DEPOSITS_MS: the deposits are released (P2's 24 hours). */
  | { type: "hold_expired" }
  /** Within G3's 5 days of the cause ending, while the deposits are held. */
  | { type: "resume" }
  /** A hold whose deposits were released cannot resume its bids: the lot is taken down and announced anew. */
  | { type: "relist" }
  | { type: "withdraw"; ground: WithdrawalGround }
  /** B11: the court withdraws a draft nobody published; it ends with nothing public to undo (its row goes). */
  | { type: "discard" }
  | { type: "revoke"; ground: RevocationGround }
  /** 成交裁定 served (E7); refused for a buyer of housing who is no longer eligible (E8). */
  | { type: "serve_ruling"; buyerEligible: boolean }
  | { type: "hand_over" };
export type LotEventType = LotEvent["type"];

export type LotEffect =
  /** P15: keep the bidding time left, and stop the countdown. */
  | { kind: "freeze_countdown" }
  /** P15: the time left at the suspension runs again from now; the new close is announced and scheduled. */
  | { kind: "restore_countdown" }
  /** F1, F2: losers' deposits released within 24 hours, the winner's moved to the case's escrow. */
  | { kind: "settle_deposits" }
  /** P2, G6: every deposit that is not forfeited is released within 24 hours. */
  | { kind: "release_deposits"; reason: "suspended" | "stayed" | "withdrawn" | "revoked" }
  /** P2 on revocation: what the buyer paid towards the price goes back. */
  | { kind: "refund_buyer" }
  /** F4: the defaulter's whole deposit is forfeited and applied in its order. */
  | { kind: "forfeit_deposit" }
  /** C8: the defaulter may not bid for this asset again, under any account with the same ID number or credit code. */
  | { kind: "bar_defaulter" }
  /** F6, F8, C8: the court gets a draft of the asset's next lot. */
  | { kind: "draft_next_lot"; round: LotRound }
  /** F7, F9, F12: a sale-off that failed too: the court may offer the asset to creditors (以物抵债), or release it. */
  | { kind: "offer_to_creditors" }
  /** E7: the ruling is due within 10 days of full payment. */
  | { kind: "ruling_deadline" }
  /** E7: the handover is due within 15 days of the ruling's service. */
  | { kind: "handover_deadline" }
  /** G2: a platform's suspension is reported to the court at once. */
  | { kind: "report_to_court" }
  /** G3, I5: the intervention is posted on the lot's page and its announcement history, and its bidders told. */
  | { kind: "post_notice" }
  /** Watchers of the live page are told at once. */
  | { kind: "publish_live"; event: "lot:suspended" | "lot:resumed" | "lot:closed" };

export type LotStep = { ok: true; life: LotLife; effects: LotEffect[] } | { ok: false; code: "LOT_TRANSITION_ILLEGAL" | "RULING_BUYER_INELIGIBLE" };

/**
 * P2 asks deposits back within 24 hours of a suspension or stay; the release is taken an hour early (for the job's
 * sake). A hold lifted before then keeps its bids and deposits, and resumes with its time left (P15).
 */
export const HOLD_KEEPS_DEPOSITS_MS = 23 * 60 * 60 * 1000;

/** The lot after a failure of its round: the next round's draft (F6: second auction; F8: sale-off; F7/F9 after that). */
function afterFailure(round: LotRound): LotEffect {
  return round === "first" ? { kind: "draft_next_lot", round: "second" } : round === "second" ? { kind: "draft_next_lot", round: "sale_off" } : { kind: "offer_to_creditors" };
}

const illegal: LotStep = { ok: false, code: "LOT_TRANSITION_ILLEGAL" };

/** The states a suspension or stay may interrupt: before and during bidding (G1, G4). */
const interruptible = (state: LotState): state is "announced" | "bidding" => state === "announced" || state === "bidding";

/** A sale can be revoked after the close until the asset is handed over (G7; objections before execution ends). */
const revocable: readonly LotState[] = ["closed_sold", "awaiting_balance", "paid", "ruling_served"];

/** The next state of `life` after `event`, and what must happen with it; or why the step is illegal. */
export function nextLotState(life: LotLife, event: LotEvent): LotStep {
  const to = (state: LotState, effects: LotEffect[] = [], resumesTo: LotLife["resumesTo"] = null, depositsReleased = false): LotStep => ({
    ok: true,
    life: { ...life, state, resumesTo, depositsReleased },
    effects,
  });
  const { state } = life;
  const held = state === "suspended" || state === "stayed";
  switch (event.type) {
    case "publish":
      return state === "draft" ? to("announced") : illegal;
    case "start_bidding":
      return state === "announced" ? to("bidding") : illegal;
    case "close":
      if (state !== "bidding") return illegal;
      return event.sold
        ? to("closed_sold", [{ kind: "settle_deposits" }, { kind: "publish_live", event: "lot:closed" }])
        : to("failed", [{ kind: "settle_deposits" }, { kind: "publish_live", event: "lot:closed" }, afterFailure(life.round)]);
    case "balance_due":
      return state === "closed_sold" ? to("awaiting_balance") : illegal;
    case "paid_in_full":
      return state === "closed_sold" || state === "awaiting_balance" ? to("paid", [{ kind: "ruling_deadline" }]) : illegal;
    case "balance_overdue":
      // The defaulted lot's asset goes to a re-auction of the same round (C8 bars the defaulter from it).
      return state === "awaiting_balance" ? to("defaulted", [{ kind: "forfeit_deposit" }, { kind: "bar_defaulter" }, { kind: "draft_next_lot", round: life.round }]) : illegal;
    case "suspend":
    case "stay": {
      if (!interruptible(state)) return illegal;
      const effects: LotEffect[] = [{ kind: "freeze_countdown" }, { kind: "post_notice" }, { kind: "publish_live", event: "lot:suspended" }];
      if (event.type === "suspend" && event.by === "platform") effects.push({ kind: "report_to_court" });
      return to(event.type === "suspend" ? "suspended" : "stayed", effects, state);
    }
    case "hold_expired":
      if (!held || life.depositsReleased) return illegal;
      return to(state, [{ kind: "release_deposits", reason: state }], life.resumesTo, true);
    case "resume":
      if (!held || life.depositsReleased) return illegal;
      return to(life.resumesTo!, [{ kind: "restore_countdown" }, { kind: "post_notice" }, { kind: "publish_live", event: "lot:resumed" }]);
    case "relist":
      return held && life.depositsReleased ? to("withdrawn", [{ kind: "post_notice" }, { kind: "draft_next_lot", round: life.round }]) : illegal;
    case "withdraw": {
      // G5: before the start only; a lot held before its start may be withdrawn too.
      if (!(state === "announced" || (held && life.resumesTo === "announced"))) return illegal;
      const release: LotEffect[] = life.depositsReleased ? [] : [{ kind: "release_deposits", reason: "withdrawn" }];
      return to("withdrawn", [...release, { kind: "post_notice" }]);
    }
    case "discard":
      return state === "draft" ? to("withdrawn") : illegal;
    case "revoke": {
      if (!revocable.includes(state)) return illegal;
      const effects: LotEffect[] = [{ kind: "release_deposits", reason: "revoked" }, { kind: "post_notice" }, { kind: "draft_next_lot", round: life.round }];
      if (state === "paid" || state === "ruling_served") effects.splice(1, 0, { kind: "refund_buyer" });
      return to("revoked", effects);
    }
    case "serve_ruling":
      if (state !== "paid") return illegal;
      return event.buyerEligible ? to("ruling_served", [{ kind: "handover_deadline" }]) : { ok: false, code: "RULING_BUYER_INELIGIBLE" };
    case "hand_over":
      return state === "ruling_served" ? to("handed_over") : illegal;
  }
}

/** States no event leaves: the lot's story ends there (a next round is a new lot). */
export const FINAL_LOT_STATES: readonly LotState[] = ["handed_over", "failed", "defaulted", "withdrawn", "revoked"];

/**
 * The machine's state of a stored lot (ADR 022). The lots table stores the lot's public outcome; a published lot is
 * announced or bidding by the clock (a lot past its close is still bidding until the close is taken), and a sold lot's
 * progress is its balance's, which the escrow owns (due: awaiting_balance; none yet: closed_sold), then its ruling's
 * (made at full payment: paid; served: ruling_served; handed over). A held lot knows where it resumes (P15).
 */
export function lotLife(lot: StoredLot, now: Date): LotLife {
  if (lot.status === "suspended" || lot.status === "stayed") {
    return { state: lot.status, round: lot.round, resumesTo: lot.heldFrom, depositsReleased: lot.holdDepositsReleasedAt !== null };
  }
  return { state: stateOf(lot, now), round: lot.round, resumesTo: null, depositsReleased: false };
}

function stateOf(lot: StoredLot, now: Date): LotState {
  switch (lot.status) {
    case "published":
      return now.getTime() < lot.biddingStartsAt.getTime() ? "announced" : "bidding";
    case "sold":
      if (lot.ruling?.handedOverAt) return "handed_over";
      if (lot.ruling?.servedAt) return "ruling_served";
      if (lot.ruling || lot.balance === "paid") return "paid";
      return lot.balance === "due" ? "awaiting_balance" : "closed_sold";
    default:
      return lot.status as LotState;
  }
}

/** What lotLife reads of a lot row, and of its balance where the step depends on it. */
export interface StoredLot {
  status: LotStatus;
  round: LotRound;
  biddingStartsAt: Date;
  heldFrom: "announced" | "bidding" | null;
  holdDepositsReleasedAt: Date | null;
  balance?: "due" | "paid" | "defaulted" | "revoked" | null;
  /** E7: the sale's ruling, made when the price is paid in full. */
  ruling?: { servedAt: Date | null; handedOverAt: Date | null } | null;
}

/** The stored status of a machine state: a sold lot's progress after the close lives with its balance. */
export function storedStatus(state: LotState): LotStatus {
  if (state === "announced" || state === "bidding") return "published";
  if (state === "closed_sold" || state === "awaiting_balance" || state === "paid" || state === "ruling_served" || state === "handed_over") return "sold";
  return state;
}
