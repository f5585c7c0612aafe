// Where a bidder stands, as pages without JavaScript show it (issue 13 item 1, D5): the "accepted" banner belongs to
// the moment of the bid; once another bid tops it the lot page says the bidder is outbid and offers the next valid
// amount, and "my bids" says per lot whether the bidder leads, is outbid, won or lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { closeLot, placeBid, silentPublisher } from "../../auction/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeActiveBidder, makePublishedLot } from "../fixtures/auction.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());

const page = pageText;

describe("an outbid bidder is told so (D5)", () => {
  it("D5: after being topped, the lot page says 'outbid' with the next valid amount instead of 'accepted'; my bids shows leading, outbid, then won and lost", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    const [a, b] = [await makeActiveBidder(db, clock, lot.lotId), await makeActiveBidder(db, clock, lot.lotId)];
    const signedIn = (username: string) => signedInVisitor(platform.url, username);
    clock.set(lot.biddingStartsAt);
    await placeBid(db, clock, silentPublisher, a, lot.lotId, { amountFen: lot.startingPriceFen, clientBidId: crypto.randomUUID() });
    const [pageA, pageB] = [await signedIn(a.username), await signedIn(b.username)];
    const leadingA = await page(await pageA.get(`/lots/${lot.lotId}?bid=accepted`));
    expect(leadingA).toContain(zhCN.lot.notice.bidAccepted);
    expect(leadingA).not.toContain('data-testid="you-are-outbid"');
    expect(await page(await pageA.get("/my/bids"))).toContain('data-standing="leading"');

    const topFen = lot.startingPriceFen + 100_000n;
    await placeBid(db, clock, silentPublisher, b, lot.lotId, { amountFen: topFen, clientBidId: crypto.randomUUID() });
    const outbidA = await page(await pageA.get(`/lots/${lot.lotId}?bid=accepted`));
    expect(outbidA).toContain('data-testid="you-are-outbid"');
    expect(outbidA).toContain(zhCN.lot.yours.outbid);
    expect(outbidA).toContain("¥702,000.00"); // the next valid amount: the top bid (¥701,000) plus one increment
    expect(outbidA).not.toContain(zhCN.lot.notice.bidAccepted);
    expect(await page(await pageA.get("/my/bids"))).toContain('data-standing="outbid"');
    expect(await page(await pageB.get(`/lots/${lot.lotId}`))).not.toContain('data-testid="you-are-outbid"');

    clock.set(lot.closesAt);
    await closeLot(db, clock, silentPublisher, lot.lotId);
    expect(await page(await (await signedIn(a.username)).get("/my/bids"))).toContain('data-standing="lost"');
    expect(await page(await (await signedIn(b.username)).get("/my/bids"))).toContain('data-standing="won"');
  });
});
