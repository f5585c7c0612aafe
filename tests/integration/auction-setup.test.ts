import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { lotAnnouncements, lots, type AssetCategory } from "../../db/schema/index.ts";
import {
  addParty,
  addPriorityHolder,
  applyForLot,
  B9_WARNINGS,
  closeLot,
  createAsset,
  createCase,
  createLotDraft,
  getPublicLot,
  listPublicLots,
  lotDraftSchema,
  placeBid,
  publishLot,
  recordReferencePrice,
  reviseAnnouncement,
  silentPublisher,
  type LotPhase,
} from "../../auction/index.ts";
import type { LotDraftInput } from "../../auction/lots.ts";
import { addMonths } from "../../core/ruleset.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, lotDraftInput, makeBidder, makeCourt, makePublishedLot, residentId } from "../fixtures/auction.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const at = (ms: number) => new Date(clock.now().getTime() + ms);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

let caseSerial = 100_000 + Math.floor(Math.random() * 800_000);

/** A court with a judge and a clerk, a case, an asset and (unless `reference: null`) a reference price. */
async function makeAsset(
  db: Db,
  options: { category?: AssetCategory; reference?: { amountFen?: bigint; validFrom?: Date; validUntil?: Date } | null } = {},
) {
  const { court, judge, clerk } = await makeCourt(db, clock);
  const theCase = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${++caseSerial}号`, enforcementBasis: "（2025）京0105民初100号民事判决书" });
  const asset = await createAsset(db, clock, judge, theCase.id, assetInput(clock.now(), options.category));
  if (options.reference !== null) {
    const r = options.reference ?? {};
    await recordReferencePrice(db, clock, judge, asset.id, {
      method: "negotiation",
      amountFen: r.amountFen ?? 100_000_000n,
      documentTitle: "议价记录",
      validFrom: r.validFrom ?? at(-DAY),
      validUntil: r.validUntil ?? at(300 * DAY),
    });
  }
  return { court, judge, clerk, caseId: theCase.id, assetId: asset.id };
}

/** A draft that obeys every rule for a ¥1,000,000.00 reference price, announced now. */
const draft = (assetId: string, over: Partial<LotDraftInput> = {}): LotDraftInput => lotDraftInput(assetId, clock.now(), over);

async function countRows(db: Db) {
  const [l] = await db.select({ n: count() }).from(lots);
  const [a] = await db.select({ n: count() }).from(lotAnnouncements);
  return { lots: l!.n, announcements: a!.n };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to be refused").toBeInstanceOf(AppError);
  return error as AppError;
}

/** The call is refused with LOT_RULES_VIOLATED naming exactly `fields`, and writes no lot. */
async function expectRulesViolated(db: Db, run: () => Promise<unknown>, fields: Record<string, string>) {
  const before = await countRows(db);
  const error = await caught(run());
  expect(error.code).toBe("LOT_RULES_VIOLATED");
  expect(error.fields).toEqual(fields);
  expect(await countRows(db)).toEqual(before);
}

async function statusOf(db: Db, lotId: string) {
  const [row] = await db.select({ status: lots.status }).from(lots).where(eq(lots.id, lotId));
  return row?.status;
}

describe("createLotDraft: the set-up rules at the publication instant", () => {
  it("B3, P9: the starting price may equal 70% of the reference price rounded up to the fen, not one fen less", async () => {
    const { db } = database;
    // 70% of 100,000,001 fen is 70,000,000.7 fen: the floor is 70,000,001 fen.
    const { clerk, assetId } = await makeAsset(db, { reference: { amountFen: 100_000_001n } });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: 70_000_000n })), {
      startingPriceFen: "lot.error.startingBelowFloor",
    });
    const ok = await createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: 70_000_001n }));
    expect(await statusOf(db, ok.id)).toBe("draft");
  });

  it("C1, P9: the deposit is accepted at 5% (rounded up) and 20% (rounded down) of the starting price, refused one fen outside", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db, { reference: { amountFen: 100_000_001n } });
    const start = 70_000_001n; // 5% = 3,500,000.05 → 3,500,001; 20% = 14,000,000.2 → 14,000,000
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: start, depositFen: 3_500_000n })), {
      depositFen: "lot.error.depositBelowMin",
    });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: start, depositFen: 14_000_001n })), {
      depositFen: "lot.error.depositAboveMax",
    });
    await createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: start, depositFen: 3_500_001n }));
    await createLotDraft(db, clock, clerk, draft(assetId, { startingPriceFen: start, depositFen: 14_000_000n }));
  });

  it("D2: bidding may last exactly 24 hours, not 24 hours less 1 ms", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db);
    const biddingStartsAt = at(31 * DAY);
    await expectRulesViolated(
      db,
      () => createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt, biddingEndsAt: new Date(biddingStartsAt.getTime() + 24 * HOUR - 1) })),
      { biddingEndsAt: "lot.error.biddingTooShort" },
    );
    await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt, biddingEndsAt: new Date(biddingStartsAt.getTime() + 24 * HOUR) }));
  });

  it("B5: real property needs 30 days from the announcement (now) to bidding; 30 days less 1 ms is refused", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db, { category: "commercial" });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(30 * DAY - 1) })), {
      biddingStartsAt: "lot.error.announcementTooLate",
    });
    await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(30 * DAY) }));
  });

  it("B5: movables need 15 days from the announcement to bidding; 15 days less 1 ms is refused", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db, { category: "vehicle" });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(15 * DAY - 1) })), {
      biddingStartsAt: "lot.error.announcementTooLate",
    });
    await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(15 * DAY) }));
  });
});

describe("A23: the reference price must be valid", () => {
  it("A23: an asset without a reference price cannot get a lot", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db, { reference: null });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId)), { referencePrice: "lot.error.noReferencePrice" });
  });

  it("A23: a reference price that expired 1 ms ago is not valid; one expiring at this very instant still is", async () => {
    const { db } = database;
    const expired = await makeAsset(db, { reference: { validFrom: at(-100 * DAY), validUntil: at(-1) } });
    await expectRulesViolated(db, () => createLotDraft(db, clock, expired.clerk, draft(expired.assetId)), { referencePrice: "lot.error.noReferencePrice" });
    const lastInstant = await makeAsset(db, { reference: { validFrom: at(-100 * DAY), validUntil: at(0) } });
    await createLotDraft(db, clock, lastInstant.clerk, draft(lastInstant.assetId));
  });

  it("A23: a reference price that becomes valid only 1 ms from now is not yet valid", async () => {
    const { db } = database;
    const { clerk, assetId } = await makeAsset(db, { reference: { validFrom: at(1), validUntil: at(300 * DAY) } });
    await expectRulesViolated(db, () => createLotDraft(db, clock, clerk, draft(assetId)), { referencePrice: "lot.error.noReferencePrice" });
  });

  it("A23: the sale may end exactly 6 months after the reference price expires, not 1 ms later", async () => {
    const { db } = database;
    const validUntil = at(DAY);
    const { clerk, assetId } = await makeAsset(db, { reference: { validUntil } });
    const limit = addMonths(validUntil, 6);
    const late = new Date(limit.getTime() + 1);
    await expectRulesViolated(
      db,
      () => createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: new Date(late.getTime() - 24 * HOUR), biddingEndsAt: late })),
      { referencePrice: "lot.error.saleAfterGrace" },
    );
    await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: new Date(limit.getTime() - 24 * HOUR), biddingEndsAt: limit }));
  });

  it("A23: a draft whose reference price has expired by the time of publication is not published", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db, { reference: { validUntil: at(2 * DAY) } });
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(40 * DAY) }));
    clock.advance(2 * DAY + 1);
    const error = await caught(publishLot(db, clock, judge, lot.id));
    expect(error.code).toBe("LOT_RULES_VIOLATED");
    expect(error.fields).toEqual({ referencePrice: "lot.error.noReferencePrice" });
    expect(await statusOf(db, lot.id)).toBe("draft");
  });

  it("A23: a reference price is valid for at most 1 year: a validity of 1 year is recorded, 1 year and 1 ms is refused", async () => {
    const { db } = database;
    const { judge, assetId } = await makeAsset(db, { reference: null });
    const validFrom = clock.now();
    const oneYear = addMonths(validFrom, 12);
    await recordReferencePrice(db, clock, judge, assetId, { method: "negotiation", amountFen: 100_000_000n, documentTitle: "议价记录", validFrom, validUntil: oneYear });
    const error = await caught(
      recordReferencePrice(db, clock, judge, assetId, {
        method: "negotiation",
        amountFen: 100_000_000n,
        documentTitle: "议价记录",
        validFrom,
        validUntil: new Date(oneYear.getTime() + 1),
      }),
    );
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toHaveProperty("validUntil");
  });
});

describe("B10: the parties are notified at least 3 days before the announcement", () => {
  it("B10: notified 3 days less 1 ms before publication → refused; 1 ms later (exactly 3 days) the same draft publishes", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { partiesNotifiedAt: at(-3 * DAY + 1) }));
    const error = await caught(publishLot(db, clock, judge, lot.id));
    expect(error.code).toBe("LOT_RULES_VIOLATED");
    expect(error.fields).toEqual({ partiesNotifiedAt: "lot.error.partiesNotifiedTooLate" });
    expect(await statusOf(db, lot.id)).toBe("draft");
    expect(await getPublicLot(db, clock, lot.id)).toBeNull();

    clock.advance(1);
    await publishLot(db, clock, judge, lot.id);
    expect(await statusOf(db, lot.id)).toBe("published");
  });

  it("B10: notified exactly 3 days before publication → published", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { partiesNotifiedAt: at(-3 * DAY) }));
    await publishLot(db, clock, judge, lot.id);
    const view = await getPublicLot(db, clock, lot.id);
    expect(view?.status).toBe("published");
    expect(view?.announceAt.getTime()).toBe(clock.now().getTime());
    expect(view?.partiesNotifiedAt?.getTime()).toBe(at(-3 * DAY).getTime());
  });

  it("B10: a draft whose parties were never notified cannot be published", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { partiesNotifiedAt: null }));
    const error = await caught(publishLot(db, clock, judge, lot.id));
    expect(error.code).toBe("LOT_RULES_VIOLATED");
    expect(error.fields).toEqual({ partiesNotifiedAt: "lot.error.partiesNotNotified" });
    expect(await statusOf(db, lot.id)).toBe("draft");
  });

  it("B5, B10: publishing re-checks the lead time against the publication instant", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { biddingStartsAt: at(30 * DAY) }));
    clock.advance(1);
    const error = await caught(publishLot(db, clock, judge, lot.id));
    expect(error.code).toBe("LOT_RULES_VIOLATED");
    expect(error.fields).toEqual({ biddingStartsAt: "lot.error.announcementTooLate" });
    expect(await statusOf(db, lot.id)).toBe("draft");
  });
});

describe("the lot's life (ADR 022)", () => {
  it("ADR 022: publishing a lot that is already published is refused LOT_TRANSITION_ILLEGAL and writes nothing", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const before = await db.select().from(lots).where(eq(lots.id, lot.lotId));
    const error = await caught(publishLot(db, clock, lot.judge, lot.lotId));
    expect(error.code).toBe("LOT_TRANSITION_ILLEGAL");
    expect(await db.select().from(lots).where(eq(lots.id, lot.lotId))).toEqual(before);
  });
});

describe("B7, B8: announcement versions and disclosures", () => {
  it("B7, B8: revising a published announcement adds version 2; both versions are public, newest first", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const before = await getPublicLot(db, clock, lot.lotId);
    expect(before?.announcements.map((a) => a.version)).toEqual([1]);

    const revised = await reviseAnnouncement(db, clock, lot.judge, lot.lotId, {
      depositAccount: "测试法院执行款专户（更正）",
      transferTaxes: "买受人承担全部税费",
      courtContact: "010-87654321",
      reason: "更正保证金账户",
    });
    expect(revised).toEqual({ version: 2 });

    const view = await getPublicLot(db, clock, lot.lotId);
    expect(view?.announcements.map((a) => a.version)).toEqual([2, 1]);
    const [v2, v1] = view!.announcements;
    expect(v2!.reason).toBe("更正保证金账户");
    expect(v2!.content).toMatchObject({ depositAccount: "测试法院执行款专户（更正）", transferTaxes: "买受人承担全部税费", courtContact: "010-87654321", warnings: [...B9_WARNINGS] });
    expect(v1!.reason).toBeNull();
    expect(v1!.content).toMatchObject({ depositAccount: "测试法院执行款专户", transferTaxes: "买卖双方各自承担", courtContact: "010-12345678", warnings: [...B9_WARNINGS] });
    expect(v1).toEqual(before!.announcements[0]);
  });

  it("B7: a draft has no announcement to revise (CONFLICT); nothing is added", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId));
    const before = await countRows(db);
    const error = await caught(reviseAnnouncement(db, clock, judge, lot.id, { depositAccount: "x", transferTaxes: "x", courtContact: "x", reason: "x" }));
    expect(error.code).toBe("CONFLICT");
    expect(await countRows(db)).toEqual(before);
  });

  it("B8, B9, P16: the public lot shows the judgment, pricing basis, priority holders by kind and rank (no names or ID numbers before the close), notice date, deposit account, taxes, contact and warnings", async () => {
    const { db } = database;
    const holderId = residentId();
    const lot = await makePublishedLot(db, clock, { priorityHolders: [{ name: "优先购买权人甲", identityNumber: holderId, rank: 1 }] });
    const view = (await getPublicLot(db, clock, lot.lotId))!;
    expect(view.enforcementBasis).toBe("（2025）京0105民初100号民事判决书");
    expect(view.reference).toMatchObject({ method: "negotiation", amountFen: 100_000_000n, documentTitle: "议价记录" });
    expect(view.priorityHolders).toEqual([{ rank: 1, kind: "co_owner" }]);
    expect(view.partiesNotifiedAt).toBeInstanceOf(Date);
    expect(view.announcements[0]!.content).toMatchObject({ depositAccount: "测试法院执行款专户", transferTaxes: "买卖双方各自承担", courtContact: "010-12345678", warnings: [...B9_WARNINGS] });
    expect(JSON.stringify(view, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(holderId);
    expect(JSON.stringify(view, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain("优先购买权人甲");
  });
});

describe("B11: the collegial panel's decision; who may draft and publish", () => {
  it("B11: the schema requires the panel decision (missing or blank → panelDecision error)", () => {
    const base = { ...draft("00000000-0000-4000-8000-000000000000"), startingPriceFen: "70000000", depositFen: "7000000", incrementFen: "100000" };
    expect(lotDraftSchema.safeParse(base).success).toBe(true);
    for (const panelDecision of [undefined, "", "   "]) {
      const r = lotDraftSchema.safeParse({ ...base, panelDecision });
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["panelDecision"]);
    }
  });

  it("B11: the panel decision is stored with the lot and shown publicly", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId, { panelDecision: "合议庭决定（2026）第77号" }));
    await publishLot(db, clock, judge, lot.id);
    const view = await getPublicLot(db, clock, lot.id);
    expect(view?.panelDecision).toBe("合议庭决定（2026）第77号");
    expect(view?.announcements[0]!.content).toMatchObject({ panelDecision: "合议庭决定（2026）第77号" });
  });

  it("B11: a clerk may draft a lot, but publishLot refuses a clerk (FORBIDDEN) and only the judge publishes", async () => {
    const { db } = database;
    const { judge, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId));
    expect(await statusOf(db, lot.id)).toBe("draft");
    const error = await caught(publishLot(db, clock, clerk, lot.id));
    expect(error.code).toBe("FORBIDDEN");
    expect(await statusOf(db, lot.id)).toBe("draft");
    await publishLot(db, clock, judge, lot.id);
    expect(await statusOf(db, lot.id)).toBe("published");
  });

  it("B11: priority holders are fixed before publication (adding one to a published lot → CONFLICT)", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const error = await caught(addPriorityHolder(db, clock, lot.clerk, lot.lotId, { name: "乙", identityNumber: residentId(), rank: 1, kind: "tenant", basis: "承租人" }));
    expect(error.code).toBe("CONFLICT");
  });
});

describe("court scoping", () => {
  it("court staff of another court get FORBIDDEN on the case, asset, reference price and lot, and nothing is written", async () => {
    const { db } = database;
    const own = await makeAsset(db);
    const lot = await createLotDraft(db, clock, own.clerk, draft(own.assetId));
    const published = await makePublishedLot(db, clock);
    const other = await makeCourt(db, clock);
    const before = await countRows(db);

    const attempts: [string, () => Promise<unknown>][] = [
      ["addParty", () => addParty(db, clock, other.judge, own.caseId, { role: "applicant", name: "甲", identityNumber: residentId(), claimFen: null })],
      [
        "createAsset",
        () =>
          createAsset(db, clock, other.judge, own.caseId, {
            category: "commercial",
            regionCode: "110105",
            title: "x",
            description: "x",
            encumbrances: "x",
            occupancy: "x",
            lease: "x",
            taxes: "x",
            knownDefects: "x",
            seizedAt: at(-DAY),
          }),
      ],
      [
        "recordReferencePrice",
        () => recordReferencePrice(db, clock, other.judge, own.assetId, { method: "negotiation", amountFen: 1n, documentTitle: "x", validFrom: at(-DAY), validUntil: at(DAY) }),
      ],
      ["createLotDraft (judge)", () => createLotDraft(db, clock, other.judge, draft(own.assetId))],
      ["createLotDraft (clerk)", () => createLotDraft(db, clock, other.clerk, draft(own.assetId))],
      ["addPriorityHolder", () => addPriorityHolder(db, clock, other.judge, lot.id, { name: "乙", identityNumber: residentId(), rank: 1, kind: "tenant", basis: "承租人" })],
      ["publishLot", () => publishLot(db, clock, other.judge, lot.id)],
      ["reviseAnnouncement", () => reviseAnnouncement(db, clock, other.judge, published.lotId, { depositAccount: "x", transferTaxes: "x", courtContact: "x", reason: "x" })],
    ];
    for (const [name, run] of attempts) {
      const error = await caught(run());
      expect(error.code, name).toBe("FORBIDDEN");
    }
    expect(await countRows(db)).toEqual(before);
    expect(await statusOf(db, lot.id)).toBe("draft");
    expect((await getPublicLot(db, clock, published.lotId))?.announcements).toHaveLength(1);
  });

  it("a bidder cannot draft a lot (FORBIDDEN)", async () => {
    const { db } = database;
    const { assetId } = await makeAsset(db);
    const bidder = await makeBidder(db, clock);
    const before = await countRows(db);
    expect((await caught(createLotDraft(db, clock, bidder, draft(assetId)))).code).toBe("FORBIDDEN");
    expect(await countRows(db)).toEqual(before);
  });
});

describe("bad input through the schemas", () => {
  const base = { ...draft("00000000-0000-4000-8000-000000000000"), startingPriceFen: "70000000", depositFen: "7000000", incrementFen: "100000" };
  const issuesOf = (over: Record<string, unknown>) => {
    const r = lotDraftSchema.safeParse({ ...base, ...over });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}:${i.message}`);
  };

  it("P9: amounts that are not whole fen are refused (1.5, '1.5', '1e3', '')", () => {
    for (const field of ["startingPriceFen", "depositFen", "incrementFen"]) {
      for (const v of [1.5, "1.5", "1e3", ""]) expect(issuesOf({ [field]: v }), `${field}=${JSON.stringify(v)}`).toEqual([`${field}:validation.amount`]);
    }
  });

  it("P9: zero and negative amounts are refused", () => {
    for (const v of ["0", "-1", -5, "-70000000"]) expect(issuesOf({ startingPriceFen: v })).toEqual(["startingPriceFen:validation.amount"]);
  });

  it("P9: amounts are accepted below 10^14 fen, refused at 10^14 and above", () => {
    expect(issuesOf({ depositFen: "99999999999999" })).toEqual([]);
    for (const v of ["100000000000000", "1000000000000000000000", 1e20]) expect(issuesOf({ depositFen: v })).toEqual(["depositFen:validation.amount"]);
  });

  it("P9: amounts must be written as decimal digits: hexadecimal '0x10' and a boolean are refused", () => {
    for (const v of ["0x10", "0b11", true]) expect(issuesOf({ incrementFen: v }), JSON.stringify(v)).toEqual(["incrementFen:validation.amount"]);
  });

  it("dates that are not dates are refused", () => {
    expect(issuesOf({ biddingStartsAt: "not a date" })).toEqual(["biddingStartsAt:validation.date"]);
    expect(issuesOf({ biddingEndsAt: "tomorrow" })).toEqual(["biddingEndsAt:validation.date"]);
    expect(issuesOf({ partiesNotifiedAt: "nope" }).map((i) => i.split(":")[0])).toEqual(["partiesNotifiedAt"]);
    // An empty notice date means "not notified yet".
    expect(lotDraftSchema.parse({ ...base, partiesNotifiedAt: "" }).partiesNotifiedAt).toBeNull();
  });

  it("a calendar date that does not exist (2027-02-30) is refused, not rolled over to March", () => {
    expect(issuesOf({ biddingStartsAt: "2027-02-30T10:00:00+08:00" })).toEqual(["biddingStartsAt:validation.date"]);
  });

  it("P3: the balance period must be a whole number of days", () => {
    expect(issuesOf({ balanceDueDays: "2.5" })).toEqual(["balanceDueDays:validation.invalid"]);
  });
});

describe("public reads", () => {
  it("a draft is not public: getPublicLot is null, listPublicLots omits it, and nobody can register or bid on it", async () => {
    const { db } = database;
    const { court, clerk, assetId } = await makeAsset(db);
    const lot = await createLotDraft(db, clock, clerk, draft(assetId));
    expect(await getPublicLot(db, clock, lot.id)).toBeNull();
    expect((await getPublicLot(db, clock, lot.id, { includeDraft: true }))?.status).toBe("draft");
    expect(await listPublicLots(db, clock, { courtId: court.id })).toEqual([]);
    for (const phase of ["draft", "announced", "bidding", "ended"] as const) expect(await listPublicLots(db, clock, { courtId: court.id, phase })).toEqual([]);
    const bidder = await makeBidder(db, clock);
    expect((await caught(applyForLot(db, clock, bidder, lot.id, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true }))).code).toBe("NOT_FOUND");
    expect((await caught(placeBid(db, clock, silentPublisher, bidder, lot.id, { amountFen: 70_000_000n, clientBidId: "draft-bid-0001" }))).code).toBe("NOT_FOUND");
  });

  it("listPublicLots phase filters follow the clock: announced → bidding → ended → failed", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const ids = async (phase: LotPhase) => (await listPublicLots(db, clock, { courtId: lot.court.id, phase })).map((l) => l.id);
    const expectOnlyIn = async (phase: LotPhase) => {
      for (const p of ["announced", "bidding", "ended", "sold", "failed"] as const) expect(await ids(p), `${p} at ${clock.now().toISOString()}`).toEqual(p === phase ? [lot.lotId] : []);
      expect((await listPublicLots(db, clock, { courtId: lot.court.id }))[0]?.phase).toBe(phase);
      expect((await getPublicLot(db, clock, lot.lotId))?.phase).toBe(phase);
    };
    await expectOnlyIn("announced");
    clock.set(new Date(lot.biddingStartsAt.getTime() - 1));
    await expectOnlyIn("announced");
    clock.set(lot.biddingStartsAt);
    await expectOnlyIn("bidding");
    clock.set(new Date(lot.closesAt.getTime() - 1));
    await expectOnlyIn("bidding");
    clock.set(lot.closesAt);
    await expectOnlyIn("ended");
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "failed" });
    await expectOnlyIn("failed");
  });
});
