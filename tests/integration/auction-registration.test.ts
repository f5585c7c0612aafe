import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencies, bidderProfiles, payments, referencePrices, registrations, users } from "../../db/schema/index.ts";
import {
  applyForLot,
  applySchema,
  closeLot,
  createAsset,
  createCase,
  createLotDraft,
  getPublicLot,
  listPublicLots,
  ownBids,
  ownRegistration,
  placeBid,
  publishLot,
  silentPublisher,
} from "../../auction/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { accountsAwaitingConfirmation, confirmRepresentation, mask } from "../../identity/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { assetInput, creditCode, linkParty, lotDraftInput, makeActiveBidder, makeBidder, makeCourt, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { payDeposit } from "../support/payments.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const at = (ms: number) => new Date(clock.now().getTime() + ms);

/** Codes use no 0/O, 1/I/L (C4). */
const CODE = /^[2-9A-HJKMNP-Z]{6}$/;
const PRIORITY_CODE = (rank: number) => new RegExp(`^P${rank}-[2-9A-HJKMNP-Z]{6}$`);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const declared = { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true };
const apply = (db: Db, bidder: SessionUser, lotId: string, input: Partial<typeof declared> = {}) => applyForLot(db, clock, bidder, lotId, { ...declared, ...input });

let n = 0;
const bidId = () => `bid-${Date.now()}-${++n}`;
const bigintJson = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to be refused").toBeInstanceOf(AppError);
  return error as AppError;
}

async function registrationCount(db: Db, lotId?: string) {
  const q = db.select({ n: count() }).from(registrations);
  const [row] = await (lotId ? q.where(eq(registrations.lotId, lotId)) : q);
  return row!.n;
}

/** The call is refused with `code` and writes no registration. */
async function expectRefused(db: Db, run: () => Promise<unknown>, code: string) {
  const before = await registrationCount(db);
  const error = await caught(run());
  expect(error.code).toBe(code);
  expect(await registrationCount(db)).toBe(before);
  return error;
}

async function staffIdentity(db: Db, userId: string) {
  const [row] = await db.select({ n: users.staffIdentityNumber }).from(users).where(eq(users.id, userId));
  return row!.n!;
}

async function makeAgencyMember(db: Db) {
  const [agency] = await db.insert(agencies).values({ name: `评估机构${++n}`, creditCode: creditCode(), regionCode: "110105", createdAt: clock.now() }).returning();
  const identityNumber = residentId();
  await db
    .insert(users)
    .values({ username: `appraiser-${Date.now()}-${++n}`, passwordHash: "x", displayName: "评估师", role: "agency_member", agencyId: agency!.id, staffIdentityNumber: identityNumber, createdAt: clock.now() });
  return { agencyId: agency!.id, identityNumber };
}

/** A published lot priced by an appraisal of `agencyId` (the reference price is written directly, as the appraisal work will). */
async function makeAppraisedLot(db: Db, agencyId: string) {
  const { judge, clerk } = await makeCourt(db, clock);
  const theCase = await createCase(db, clock, judge, { caseNumber: `（2026）京0105执${100_000 + Math.floor(Math.random() * 800_000)}号`, enforcementBasis: "（2025）京0105民初100号民事判决书" });
  const asset = await createAsset(db, clock, judge, theCase.id, assetInput(clock.now(), "commercial"));
  await db.insert(referencePrices).values({
    assetId: asset.id,
    method: "appraisal",
    amountFen: 100_000_000n,
    documentTitle: "评估报告",
    agencyId,
    validFrom: at(-DAY),
    validUntil: at(300 * DAY),
    fixedBy: judge.id,
    createdAt: clock.now(),
  });
  const lot = await createLotDraft(db, clock, clerk, lotDraftInput(asset.id, clock.now()));
  await publishLot(db, clock, judge, lot.id);
  return { lotId: lot.id };
}

describe("C7: court, platform and appraiser staff may not bid", () => {
  it("C7: a bidder whose identity number is the enforcing court's judge's or clerk's staff number is barred (BIDDER_BARRED)", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    for (const staff of [lot.judge, lot.clerk]) {
      const bidder = await makeBidder(db, clock, { identityNumber: await staffIdentity(db, staff.id) });
      const error = await expectRefused(db, () => apply(db, bidder, lot.lotId), "BIDDER_BARRED");
      expect(error.details).toEqual({ rule: "C7" });
    }
  });

  it("C7: staff of another court are not barred from this court's lot", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const other = await makeCourt(db, clock);
    const bidder = await makeBidder(db, clock, { identityNumber: await staffIdentity(db, other.judge.id) });
    await apply(db, bidder, lot.lotId);
    expect(await ownRegistration(db, bidder, lot.lotId)).toMatchObject({ status: "awaiting_deposit" });
  });

  it("C7: a platform administrator's identity number is barred on every lot", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const identityNumber = residentId();
    await db.insert(users).values({ username: `admin-${Date.now()}-${++n}`, passwordHash: "x", displayName: "平台管理员", role: "admin", staffIdentityNumber: identityNumber, createdAt: clock.now() });
    const bidder = await makeBidder(db, clock, { identityNumber });
    await expectRefused(db, () => apply(db, bidder, lot.lotId), "BIDDER_BARRED");
  });

  it("C7: a member of the agency that appraised the asset is barred; a member of another agency is not", async () => {
    const { db } = database;
    const appraiser = await makeAgencyMember(db);
    const otherAgency = await makeAgencyMember(db);
    const lot = await makeAppraisedLot(db, appraiser.agencyId);
    const barred = await makeBidder(db, clock, { identityNumber: appraiser.identityNumber });
    await expectRefused(db, () => apply(db, barred, lot.lotId), "BIDDER_BARRED");
    const allowed = await makeBidder(db, clock, { identityNumber: otherAgency.identityNumber });
    await apply(db, allowed, lot.lotId);
    expect(await ownRegistration(db, allowed, lot.lotId)).toMatchObject({ status: "awaiting_deposit" });
  });

  it("C7: an agency's member is not barred from a lot that agency did not appraise", async () => {
    const { db } = database;
    const appraiser = await makeAgencyMember(db);
    const lot = await makePublishedLot(db, clock); // priced by negotiation: no agency
    const bidder = await makeBidder(db, clock, { identityNumber: appraiser.identityNumber });
    await apply(db, bidder, lot.lotId);
  });
});

describe("C9, P1: the debtor may bid unless the court forbids it", () => {
  it("C9, P1: by default the debtor registers like anyone else", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { debtors: [{ name: "被执行人甲", identityNumber }] });
    const debtor = await makeBidder(db, clock, { identityNumber });
    await apply(db, debtor, lot.lotId);
    expect(await ownRegistration(db, debtor, lot.lotId)).toMatchObject({ status: "awaiting_deposit", depositDueFen: 7_000_000n });
  });

  it("C9, P1: in a court whose setting is debtorMayBid=false the debtor is barred (BIDDER_BARRED), others are not", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { debtorMayBid: false, debtors: [{ name: "被执行人乙", identityNumber }] });
    const debtor = await makeBidder(db, clock, { identityNumber });
    const error = await expectRefused(db, () => apply(db, debtor, lot.lotId), "BIDDER_BARRED");
    expect(error.details).toEqual({ rule: "C9" });
    const stranger = await makeBidder(db, clock);
    await apply(db, stranger, lot.lotId);
  });
});

describe("C11, B14: housing purchase eligibility", () => {
  it("C11, B14: a residential lot refuses an application without the eligibility declaration (VALIDATION_FAILED on housingEligibilityDeclared)", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock, { category: "residential" });
    const bidder = await makeBidder(db, clock);
    const error = await expectRefused(db, () => apply(db, bidder, lot.lotId, { housingEligibilityDeclared: false }), "VALIDATION_FAILED");
    expect(error.fields).toEqual({ housingEligibilityDeclared: "validation.mustAccept" });
    await apply(db, bidder, lot.lotId, { housingEligibilityDeclared: true });
    const [reg] = await db.select({ declared: registrations.housingEligibilityDeclared }).from(registrations).where(eq(registrations.userId, bidder.id));
    expect(reg?.declared).toBe(true);
  });

  it("C11, B14: a commercial lot needs no housing declaration", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock, { category: "commercial" });
    const bidder = await makeBidder(db, clock);
    await apply(db, bidder, lot.lotId, { housingEligibilityDeclared: false });
    expect(await ownRegistration(db, bidder, lot.lotId)).toMatchObject({ status: "awaiting_deposit" });
  });

  it("B9, C7, C11: the application form needs the warnings accepted and the not-barred declaration", () => {
    expect(applySchema.safeParse({ acceptWarnings: "on", declareNotBarred: "on", housingEligibilityDeclared: "on" }).data).toEqual({
      acceptWarnings: true,
      declareNotBarred: true,
      housingEligibilityDeclared: true,
    });
    expect(applySchema.safeParse({ acceptWarnings: "on", declareNotBarred: "on", housingEligibilityDeclared: "" }).data?.housingEligibilityDeclared).toBe(false);
    const refused = applySchema.safeParse({ acceptWarnings: "", declareNotBarred: false, housingEligibilityDeclared: "" });
    expect(refused.error?.issues.map((i) => `${i.path.join(".")}:${i.message}`).sort()).toEqual(["acceptWarnings:validation.mustAccept", "declareNotBarred:validation.mustAccept"]);
  });

  it("C11: an unchecked checkbox is absent from a submitted form: a missing housing box means 'not declared', not an invalid form", () => {
    // A browser omits unchecked boxes, so a form without the housing box (any commercial lot) must still parse.
    expect(applySchema.safeParse({ acceptWarnings: "on", declareNotBarred: "on" }).data).toEqual({ acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: false });
    const missing = applySchema.safeParse({});
    expect(missing.error?.issues.map((i) => `${i.path.join(".")}:${i.message}`).sort()).toEqual(["acceptWarnings:validation.mustAccept", "declareNotBarred:validation.mustAccept"]);
  });
});

describe("C3: the applicant creditor's deposit", () => {
  it("C3: an applicant creditor whose claim equals the deposit pays nothing and is active at once with a code", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n, applicants: [{ name: "申请执行人甲", identityNumber, claimFen: 7_000_000n }] });
    const creditor = await makeBidder(db, clock, { identityNumber });
    await linkParty(db, clock, lot.caseId, creditor);
    await apply(db, creditor, lot.lotId);
    const reg = await ownRegistration(db, creditor, lot.lotId);
    expect(reg).toMatchObject({ status: "active", depositDueFen: 0n });
    expect(reg?.bidderCode).toMatch(CODE);
    // It bids without paying anything.
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, creditor, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
  });

  it("C3: an applicant creditor whose claim is 1 fen below the deposit pays that 1 fen, then gets a code", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n, applicants: [{ name: "申请执行人乙", identityNumber, claimFen: 6_999_999n }] });
    const creditor = await makeBidder(db, clock, { identityNumber });
    await linkParty(db, clock, lot.caseId, creditor);
    await apply(db, creditor, lot.lotId);
    expect(await ownRegistration(db, creditor, lot.lotId)).toMatchObject({ status: "awaiting_deposit", depositDueFen: 1n, bidderCode: null });
    const { bidderCode, paymentId } = await payDeposit(db, clock, creditor, lot.lotId);
    expect((await db.select({ amountFen: payments.amountFen }).from(payments).where(eq(payments.id, paymentId)))[0]!.amountFen).toBe(1n);
    expect(bidderCode).toMatch(CODE);
    expect(await ownRegistration(db, creditor, lot.lotId)).toMatchObject({ status: "active", bidderCode });
  });

  it("C3: an applicant creditor with no recorded claim pays the full deposit (the exemption cannot be measured)", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const lot = await makePublishedLot(db, clock, { applicants: [{ name: "申请执行人丙", identityNumber, claimFen: null }] });
    const creditor = await makeBidder(db, clock, { identityNumber });
    await linkParty(db, clock, lot.caseId, creditor);
    await apply(db, creditor, lot.lotId);
    const reg = await ownRegistration(db, creditor, lot.lotId);
    expect(reg).toMatchObject({ status: "awaiting_deposit", bidderCode: null });
    expect(reg!.depositDueFen).toBeGreaterThan(0n);
  });

  it("C3: the applicant creditor of another case pays the full deposit", async () => {
    const { db } = database;
    const identityNumber = residentId();
    const other = await makePublishedLot(db, clock, { applicants: [{ name: "申请执行人丁", identityNumber, claimFen: 999_000_000n }] });
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n });
    const creditor = await makeBidder(db, clock, { identityNumber });
    await linkParty(db, clock, other.caseId, creditor);
    await apply(db, creditor, lot.lotId);
    expect(await ownRegistration(db, creditor, lot.lotId)).toMatchObject({ status: "awaiting_deposit", depositDueFen: 7_000_000n });
  });

  it("C3, ASVS V4.1.3: an account that only shares the applicant's identity number (a company's public credit code) pays the full deposit: the exemption needs the court's link", async () => {
    const { db } = database;
    const identityNumber = creditCode();
    const lot = await makePublishedLot(db, clock, { depositFen: 7_000_000n, applicants: [{ name: "某银行股份有限公司", identityNumber, claimFen: 7_000_000n }] });
    const impostor = await makeBidder(db, clock, { identityNumber, kind: "company", name: "某银行股份有限公司" });
    await apply(db, impostor, lot.lotId);
    expect(await ownRegistration(db, impostor, lot.lotId)).toMatchObject({ status: "awaiting_deposit", depositDueFen: 7_000_000n, bidderCode: null });
  });
});

describe("C2, C4: deposit before bidding; registration open until the close", () => {
  it("C2: not registered → NOT_REGISTERED; registered without deposit → DEPOSIT_NOT_PAID; a pending payment is not a deposit", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const stranger = await makeBidder(db, clock);
    const bidder = await makeBidder(db, clock);
    await apply(db, bidder, lot.lotId);
    expect((await caught(payDeposit(db, clock, stranger, lot.lotId))).code).toBe("NOT_REGISTERED");
    // A card that needs the payer's confirmation: the payment is started but not complete.
    const pending = await payDeposit(db, clock, bidder, lot.lotId, { number: "4000000000003220" });
    expect(pending.bidderCode).toBeNull();
    expect((await db.select({ amountFen: payments.amountFen, status: payments.status }).from(payments).where(eq(payments.id, pending.paymentId)))[0]).toEqual({ amountFen: 7_000_000n, status: "requires_action" });
    clock.set(lot.biddingStartsAt);
    expect((await caught(placeBid(db, clock, silentPublisher, stranger, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() }))).code).toBe("NOT_REGISTERED");
    expect((await caught(placeBid(db, clock, silentPublisher, bidder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() }))).code).toBe("DEPOSIT_NOT_PAID");
    expect((await getPublicLot(db, clock, lot.lotId))?.bids).toEqual([]);
  });

  it("C2, C4: after the deposit is paid the bidder gets a code and bids under it; paying again is refused as already paid", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    await apply(db, bidder, lot.lotId);
    expect(await ownRegistration(db, bidder, lot.lotId)).toMatchObject({ status: "awaiting_deposit", bidderCode: null, depositDueFen: 7_000_000n });
    const { bidderCode } = await payDeposit(db, clock, bidder, lot.lotId);
    expect(bidderCode).toMatch(CODE);
    expect((await caught(payDeposit(db, clock, bidder, lot.lotId))).code).toBe("DEPOSIT_ALREADY_PAID");
    clock.set(lot.biddingStartsAt);
    const bid = await placeBid(db, clock, silentPublisher, bidder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    expect(bid.bidderCode).toBe(bidderCode);
  });

  it("C4: registration is open until 1 ms before the (extended) close; at the close → LOT_CLOSED", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const early = await makeActiveBidder(db, clock, lot.lotId);
    // A late bid moves the close (D3); registration follows the moved close, not biddingEndsAt.
    clock.set(new Date(lot.closesAt.getTime() - 60_000));
    const late = await placeBid(db, clock, silentPublisher, early, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    expect(late.closesAt.getTime()).toBeGreaterThan(lot.closesAt.getTime());
    clock.set(lot.closesAt); // the original end: still open
    const atOriginalEnd = await makeBidder(db, clock);
    await apply(db, atOriginalEnd, lot.lotId);
    clock.set(new Date(late.closesAt.getTime() - 1));
    const lastMinute = await makeBidder(db, clock);
    await apply(db, lastMinute, lot.lotId);
    expect((await payDeposit(db, clock, lastMinute, lot.lotId)).bidderCode).toMatch(CODE);
    expect((await payDeposit(db, clock, atOriginalEnd, lot.lotId)).bidderCode).toMatch(CODE);
    clock.set(late.closesAt);
    const tooLate = await makeBidder(db, clock);
    await expectRefused(db, () => apply(db, tooLate, lot.lotId), "LOT_CLOSED");
  });

  it("C4: a deposit confirmed at the close does not admit the bidder (LOT_CLOSED, no code)", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    await apply(db, bidder, lot.lotId);
    clock.set(lot.closesAt);
    expect((await caught(payDeposit(db, clock, bidder, lot.lotId))).code).toBe("LOT_CLOSED");
    expect(await ownRegistration(db, bidder, lot.lotId)).toMatchObject({ status: "awaiting_deposit", bidderCode: null });
  });

  it("C4: registering for a closed (failed) lot → LOT_CLOSED", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    clock.set(lot.closesAt);
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "failed" });
    const bidder = await makeBidder(db, clock);
    await expectRefused(db, () => apply(db, bidder, lot.lotId), "LOT_CLOSED");
  });

  it("C4: registering twice for the same lot → ALREADY_REGISTERED", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    await apply(db, bidder, lot.lotId);
    await expectRefused(db, () => apply(db, bidder, lot.lotId), "ALREADY_REGISTERED");
    expect(await registrationCount(db, lot.lotId)).toBe(1);
  });

  it("C4: codes are per lot and unlinkable: the same bidder gets different codes on two lots", async () => {
    const { db } = database;
    const lotA = await makePublishedLot(db, clock);
    const lotB = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock);
    const codes: string[] = [];
    for (const lot of [lotA, lotB]) {
      await apply(db, bidder, lot.lotId);
      const { bidderCode } = await payDeposit(db, clock, bidder, lot.lotId);
      expect(bidderCode).toMatch(CODE);
      codes.push(bidderCode!);
    }
    expect(codes[0]).not.toBe(codes[1]);
  });

  it("C4: many bidders on one lot all get distinct codes from the unambiguous alphabet", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await makeActiveBidder(db, clock, lot.lotId)).bidderCode);
    for (const c of codes) expect(c).toMatch(CODE);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("E1: priority holders bid under a priority code", () => {
  it("E1: a priority holder's code starts with P{rank}-; different ranks, different codes; ordinary codes carry no prefix", async () => {
    const { db } = database;
    const first = residentId();
    const second = residentId();
    const lot = await makePublishedLot(db, clock, {
      priorityHolders: [
        { name: "共有人甲", identityNumber: first, rank: 1 },
        { name: "承租人乙", identityNumber: second, rank: 2 },
      ],
    });
    const h1 = await makeActiveBidder(db, clock, lot.lotId, { identityNumber: first });
    const h2 = await makeActiveBidder(db, clock, lot.lotId, { identityNumber: second });
    const ordinary = await makeActiveBidder(db, clock, lot.lotId);
    expect(h1.bidderCode).toMatch(PRIORITY_CODE(1));
    expect(h2.bidderCode).toMatch(PRIORITY_CODE(2));
    expect(ordinary.bidderCode).toMatch(CODE);
    expect(await ownRegistration(db, h1, lot.lotId)).toMatchObject({ priorityRank: 1 });
    expect(await ownRegistration(db, ordinary, lot.lotId)).toMatchObject({ priorityRank: null });

    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, ordinary, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    await placeBid(db, clock, silentPublisher, h1, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });
    const view = await getPublicLot(db, clock, lot.lotId);
    expect(view?.bids.map((b) => [b.bidderCode, b.priority])).toEqual([
      [h1.bidderCode, true],
      [ordinary.bidderCode, false],
    ]);
  });
});

describe("only bidders register", () => {
  it("a judge, a clerk or an administrator applying → FORBIDDEN; a bidder account without a real-name profile → FORBIDDEN", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const [admin] = await db.insert(users).values({ username: `admin-${Date.now()}-${++n}`, passwordHash: "x", displayName: "管理员", role: "admin", createdAt: clock.now() }).returning();
    const [bare] = await db.insert(users).values({ username: `bare-${Date.now()}-${++n}`, passwordHash: "x", displayName: "无实名", role: "bidder", createdAt: clock.now() }).returning();
    const session = (u: typeof admin) => ({ ...u!, sessionId: "00000000-0000-0000-0000-000000000000" }) as SessionUser;
    for (const actor of [lot.judge, lot.clerk, session(admin)]) await expectRefused(db, () => apply(db, actor, lot.lotId), "FORBIDDEN");
    await expectRefused(db, () => apply(db, session(bare), lot.lotId), "FORBIDDEN");
  });
});

describe("I1, I2, P4: sealed identities in the public view", () => {
  it("I1, P4: before the close the public view names no bidder and counts no registrations; after the sale only the buyer is named, with a masked ID", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const winner = await makeActiveBidder(db, clock, lot.lotId, { name: "赢家张三丰" });
    const loser = await makeActiveBidder(db, clock, lot.lotId, { name: "输家李四光" });
    const silent = await makeBidder(db, clock, { name: "观望王五岳" });
    await apply(db, silent, lot.lotId); // registered, no deposit
    expect(await registrationCount(db, lot.lotId)).toBe(3);
    const registrationIds = (await db.select({ id: registrations.id }).from(registrations).where(eq(registrations.lotId, lot.lotId))).map((r) => r.id);

    const secrets = (b: typeof winner | typeof silent) => [b.displayName, b.username, b.id, b.identityNumber, mask(b.identityNumber)];
    const expectSealed = (json: string, people: (typeof winner | typeof silent)[]) => {
      for (const p of people) for (const s of secrets(p)) expect(json, `leaks ${s}`).not.toContain(s);
      for (const id of registrationIds) expect(json, `leaks registration ${id}`).not.toContain(id);
    };
    /** Every leaf of the view: no number or string in it may equal the number of registrations (3). */
    const leaves = (v: unknown, path = "$"): [string, unknown][] =>
      v !== null && typeof v === "object" && !(v instanceof Date)
        ? Object.entries(v).flatMap(([k, x]) => leaves(x, `${path}.${k}`))
        : [[path, v]];
    const expectNoRegistrationCount = (view: unknown) => {
      const hits = leaves(JSON.parse(bigintJson(view))).filter(([, v]) => v === 3 || v === "3");
      expect(hits).toEqual([]);
      expect(bigintJson(view)).not.toMatch(/regist|applicant|participant|bidderCount|enrol/i);
    };

    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, winner, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: bidId() });

    const during = await getPublicLot(db, clock, lot.lotId);
    const listed = (await listPublicLots(db, clock, { courtId: lot.court.id })).find((l) => l.id === lot.lotId);
    expect(during?.bidCount).toBe(1);
    expect(during?.buyer).toBeNull();
    for (const view of [during, listed]) {
      expectSealed(bigintJson(view), [winner, loser, silent]);
      expectNoRegistrationCount(view);
    }
    // A code that has not bid does not appear either: codes surface only with bids (D5).
    expect(bigintJson(during)).toContain(winner.bidderCode);
    expect(bigintJson(during)).not.toContain(loser.bidderCode);

    // Each bidder's own bids are theirs alone.
    expect((await ownBids(db, winner.id)).map((b) => b.bidderCode)).toEqual([winner.bidderCode]);
    expect(await ownBids(db, loser.id)).toEqual([]);

    await placeBid(db, clock, silentPublisher, loser, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: bidId() });
    const top = await placeBid(db, clock, silentPublisher, winner, lot.lotId, { amountFen: lot.startingPriceFen + 200_000n, clientBidId: bidId() });
    expectSealed(bigintJson(await getPublicLot(db, clock, lot.lotId)), [winner, loser, silent]);

    clock.set(top.closesAt);
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed", outcome: "sold" });
    const after = await getPublicLot(db, clock, lot.lotId);
    expect(after?.buyer).toEqual({
      name: "赢家张三丰",
      identityMasked: mask(winner.identityNumber),
      bidderCode: winner.bidderCode,
      priceFen: lot.startingPriceFen + 200_000n,
      closedAt: top.closesAt,
    });
    expect(after!.buyer!.identityMasked).not.toBe(winner.identityNumber);
    expect(after!.buyer!.identityMasked).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    const json = bigintJson(after);
    expect(json).toContain("赢家张三丰");
    expect(json).not.toContain(winner.identityNumber);
    expect(json).not.toContain(winner.username);
    expect(json).not.toContain(winner.id);
    // The losers stay anonymous after the close (P4).
    expectSealed(json, [loser, silent]);
    // The loser still appears by code in the bid history.
    expect(json).toContain(loser.bidderCode);
  });
});

describe("C6: company bidders", () => {
  it("C6: a company registers and pays, but bids only after the court confirms who acts for it", async () => {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const company = await makeActiveBidder(db, clock, lot.lotId, { name: "北京某某有限公司" });
    await db.update(bidderProfiles).set({ kind: "company" }).where(eq(bidderProfiles.userId, company.id));
    clock.set(lot.biddingStartsAt);
    const bid = () => placeBid(db, clock, silentPublisher, company, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: `c6-${Date.now()}-${Math.random()}`.replace(".", "") });
    await expect(bid()).rejects.toMatchObject({ code: "AWAITING_COURT" });
    expect((await accountsAwaitingConfirmation(db)).map((c) => c.userId)).toContain(company.id);
    // The court's list names the company, never a lot.
    expect(JSON.stringify(await accountsAwaitingConfirmation(db))).not.toContain(lot.lotId);
    await expect(confirmRepresentation(db, clock, company, company.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await confirmRepresentation(db, clock, lot.clerk, company.id);
    await expect(bid()).resolves.toMatchObject({ amountFen: lot.startingPriceFen });
    expect((await accountsAwaitingConfirmation(db)).map((c) => c.userId)).not.toContain(company.id);
  });
});
