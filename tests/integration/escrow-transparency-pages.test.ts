// The money pages over HTTP, as a browser without JavaScript sees them: the lot's public totals, the case's fund
// flow, the bidder's payments and balance page, the admin's reconciliation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { bidderProfiles, users } from "../../db/schema/index.ts";
import { closeLot, placeBid, silentPublisher } from "../../auction/index.ts";
import { deliverInProcess, runEscrowClock, settleLotDeposits } from "../../escrow/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { formatFenText } from "../../app/lib/format.ts";
import { makeActiveBidder, makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { makeAdmin, makePartyAccount } from "../fixtures/appraisal.ts";
import { testGateway } from "../support/payments.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
const PASSWORD = "money-pages-password";
const DEPOSIT = 7_000_000n;
let platform: TestPlatform;

const world = {
  lot: null as unknown as Awaited<ReturnType<typeof makePublishedLot>>,
  winner: null as unknown as SessionUser,
  losers: [] as SessionUser[],
  party: null as unknown as SessionUser,
  outsider: null as unknown as SessionUser,
  admin: null as unknown as SessionUser,
};

async function as(user: SessionUser) {
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username: user.username, password: PASSWORD })).status).toBe(302);
  return v;
}

const text = pageText;
const nameOf = async (userId: string) => (await platform.database.db.select({ n: bidderProfiles.legalName }).from(bidderProfiles).where(eq(bidderProfiles.userId, userId)))[0]!.n;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const { db } = platform.database;
  const lot = await makePublishedLot(db, clock, { depositFen: DEPOSIT });
  const [a, b, c] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
  clock.set(lot.biddingStartsAt);
  await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
  await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: lot.startingPriceFen + 100_000n, clientBidId: crypto.randomUUID() });
  Object.assign(world, {
    lot,
    winner: b,
    losers: [a, c],
    party: await makePartyAccount(db, lot.caseId, "applicant", { now: clock.now() }),
    outsider: await makeBidder(db, clock),
    admin: await makeAdmin(db, clock),
  });
  const everyone = [lot.judge, world.winner, ...world.losers, world.party, world.outsider, world.admin];
  await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(inArray(users.id, everyone.map((u) => u.id)));
});
afterAll(() => platform?.stop());

describe("before the close (P4)", () => {
  it("P4: the lot's page says deposits are published after bidding; the fund flow shows no deposit to the court or the parties", async () => {
    const lotPage = await text(await new Visitor(platform.url).get(`/lots/${world.lot.lotId}`));
    expect(lotPage).toContain(zhCN.lotMoney.afterClose);
    expect(lotPage).not.toContain(zhCN.lotMoney.deposits);
    for (const viewer of [world.lot.judge, world.party]) {
      const res = await (await as(viewer)).get(`/cases/${world.lot.caseId}/fund-flow`);
      expect(res.status).toBe(200);
      const html = await text(res);
      expect(html).toContain(zhCN.fundFlow.withheld);
      expect(html).not.toContain('data-purpose="deposit_paid"');
    }
  });
});

describe("after the close (H5, H6, P14, F1, F3, P3)", () => {
  beforeAll(async () => {
    const { db } = platform.database;
    const gateway = testGateway(db, clock);
    clock.set(world.lot.closesAt);
    await closeLot(db, clock, silentPublisher, world.lot.lotId);
    await settleLotDeposits(db, clock, world.lot.lotId);
    await runEscrowClock(db, clock, gateway);
    await deliverInProcess(db, clock, gateway);
  });

  it("P14: the lot's page shows the deposits' total and what was returned", async () => {
    const html = await text(await new Visitor(platform.url).get(`/lots/${world.lot.lotId}`));
    expect(html).toContain(zhCN.lotMoney.deposits);
    expect(html).toContain(formatFenText(3n * DEPOSIT));
    expect(html).toContain(formatFenText(2n * DEPOSIT));
  });

  it("H5, H6, P14, P4: the fund flow lists every movement, names only the buyer, and its check line says the movements balance", async () => {
    const html = await text(await (await as(world.party)).get(`/cases/${world.lot.caseId}/fund-flow`));
    expect(html.match(/data-purpose="deposit_paid"/g)).toHaveLength(3);
    expect(html.match(/data-purpose="deposit_released"[^>]*data-state="done"|data-state="done"[^>]*data-purpose="deposit_released"/g)).toHaveLength(2);
    expect(html).toContain(zhCN.fundFlow.check.ok);
    expect(html).toContain(await nameOf(world.winner.id));
    for (const loser of world.losers) expect(html).not.toContain(await nameOf(loser.id));
  });

  it("H6: a bidder who is not a party of the case is refused the fund flow", async () => {
    expect((await (await as(world.outsider)).get(`/cases/${world.lot.caseId}/fund-flow`)).status).toBe(403);
  });

  it("F1, F3, P3: a loser's page shows the deposit returned; the buyer's shows it held, the balance due by 24:00 Beijing time and the way to pay", async () => {
    const loser = await text(await (await as(world.losers[0]!)).get("/my/payments"));
    expect(loser).toContain(`data-lot-id="${world.lot.lotId}" data-deposit="refunded"`);
    expect(loser).toContain(zhCN.deposit.simulatedNotice);
    const buyer = await text(await (await as(world.winner)).get("/my/payments"));
    expect(buyer).toContain('data-deposit="held" data-balance="due"');
    expect(buyer).toContain(zhCN.balance.endOfDay);
    expect(buyer).toContain(`href="/lots/${world.lot.lotId}/balance"`);
  });

  it("F3, P3: the balance page starts the payment and sends the buyer to the gateway's checkout; someone who owes nothing goes to their payments", async () => {
    const buyer = await as(world.winner);
    const page = await text(await buyer.get(`/lots/${world.lot.lotId}/balance`));
    expect(page).toContain(zhCN.deposit.simulatedNotice);
    expect(page).toContain(formatFenText(world.lot.startingPriceFen + 100_000n - DEPOSIT));
    const res = await buyer.post(`/lots/${world.lot.lotId}/balance`, {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/simulated-bank\/ch_/);
    const again = await buyer.post(`/lots/${world.lot.lotId}/balance`, {});
    expect(again.headers.get("location"), "a second click goes to the same checkout").toBe(res.headers.get("location"));
    const loser = await (await as(world.losers[0]!)).get(`/lots/${world.lot.lotId}/balance`);
    expect(loser.status).toBe(302);
    expect(loser.headers.get("location")).toBe("/my/payments");
  });

  it("H6: the admin's reconciliation agrees with the gateway, then lists a charge deleted from the gateway's books", async () => {
    const admin = await as(world.admin);
    const clean = await text(await admin.get("/admin/reconciliation?since=2026-12-01&run=1"));
    expect(clean).toContain(zhCN.reconciliation.agree);
    const { db } = platform.database;
    const [charge] = await db.execute<{ id: string }>(sql`select id from sim_charges order by created_at limit 1`);
    await db.execute(sql`delete from sim_charges where id = ${charge!.id}`);
    const html = await text(await admin.get("/admin/reconciliation?since=2026-12-01&run=1"));
    expect(html).toContain(`data-kind="missing_at_gateway" data-provider-ref="${charge!.id}"`);
    expect((await (await as(world.outsider)).get("/admin/reconciliation")).status).toBe(403);
  });
});
