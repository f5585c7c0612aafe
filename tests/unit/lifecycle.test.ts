// The lot's state machine (auction/lifecycle.ts, ADR 022), as a pure function: every legal step with its effects,
// every other step refused with its code, and random event sequences that never leave the legal states.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  FINAL_LOT_STATES,
  HOLD_KEEPS_DEPOSITS_MS,
  LOT_STATES,
  lotLife,
  nextLotState,
  REVOCATION_GROUNDS,
  storedStatus,
  WITHDRAWAL_GROUNDS,
  type LotEvent,
  type LotLife,
  type LotState,
} from "../../auction/lifecycle.ts";
import { LOT_ROUNDS } from "../../db/schema/index.ts";

const life = (state: LotState, extra: Partial<LotLife> = {}): LotLife => ({ state, round: "first", resumesTo: null, depositsReleased: false, ...extra });
const kinds = (step: ReturnType<typeof nextLotState>) => (step.ok ? step.effects.map((e) => e.kind) : step.code);

/** Walks a lot through `events` from a draft, failing on the first illegal step. */
function walk(events: LotEvent[], round: LotLife["round"] = "first"): LotLife {
  let current = life("draft", { round });
  for (const event of events) {
    const step = nextLotState(current, event);
    if (!step.ok) throw new Error(`${event.type} refused in ${current.state}: ${step.code}`);
    current = step.life;
  }
  return current;
}

describe("a lot's life from draft to handover (ADR 022)", () => {
  it("E7: a sold lot goes closed → awaiting balance → paid (ruling due) → ruling served (handover due) → handed over", () => {
    const steps: [LotEvent, LotState, string[]][] = [
      [{ type: "publish" }, "announced", []],
      [{ type: "start_bidding" }, "bidding", []],
      [{ type: "close", sold: true }, "closed_sold", ["settle_deposits", "publish_live"]],
      [{ type: "balance_due" }, "awaiting_balance", []],
      [{ type: "paid_in_full" }, "paid", ["ruling_deadline"]],
      [{ type: "serve_ruling", buyerEligible: true }, "ruling_served", ["handover_deadline"]],
      [{ type: "hand_over" }, "handed_over", []],
    ];
    let current = life("draft");
    for (const [event, state, effects] of steps) {
      const step = nextLotState(current, event);
      expect(step.ok && step.life.state).toBe(state);
      expect(kinds(step)).toEqual(effects);
      if (step.ok) current = step.life;
    }
  });

  it("F9: a sale-off's buyer prepays the full price, so the lot is paid at its close", () => {
    const closed = walk([{ type: "publish" }, { type: "start_bidding" }, { type: "close", sold: true }], "sale_off");
    expect(nextLotState(closed, { type: "paid_in_full" })).toMatchObject({ ok: true, life: { state: "paid" } });
  });

  it("E8: the ruling is refused for a housing buyer no longer eligible, with its own code; the lot stays paid", () => {
    const paid = walk([{ type: "publish" }, { type: "start_bidding" }, { type: "close", sold: true }, { type: "paid_in_full" }]);
    expect(nextLotState(paid, { type: "serve_ruling", buyerEligible: false })).toEqual({ ok: false, code: "RULING_BUYER_INELIGIBLE" });
  });
});

describe("failed auctions and defaults (F4, F6, F8, C8)", () => {
  const failedIn = (round: LotLife["round"]) => nextLotState(life("bidding", { round }), { type: "close", sold: false });

  it("F6: a first auction with no bid fails; the court gets a second auction's draft and every deposit is settled (F1)", () => {
    const step = failedIn("first");
    expect(step).toMatchObject({ ok: true, life: { state: "failed" } });
    expect(step.ok && step.effects).toEqual([{ kind: "settle_deposits" }, { kind: "publish_live", event: "lot:closed" }, { kind: "draft_next_lot", round: "second" }]);
  });

  it("F8: a failed second auction leads to a sale-off draft; F7, F9: a failed sale-off to the offer to creditors", () => {
    const last = (step: ReturnType<typeof failedIn>) => (step.ok ? step.effects.at(-1) : step.code);
    expect(last(failedIn("second"))).toEqual({ kind: "draft_next_lot", round: "sale_off" });
    expect(last(failedIn("sale_off"))).toEqual({ kind: "offer_to_creditors" });
  });

  it("F4, C8: an overdue balance defaults the lot: the deposit is forfeited, the defaulter barred, and a re-auction of the same round drafted", () => {
    const step = nextLotState(life("awaiting_balance", { round: "second" }), { type: "balance_overdue" });
    expect(step).toEqual({
      ok: true,
      life: { state: "defaulted", round: "second", resumesTo: null, depositsReleased: false },
      effects: [{ kind: "forfeit_deposit" }, { kind: "bar_defaulter" }, { kind: "draft_next_lot", round: "second" }],
    });
  });
});

describe("the court's interventions (G1–G7, P2, P15)", () => {
  it("G1, P15: a suspension in bidding freezes the countdown, posts the reason and tells the live page; the deposits stay held", () => {
    const step = nextLotState(life("bidding"), { type: "suspend", by: "court" });
    expect(step).toEqual({
      ok: true,
      life: { state: "suspended", round: "first", resumesTo: "bidding", depositsReleased: false },
      effects: [{ kind: "freeze_countdown" }, { kind: "post_notice" }, { kind: "publish_live", event: "lot:suspended" }],
    });
  });

  it("P2, G6: a hold that lasts its day releases the deposits, once; it can then no longer resume, and is taken down and announced anew", () => {
    for (const state of ["suspended", "stayed"] as const) {
      const expired = nextLotState(life(state, { resumesTo: "bidding" }), { type: "hold_expired" });
      expect(expired).toEqual({ ok: true, life: { state, round: "first", resumesTo: "bidding", depositsReleased: true }, effects: [{ kind: "release_deposits", reason: state }] });
      if (!expired.ok) continue;
      expect(nextLotState(expired.life, { type: "hold_expired" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
      expect(nextLotState(expired.life, { type: "resume" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
      expect(nextLotState(expired.life, { type: "relist" })).toEqual({
        ok: true,
        life: { state: "withdrawn", round: "first", resumesTo: null, depositsReleased: false },
        effects: [{ kind: "post_notice" }, { kind: "draft_next_lot", round: "first" }],
      });
    }
    expect(nextLotState(life("suspended", { resumesTo: "bidding" }), { type: "relist" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
    expect(HOLD_KEEPS_DEPOSITS_MS).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("G2: the platform's suspension for a system fault is reported to the court at once", () => {
    expect(kinds(nextLotState(life("bidding"), { type: "suspend", by: "platform" }))).toContain("report_to_court");
    expect(kinds(nextLotState(life("bidding"), { type: "suspend", by: "court" }))).not.toContain("report_to_court");
  });

  it("G3, P15: a resumption goes back to where the lot was, with its time restored", () => {
    for (const from of ["announced", "bidding"] as const) {
      for (const event of [{ type: "suspend", by: "court" }, { type: "stay" }] as const) {
        const held = nextLotState(life(from), event);
        expect(held.ok).toBe(true);
        if (!held.ok) continue;
        const resumed = nextLotState(held.life, { type: "resume" });
        expect(resumed).toMatchObject({ ok: true, life: { state: from, resumesTo: null } });
        expect(kinds(resumed)).toEqual(["restore_countdown", "post_notice", "publish_live"]);
      }
    }
  });

  it("G5: a lot is withdrawn before its bidding starts (also while held before the start), never after", () => {
    for (const ground of WITHDRAWAL_GROUNDS) expect(nextLotState(life("announced"), { type: "withdraw", ground })).toMatchObject({ ok: true, life: { state: "withdrawn" } });
    expect(nextLotState(life("stayed", { resumesTo: "announced" }), { type: "withdraw", ground: "debt_paid" }).ok).toBe(true);
    expect(nextLotState(life("stayed", { resumesTo: "bidding" }), { type: "withdraw", ground: "debt_paid" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
    expect(nextLotState(life("bidding"), { type: "withdraw", ground: "debt_paid" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
  });

  it("G7, I5, P2: a sale is revoked after the close until the handover; a paid buyer is refunded, deposits released, a re-auction drafted", () => {
    for (const ground of REVOCATION_GROUNDS) expect(nextLotState(life("awaiting_balance"), { type: "revoke", ground }).ok).toBe(true);
    expect(kinds(nextLotState(life("awaiting_balance"), { type: "revoke", ground: "collusion" }))).toEqual(["release_deposits", "post_notice", "draft_next_lot"]);
    expect(kinds(nextLotState(life("paid"), { type: "revoke", ground: "collusion" }))).toEqual(["release_deposits", "refund_buyer", "post_notice", "draft_next_lot"]);
    for (const state of ["announced", "bidding", "failed", "handed_over"] as const) {
      expect(nextLotState(life(state), { type: "revoke", ground: "collusion" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
    }
  });
});

describe("a draft the court withdraws (B11)", () => {
  it("B11: only a draft is discarded, with no effect (nobody registered, nothing was announced); a published lot needs G5's withdrawal", () => {
    expect(nextLotState(life("draft"), { type: "discard" })).toEqual({ ok: true, life: life("withdrawn"), effects: [] });
    for (const state of LOT_STATES.filter((s) => s !== "draft")) {
      expect(nextLotState(life(state, state === "suspended" || state === "stayed" ? { resumesTo: "announced" } : {}), { type: "discard" })).toEqual({ ok: false, code: "LOT_TRANSITION_ILLEGAL" });
    }
  });
});

/** Every event there is (each ground, each flag). */
const ALL_EVENTS: LotEvent[] = [
  { type: "publish" },
  { type: "start_bidding" },
  { type: "close", sold: true },
  { type: "close", sold: false },
  { type: "balance_due" },
  { type: "paid_in_full" },
  { type: "balance_overdue" },
  { type: "suspend", by: "court" },
  { type: "suspend", by: "platform" },
  { type: "stay" },
  { type: "resume" },
  { type: "hold_expired" },
  { type: "relist" },
  { type: "discard" },
  ...WITHDRAWAL_GROUNDS.map((ground) => ({ type: "withdraw", ground }) as const),
  ...REVOCATION_GROUNDS.map((ground) => ({ type: "revoke", ground }) as const),
  { type: "serve_ruling", buyerEligible: true },
  { type: "serve_ruling", buyerEligible: false },
  { type: "hand_over" },
];

/**
 * A step of a random history: mostly one of the events the lot allows now (so histories reach every state), else any
 * event at all (a stale page, a late job), which must be refused without a change.
 */
const anyStep = fc.record({ legal: fc.integer({ min: 0, max: 9 }).map((n) => n < 7), pick: fc.nat() });
function eventFor(current: LotLife, { legal, pick }: { legal: boolean; pick: number }): LotEvent {
  // A discarded draft ends its story at once: taken rarely, so that histories still reach every state.
  const allowed = ALL_EVENTS.filter((e) => nextLotState(current, e).ok && (e.type !== "discard" || pick % 16 === 1));
  const from = legal && allowed.length > 0 ? allowed : ALL_EVENTS;
  // A kind of event first, then one of its variants: seven revocation grounds do not crowd out the payment.
  const types = [...new Set(from.map((e) => e.type))];
  const type = types[pick % types.length]!;
  const variants = from.filter((e) => e.type === type);
  return variants[Math.floor(pick / types.length) % variants.length]!;
}

describe("the lots table today (ADR 022's lotLife)", () => {
  it("a published lot is announced before its start and bidding after it; sold is closed_sold", () => {
    const start = new Date("2026-12-10T02:00:00Z");
    const row = { status: "published" as const, round: "second" as const, biddingStartsAt: start, heldFrom: null, holdDepositsReleasedAt: null };
    expect(lotLife(row, new Date(start.getTime() - 1))).toEqual({ state: "announced", round: "second", resumesTo: null, depositsReleased: false });
    expect(lotLife(row, start).state).toBe("bidding");
    expect(lotLife({ ...row, status: "sold" }, start).state).toBe("closed_sold");
    for (const state of ["draft", "announced", "bidding", "closed_sold", "failed"] as const) expect(lotLife({ ...row, status: storedStatus(state) }, state === "announced" ? new Date(0) : start).state).toBe(state);
    // P15: a held lot resumes where it was held; P2: once its deposits went back it cannot.
    expect(lotLife({ ...row, status: "suspended", heldFrom: "bidding" }, start)).toEqual({ state: "suspended", round: "second", resumesTo: "bidding", depositsReleased: false });
    expect(lotLife({ ...row, status: "stayed", heldFrom: "announced", holdDepositsReleasedAt: start }, start)).toEqual({ state: "stayed", round: "second", resumesTo: "announced", depositsReleased: true });
  });
});

describe("random event sequences (ADR 022)", () => {
  it("every lot stays in a legal state, a refused step changes nothing, final states are final, and money moves at most once", () => {
    const reached = new Set<LotState>();
    const history = () =>
      fc.property(fc.constantFrom(...LOT_ROUNDS), fc.array(anyStep, { minLength: 10, maxLength: 30 }), (round, steps) => {
        let current = life("draft", { round });
        reached.add(current.state);
        const released = { settle: 0, release: 0, forfeit: 0 };
        for (const choice of steps) {
          const before = current;
          const step = nextLotState(current, eventFor(current, choice));
          if (!step.ok) {
            expect(current).toBe(before);
            expect(["LOT_TRANSITION_ILLEGAL", "RULING_BUYER_INELIGIBLE"]).toContain(step.code);
            continue;
          }
          expect(FINAL_LOT_STATES).not.toContain(current.state);
          expect(LOT_STATES).toContain(step.life.state);
          expect(step.life.round).toBe(round);
          // Held lots remember where they resume, and whether their deposits went back; no other state does.
          const held = step.life.state === "suspended" || step.life.state === "stayed";
          expect(step.life.resumesTo !== null).toBe(held);
          if (!held) expect(step.life.depositsReleased).toBe(false);
          for (const effect of step.effects) {
            if (effect.kind === "settle_deposits") released.settle++;
            if (effect.kind === "release_deposits") released.release++;
            if (effect.kind === "forfeit_deposit") released.forfeit++;
          }
          current = step.life;
          reached.add(current.state);
        }
        // A lot's deposits are settled at one close, released by one hold, withdrawal or revocation, and forfeited
        // at one default, which nothing releases afterwards.
        expect(released.settle).toBeLessThanOrEqual(1);
        expect(released.release).toBeLessThanOrEqual(1);
        expect(released.forfeit + released.release).toBeLessThanOrEqual(1);
        expect(released.forfeit).toBeLessThanOrEqual(1);
        if (released.forfeit === 1) expect(current.state).toBe("defaulted");
      });
    // Histories are random (ten steps at least: a handover is eight legal ones from the draft): a far state may be
    // missed by one batch now and then, so batches run until every state was reached (or 10 batches did not reach
    // one, which means it cannot be reached).
    for (let batch = 0; batch < 10 && reached.size < LOT_STATES.length; batch++) fc.assert(history(), { numRuns: 2_000 });
    // The sequences reached every state, so the checks above ran on all of them.
    expect([...reached].sort()).toEqual([...LOT_STATES].sort());
  }, 60_000); // 2,000 histories a batch: seconds on a loaded machine
});
