// The court's holds over HTTP, as a browser without JavaScript meets them (G1, G3, P15): the judge suspends a lot in
// bidding on the court's lot page with a reason, the public page says so with the reason and its history, a bid is
// refused in plain words, and the resumption posts the new close.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, lotAnnouncements, lotPriorityHolders, lots, users } from "../../db/schema/index.ts";
import { addPriorityHolder, closeLot, createLotDraft, placeBid, silentPublisher } from "../../auction/index.ts";
import { hashPassword } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { lotDraftInput, makeActiveBidder, makeCourt, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { makeAdmin } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor, Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

const page = pageText;
const signedIn = (username: string) => signedInVisitor(platform.url, username);

describe("the court holds a lot on its pages (G1, G3, P15)", () => {
  it("G1, G3, P15: the judge suspends with a reason; the public page shows it and its history; a bid is refused in words; the resumption posts the new close", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeActiveBidder(db, clock, lot.lotId);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    clock.set(new Date(lot.closesAt.getTime() - 30 * 60_000));
    await placeBid(db, clock, silentPublisher, bidder, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
    const judge = await signedIn(lot.judge.username);

    // A reason is required; nothing changes without one.
    const empty = await judge.post(`/court/lots/${lot.lotId}`, { intent: "hold", kind: "suspend", reason: "" });
    expect(empty.status).toBe(400);
    expect((await db.select({ status: lots.status }).from(lots).where(eq(lots.id, lot.lotId)))[0]!.status).toBe("published");

    const held = await judge.post(`/court/lots/${lot.lotId}`, { intent: "hold", kind: "suspend", reason: "案外人提出执行异议" });
    expect(held.status).toBe(302);
    expect(held.headers.get("location")).toBe(`/court/lots/${lot.lotId}?done=held`);
    const courtPage = await page(await judge.get(held.headers.get("location")!));
    expect(courtPage).toContain(zhCN.courtLot.notice.held);
    expect(courtPage).toContain('data-testid="resume-form"');

    const publicPage = await page(await new Visitor(platform.url).get(`/lots/${lot.lotId}`));
    expect(publicPage).toContain(zhCN.lot.hold.suspended);
    expect(publicPage).toContain("案外人提出执行异议");
    expect(publicPage).toContain(zhCN.lot.hold.countdownStopped);
    expect(publicPage).toContain(zhCN.lot.hold.kind.suspend);
    expect(publicPage).toContain(`data-testid="round">${zhCN.round.first}`);
    expect(publicPage).not.toContain("LOT_SUSPENDED");

    // The bidder's form bid is refused with the plain message, and nothing is written.
    const visitor = await signedIn(bidder.username);
    const bid = await visitor.post(`/lots/${lot.lotId}/bid`, { amountFen: "1000000", clientBidId: crypto.randomUUID() });
    expect(await page(bid)).toContain("本拍品已被法院暂缓或中止拍卖");

    clock.advance(10 * 60_000); // within the session's idle time
    const resumed = await judge.post(`/court/lots/${lot.lotId}`, { intent: "resume", reason: "异议已审查完毕" });
    expect(resumed.headers.get("location")).toBe(`/court/lots/${lot.lotId}?done=resumed`);
    const [row] = await db.select({ status: lots.status, closesAt: lots.closesAt }).from(lots).where(eq(lots.id, lot.lotId));
    expect(row).toEqual({ status: "published", closesAt: new Date(clock.now().getTime() + 30 * 60_000) });
    const after = await page(await new Visitor(platform.url).get(`/lots/${lot.lotId}`));
    expect(after).not.toContain('data-testid="hold-notice"');
    expect(after).toContain(zhCN.lot.hold.kind.resume);
    expect(after).toContain(zhCN.lot.hold.newClose);
  });

  it("a clerk sees no hold form, and a clerk's hold is refused (403) and changes nothing", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.clerk.id));
    clock.set(lot.biddingStartsAt);
    const clerk = await signedIn(lot.clerk.username);
    expect(await page(await clerk.get(`/court/lots/${lot.lotId}`))).not.toContain('data-testid="hold-section"');
    const res = await clerk.post(`/court/lots/${lot.lotId}`, { intent: "hold", kind: "suspend", reason: "x" });
    expect(res.status).toBe(403);
    expect((await db.select({ status: lots.status }).from(lots).where(eq(lots.id, lot.lotId)))[0]!.status).toBe("published");
  });

  it("G5: the judge withdraws an announced lot on its page, choosing the ground; the public page says so with the ground and explanation; the form is gone once bidding starts", async () => {
    const { db } = platform.database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    const judge = await signedIn(lot.judge.username);
    expect(await page(await judge.get(`/court/lots/${lot.lotId}`))).toContain('data-testid="withdraw-section"');
    const noGround = await judge.post(`/court/lots/${lot.lotId}`, { intent: "withdraw", reason: "被执行人已履行" });
    expect(noGround.status).toBe(400);
    const done = await judge.post(`/court/lots/${lot.lotId}`, { intent: "withdraw", ground: "debt_paid", reason: "被执行人已全部履行" });
    expect(done.headers.get("location")).toBe(`/court/lots/${lot.lotId}?done=withdrawn`);
    const publicPage = await page(await new Visitor(platform.url).get(`/lots/${lot.lotId}`));
    expect(publicPage).toContain(zhCN.lot.hold.withdrawn);
    expect(publicPage).toContain(zhCN.withdrawalGround.debt_paid);
    expect(publicPage).toContain("被执行人已全部履行");
    expect(publicPage).toContain(zhCN.phase.withdrawn);

    const other = await makePublishedLot(db, clock);
    clock.set(other.biddingStartsAt);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, other.judge.id));
    const otherJudge = await signedIn(other.judge.username);
    expect(await page(await otherJudge.get(`/court/lots/${other.lotId}`))).not.toContain('data-testid="withdraw-section"');
  });

  it("B11, P5: a clerk withdraws a draft on the court's lot page with a reason; it goes with its holders, the audit keeps it; a published lot offers no such form", async () => {
    const { db } = platform.database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    const draft = await createLotDraft(db, clock, lot.clerk, lotDraftInput(lot.assetId, clock.now()));
    await addPriorityHolder(db, clock, lot.clerk, draft.id, { name: "承租人甲", identityNumber: residentId(), rank: 1, kind: "tenant", basis: "租赁合同" });
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.clerk.id));
    const clerk = await signedIn(lot.clerk.username);
    expect(await page(await clerk.get(`/court/lots/${draft.id}`))).toContain('data-testid="discard-section"');
    expect(await page(await clerk.get(`/court/lots/${lot.lotId}`))).not.toContain('data-testid="discard-section"');

    // A reason is required; nothing changes without one.
    const empty = await clerk.post(`/court/lots/${draft.id}`, { intent: "discard", reason: "" });
    expect(empty.status).toBe(400);
    expect(await db.$count(lots, eq(lots.id, draft.id))).toBe(1);

    // Another court's staff cannot touch it.
    const other = await makeCourt(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, other.judge.id));
    const stranger = await signedIn(other.judge.username);
    expect((await stranger.post(`/court/lots/${draft.id}`, { intent: "discard", reason: "无关" })).status).toBe(403);
    expect(await db.$count(lots, eq(lots.id, draft.id))).toBe(1);

    // A published lot is not a draft: the step is refused and the lot stays published.
    const published = await clerk.post(`/court/lots/${lot.lotId}`, { intent: "discard", reason: "当事人和解" });
    expect(published.status).toBe(409);
    expect((await db.select({ status: lots.status }).from(lots).where(eq(lots.id, lot.lotId)))[0]!.status).toBe("published");

    const done = await clerk.post(`/court/lots/${draft.id}`, { intent: "discard", reason: "当事人已和解，无需再拍" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/court/assets/${lot.assetId}?done=draftDiscarded`);
    expect(await page(await clerk.get(done.headers.get("location")!))).toContain(zhCN.court.asset.draftDiscarded);
    expect(await db.$count(lots, eq(lots.id, draft.id))).toBe(0);
    expect(await db.$count(lotAnnouncements, eq(lotAnnouncements.lotId, draft.id))).toBe(0);
    expect(await db.$count(lotPriorityHolders, eq(lotPriorityHolders.lotId, draft.id))).toBe(0);
    // P5: the withdrawal is audited with what the draft was and why it went.
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.entityId, draft.id)).orderBy(desc(auditEvents.seq)).limit(1);
    expect(event).toMatchObject({ action: "auction.lot_draft_discarded", actorId: lot.clerk.id, data: { assetId: lot.assetId, round: "first", startingPriceFen: "70000000", reason: "当事人已和解，无需再拍" } });
    expect((await clerk.get(`/court/lots/${draft.id}`)).status).toBe(404);
  });

  it("B11, F6: the next round drafted when a first auction fails offers no withdrawal, and a posted one is refused with its own code; the draft stays", async () => {
    const { db } = platform.database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    clock.set(new Date(lot.closesAt.getTime() + 1000));
    expect(await closeLot(db, clock, silentPublisher, lot.lotId)).toMatchObject({ kind: "closed" });
    const [next] = await db.select({ id: lots.id }).from(lots).where(eq(lots.previousLotId, lot.lotId));
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.clerk.id));
    const clerk = await signedIn(lot.clerk.username);
    expect(await page(await clerk.get(`/court/lots/${next!.id}`))).not.toContain('data-testid="discard-section"');
    const res = await clerk.post(`/court/lots/${next!.id}`, { intent: "discard", reason: "不再拍卖" });
    expect(res.status).toBe(409);
    expect(await page(res)).toContain(zhCN.errors.LOT_DRAFT_IS_NEXT_ROUND);
    expect((await db.select({ status: lots.status }).from(lots).where(eq(lots.id, next!.id)))[0]!.status).toBe("draft");
  });

  it("G2: the platform's admin suspends a lot in bidding for a system fault on its page; the court's lot page shows it as the platform's with the fault; a judge may not use the admin's page", async () => {
    const { db } = platform.database;
    clock.set(new Date("2026-12-01T02:00:00Z"));
    const lot = await makePublishedLot(db, clock);
    clock.set(lot.biddingStartsAt);
    const admin = await makeAdmin(db, clock);
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, admin.id));
    await db.update(users).set({ passwordHash: await hashPassword("test-password") }).where(eq(users.id, lot.judge.id));
    const visitor = await signedIn(admin.username);
    const listed = await page(await visitor.get("/admin/lots"));
    expect(listed).toContain(lot.lotId);
    const empty = await visitor.post("/admin/lots", { lotId: lot.lotId, reason: "" });
    expect(empty.status).toBe(400);
    const done = await visitor.post("/admin/lots", { lotId: lot.lotId, reason: "出价服务器故障，正在恢复" });
    expect(done.headers.get("location")).toBe("/admin/lots?done=held");
    const judge = await signedIn(lot.judge.username);
    const courtPage = await page(await judge.get(`/court/lots/${lot.lotId}`));
    expect(courtPage).toContain(zhCN.lot.hold.byPlatform);
    expect(courtPage).toContain("出价服务器故障，正在恢复");
    expect(courtPage).toContain('data-testid="resume-form"');
    expect((await judge.get("/admin/lots")).status).toBe(403);
  });
});
