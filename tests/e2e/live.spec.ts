import { expect, test, type Page, type WebSocketRoute } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { mailpitAnswers, messagesTo, messageText } from "../support/mailpit.ts";
import {
  BEIJING_OFFSET_MS,
  DAY,
  MINUTE,
  bidderRegisters,
  confirmBid,
  historyRows,
  judgeSetsUpLot,
  newPage,
  open,
  phaseOf,
  screenshot,
  setServerClock,
  shownClose,
  signIn,
  yuanInput,
  yuanText,
  type LotPlan,
} from "./support.ts";

// Live bidding in real browsers (the "Live bidding" issue's Done-when): two bidders watch one lot over
// Socket.IO; A's bid from the live bid box reaches B's page without a reload; a bid in the last minute
// extends the close on both pages; with the socket blocked the page says it is offline and the HTML
// form still bids; the close brings the result to the open pages.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts); POST /__test/clock moves its clock and closes
// lots that are due. Sessions last 12 hours of server time, so bidders sign in again after each jump.
// The set-up helpers (clock, sign-in, the judge's and bidders' steps) are in support.ts.

/** "10:04:33", Beijing time, as the extension notice shows a close. */
const beijingClock = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(11, 19);

const liveStatus = (page: Page) => page.getByTestId("live-status");
const liveBox = (page: Page) => page.getByTestId("live-bid-box");
const liveAmount = (page: Page) => liveBox(page).getByLabel(zhCN.bid.amount, { exact: true });
/** The HTML form (the fallback), not the live box (which carries the same test id inside it). */
const htmlBidForm = (page: Page) => page.locator('form[data-testid="bid-form"]:not([data-mode="live"])');

/** The bell's unread count (0 when it shows none). */
const unreadCount = async (page: Page) => ((await page.getByTestId("notice-count").count()) > 0 ? Number(await page.getByTestId("notice-count").textContent()) : 0);
const mailServer = await mailpitAnswers();

/** Marks the document; the mark is gone if the page was reloaded. */
const markDocument = (page: Page) => page.evaluate(() => void ((window as unknown as { liveMark?: number }).liveMark = 1));
const stillSameDocument = async (page: Page) => expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark), "the page was not reloaded").toBe(1);

test("live bidding: bids reach the other bidder without a reload, the outbid bidder is told at once (D5), a late bid extends the close on both pages, and the HTML form is the fallback", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  // After the other specs' lots (auction.spec.ts goes 57 days on): the server's clock only moves forward within a run.
  const plan: LotPlan = { base: Date.now() + 120 * DAY, startingFen: 3_000_000n, incrementFen: 50_000n, depositFen: 300_000n }; // ¥30,000 · ¥500 · ¥3,000
  await setServerClock(request, new Date(plan.base));

  const judge = await newPage(browser, "judge", errors);
  const lot = await test.step("a judge sets up and publishes a lot", () => judgeSetsUpLot(judge, plan));
  await judge.context().close();
  const lotPath = `/lots/${lot.lotId}`;

  // A on a desktop, B on a phone-sized screen.
  const a = await newPage(browser, "bidder1 (A)", errors);
  const b = await newPage(browser, "bidder2 (B)", errors, { viewport: { width: 390, height: 844 } });
  const [codeA, codeB] = await test.step("A and B register and pay the deposit", async () => {
    const codes = [await bidderRegisters(a, "bidder1", lot.lotId), await bidderRegisters(b, "bidder2", lot.lotId)];
    expect(codes[0]).not.toBe(codes[1]);
    return codes as [string, string];
  });
  // Before bidding the page does not connect: nothing live is shown.
  await expect(liveStatus(a)).toHaveCount(0);

  const firstFen = plan.startingFen + plan.incrementFen;
  await test.step("bidding starts: both pages go live; A bids from the live bid box and B sees it without reloading", async () => {
    await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
    await signIn(a, "bidder1", lotPath);
    await expect(liveStatus(a)).toHaveAttribute("data-status", "live");
    await signIn(b, "bidder2", lotPath);
    await expect(liveStatus(b)).toHaveAttribute("data-status", "live");
    // A watched first, so B's snapshot counts both.
    expect(Number(await b.getByTestId("watchers").locator(".money").textContent())).toBeGreaterThanOrEqual(2);
    await expect(b.getByTestId("watchers")).toContainText(zhCN.live.watchers);
    // The countdown ticks on the server's clock: about 24 hours left.
    const left = Number(await b.getByTestId("time-left").getAttribute("data-seconds-left"));
    expect(left).toBeGreaterThan(DAY / 1000 - 120);
    expect(left).toBeLessThanOrEqual(DAY / 1000);
    await expect(b.getByTestId("countdown")).toContainText(zhCN.live.serverClock);
    await markDocument(b);

    // Live: the live box replaces the HTML form, prefilled with the starting price.
    await expect(liveBox(a)).toBeVisible();
    await expect(htmlBidForm(a)).toHaveCount(0);
    await expect(liveAmount(a)).toHaveValue(yuanInput(plan.startingFen));
    await expect(liveBox(a).getByTestId("quick-1")).toContainText(yuanText(plan.startingFen));
    await expect(liveBox(a).getByTestId("quick-2")).toContainText(yuanText(firstFen));
    await expect(liveBox(a).getByTestId("quick-5")).toContainText(yuanText(plan.startingFen + 4n * plan.incrementFen));
    await liveBox(a).getByTestId("quick-2").click();
    await expect(liveAmount(a)).toHaveValue(yuanInput(firstFen));
    await expect(liveBox(a).getByTestId("quick-2")).toHaveAttribute("aria-pressed", "true");
    await expect(liveBox(a)).toContainText("叁万零伍佰元整");
    // One confirming click on the amount in figures and in 大写; nothing is sent before it.
    await liveBox(a).getByRole("button", { name: zhCN.bid.next, exact: true }).click();
    await expect(liveBox(a).getByTestId("bid-confirmation")).toBeVisible();
    await expect(liveBox(a).getByRole("button", { name: zhCN.bid.submit, exact: true })).toBeFocused();
    await expect(historyRows(b)).toHaveCount(0);
    await confirmBid(a, firstFen);
    await expect(a).toHaveURL(new RegExp(`${lotPath}\\?bid=accepted$`));
    await expect(a.getByTestId("you-lead")).toBeVisible();
    await expect(historyRows(a).first()).toContainText(zhCN.lot.bids.yours);
    await expect(liveStatus(a)).toHaveAttribute("data-status", "live");

    // B: the bid arrives over the socket.
    await expect(historyRows(b)).toHaveCount(1);
    await expect(historyRows(b).first()).toHaveAttribute("data-bidder-code", codeA);
    await expect(historyRows(b).first()).toContainText(yuanText(firstFen));
    await expect(historyRows(b).first()).not.toContainText(zhCN.lot.bids.yours);
    await expect(b.getByTestId("price")).toHaveText(yuanText(firstFen));
    await expect(b.getByTestId("price-panel")).toContainText(`${zhCN.lot.bids.count} 1`);
    // B's box follows the price: the lowest bid is now one increment above A's.
    await expect(liveAmount(b)).toHaveValue(yuanInput(firstFen + plan.incrementFen));
    await stillSameDocument(b);
    await screenshot(b, testInfo, "live-phone", "B's page (phone screen): live, with A's bid", false);

    // A refusal comes back by code, translated, on the amount.
    await liveAmount(b).fill(yuanInput(firstFen));
    await liveBox(b).getByRole("button", { name: zhCN.bid.next, exact: true }).click();
    await confirmBid(b, firstFen);
    await expect(b.getByTestId("live-bid-error")).toHaveText(zhCN.errors.BID_TOO_LOW);
    await expect(liveAmount(b)).toBeFocused();
    await expect(historyRows(b)).toHaveCount(1);
    await stillSameDocument(b);
    await liveBox(b).scrollIntoViewIfNeeded();
    await screenshot(b, testInfo, "live-bid-box-phone", "B's live bid box (phone screen) with the refusal", false);
  });

  const secondFen = firstFen + plan.incrementFen;
  const extendedClose = await test.step("one minute before the close B bids: both pages show the extension and the new close", async () => {
    await setServerClock(request, new Date(lot.endsAt.getTime() - MINUTE));
    // A day on, the 12-hour sessions have expired: sign in again.
    await signIn(a, "bidder1", lotPath);
    await signIn(b, "bidder2", lotPath);
    await expect(liveStatus(a)).toHaveAttribute("data-status", "live");
    await expect(liveStatus(b)).toHaveAttribute("data-status", "live");
    await expect(shownClose(a)).toHaveAttribute("datetime", lot.endsAt.toISOString());
    const leftBefore = Number(await a.getByTestId("time-left").getAttribute("data-seconds-left"));
    expect(leftBefore).toBeGreaterThan(0);
    expect(leftBefore).toBeLessThanOrEqual(60);
    await expect(a.getByTestId("extended-notice")).toHaveCount(0);
    await markDocument(a);

    const unreadBefore = await unreadCount(a);
    const mailsBefore = mailServer ? (await messagesTo("bidder1@demo.example")).length : 0;
    await liveBox(b).getByTestId("quick-1").click();
    await expect(liveAmount(b)).toHaveValue(yuanInput(secondFen));
    await liveBox(b).getByRole("button", { name: zhCN.bid.next, exact: true }).click();
    await confirmBid(b, secondFen);
    await expect(b).toHaveURL(new RegExp(`${lotPath}\\?bid=accepted$`));

    // A, without reloading: B's bid, and the close moved to B's bid time + 5 minutes (D3).
    await expect(historyRows(a).first()).toHaveAttribute("data-bidder-code", codeB);
    // A is told at once that it has been outbid, and offered the next valid amount (D5).
    await expect(a.getByTestId("you-are-outbid")).toContainText(zhCN.lot.yours.outbid);
    await expect(a.getByTestId("you-are-outbid")).toContainText(yuanText(secondFen + plan.incrementFen));
    await expect(a.getByTestId("you-lead")).toHaveCount(0);
    await expect(b.getByTestId("you-are-outbid")).toHaveCount(0);
    // …and alerted: the bell counts the alert live, and it is e-mailed (ADR 023).
    await expect(a.getByTestId("notice-count")).toHaveText(String(unreadBefore + 1));
    if (mailServer) {
      await expect(async () => {
        const mails = await messagesTo("bidder1@demo.example");
        expect(mails.length).toBeGreaterThan(mailsBefore);
        expect(mails[0]!.Subject).toContain(zhCN.account.notice.outbid.replace(/。$/, ""));
        expect(await messageText(mails[0]!.ID)).toContain(lotPath);
      }).toPass({ timeout: 20_000 });
    }
    await expect(historyRows(a).first()).toContainText(yuanText(secondFen));
    const placedAt = new Date((await historyRows(a).first().locator("time").getAttribute("datetime"))!);
    expect(lot.endsAt.getTime() - placedAt.getTime()).toBeGreaterThan(0);
    expect(lot.endsAt.getTime() - placedAt.getTime()).toBeLessThanOrEqual(MINUTE);
    const newClose = new Date(placedAt.getTime() + 5 * MINUTE);
    for (const page of [a, b]) {
      const notice = page.getByTestId("extended-notice");
      await expect(notice).toBeVisible();
      await expect(notice).toContainText(zhCN.live.extendedTo);
      await expect(notice.locator("time")).toHaveAttribute("datetime", newClose.toISOString());
      await expect(notice.locator("time")).toHaveText(beijingClock(newClose.getTime()));
      await expect(shownClose(page)).toHaveAttribute("datetime", newClose.toISOString());
      // About five minutes left now (the countdown follows the server's clock).
      await expect(page.getByTestId("time-left")).toHaveAttribute("data-seconds-left", /^(2[4-9]\d|300)$/);
      await expect(page.getByTestId("price")).toHaveText(yuanText(secondFen));
    }
    await expect(a.getByRole("status").filter({ has: a.getByTestId("extended-notice") })).toHaveAttribute("aria-live", "polite");
    await stillSameDocument(a);
    await screenshot(a, testInfo, "live-extended", "A's page (desktop) after B's late bid: the extension notice");
    await screenshot(b, testInfo, "live-extended-phone", "B's page (phone screen) after the late bid", false);
    return newClose;
  });

  const thirdFen = secondFen + plan.incrementFen;
  const cErrors: string[] = [];
  // D, an anonymous watcher whose socket the test can cut and restore: its WebSockets pass through a route.
  const dErrors: string[] = [];
  const d = await newPage(browser, "anonymous (D, socket cut)", dErrors, {}, (text) => /WebSocket|socket\.io/i.test(text));
  const dLinks: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  let dCut = false;
  await d.context().routeWebSocket(/\/socket\.io\//, (ws) => {
    if (dCut) return void ws.close();
    dLinks.push({ page: ws, server: ws.connectToServer() });
  });
  await d.context().route(/\/socket\.io\//, (route) => (dCut ? route.abort() : route.continue()));
  await test.step("an anonymous watcher loses its connection: reconnecting, then offline", async () => {
    await open(d, lotPath);
    await expect(liveStatus(d)).toHaveAttribute("data-status", "live");
    await expect(historyRows(d)).toHaveCount(2);
    await expect(d.getByTestId("bidder-panel")).toHaveCount(0);
    await markDocument(d);
    dCut = true;
    for (const link of dLinks.splice(0)) await Promise.all([link.page.close(), link.server.close()]);
    await expect(liveStatus(d)).toHaveAttribute("data-status", "reconnecting");
    await expect(liveStatus(d)).toContainText(zhCN.live.status.reconnecting);
  });

  await test.step("with the socket blocked the page says it is offline, and the HTML form still bids", async () => {
    // Chromium reports the blocked connections in the console: expected on this page only.
    const c = await newPage(browser, "bidder1 (C, socket blocked)", cErrors, {}, (text) => /WebSocket|socket\.io/i.test(text));
    await c.context().route(/\/socket\.io\//, (route) => route.abort());
    await c.context().routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
    await markDocument(b);
    await signIn(c, "bidder1", lotPath);
    await expect(liveStatus(c)).toHaveAttribute("data-status", "offline");
    await expect(liveStatus(c)).toContainText(zhCN.live.status.offline);
    await expect(c.getByTestId("bid-fallback")).toHaveText(zhCN.live.bidBox.fallback);
    await expect(liveBox(c)).toHaveCount(0);
    await expect(htmlBidForm(c)).toBeVisible();
    const amount = htmlBidForm(c).getByLabel(zhCN.bid.amount, { exact: true });
    await expect(amount).toHaveValue(yuanInput(thirdFen));
    await screenshot(c, testInfo, "live-offline", "the page with its socket blocked: offline, with the HTML form");

    // The HTML form's confirmation is a page of its own.
    await htmlBidForm(c).getByRole("button", { name: zhCN.bid.next, exact: true }).click();
    await expect(c).toHaveURL(new RegExp(`${lotPath}/bid$`));
    await confirmBid(c, thirdFen);
    await expect(c).toHaveURL(new RegExp(`${lotPath}\\?bid=accepted$`));
    await expect(c.getByTestId("success-banner")).toHaveText(zhCN.lot.notice.bidAccepted);
    await expect(historyRows(c).first()).toHaveAttribute("data-bidder-code", codeA);
    await expect(historyRows(c).first()).toContainText(yuanText(thirdFen));
    await expect(liveStatus(c)).toHaveAttribute("data-status", "offline");

    // The form's bid reaches the live page too.
    await expect(historyRows(b).first()).toHaveAttribute("data-bidder-code", codeA);
    await expect(historyRows(b).first()).toContainText(yuanText(thirdFen));
    await expect(b.getByTestId("price")).toHaveText(yuanText(thirdFen));
    await stillSameDocument(b);
    await c.context().close();
  });

  await test.step("the watcher's connection comes back: it joins again and the missed bid appears", async () => {
    await expect(liveStatus(d)).toHaveAttribute("data-status", "offline");
    await expect(historyRows(d)).toHaveCount(2); // C's bid was missed while cut
    dCut = false;
    // Socket.IO retries with a growing delay (at most 5 s); an attempt the cut left hanging is given up after 10 s.
    await expect(liveStatus(d)).toHaveAttribute("data-status", "live", { timeout: 25_000 });
    await expect(historyRows(d)).toHaveCount(3);
    await expect(historyRows(d).first()).toHaveAttribute("data-bidder-code", codeA);
    await expect(d.getByTestId("price")).toHaveText(yuanText(thirdFen));
    await expect(d.getByTestId("price-panel")).toContainText(`${zhCN.lot.bids.count} 3`);
    await stillSameDocument(d);
  });

  await test.step("the close passes: the open pages load the result by themselves", async () => {
    const close = new Date((await shownClose(b).getAttribute("datetime"))!);
    expect(close.getTime()).toBeGreaterThan(extendedClose.getTime()); // C's bid extended it again
    await setServerClock(request, new Date(close.getTime() + 2_000));
    for (const page of [a, b, d]) {
      await expect(phaseOf(page)).toHaveAttribute("data-phase", "sold");
      await expect(page.getByTestId("result")).toContainText(codeA);
      await expect(page.getByTestId("result")).toContainText(yuanText(thirdFen));
      await expect(liveStatus(page)).toHaveCount(0); // the socket is closed once the lot is
      await stillSameDocument(page);
    }
    await expect(a.getByTestId("bidder-panel")).toContainText(zhCN.lot.yours.won);
    await expect(b.getByTestId("bidder-panel")).toContainText(zhCN.lot.yours.ended);
    // The extension notice and B's old "bid accepted" notice belong to the bidding, now over.
    await expect(b.getByTestId("extended-notice")).toHaveCount(0);
    await expect(b.getByTestId("success-banner")).toHaveCount(0);
    await b.evaluate(() => window.scrollTo(0, 0));
    await screenshot(b, testInfo, "live-closed-phone", "B's page (phone screen) after the close, without a reload", false);
  });

  expect(errors, "errors in the browser console").toEqual([]);
  expect(cErrors, "errors in the blocked page's console").toEqual([]);
  expect(dErrors, "errors in the cut page's console").toEqual([]);
  for (const page of [a, b, d]) await page.context().close();
});

test("a judge suspends a lot while two bidders watch: both pages freeze at once, and after the resumption the countdown shows the restored time (G1, P15)", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  // After the other specs' lots: the server's clock only moves forward within a run.
  const plan: LotPlan = { base: Date.now() + 300 * DAY, startingFen: 2_000_000n, incrementFen: 50_000n, depositFen: 200_000n };
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const lot = await test.step("a judge sets up and publishes a lot; two bidders pay the deposit", () => judgeSetsUpLot(judge, plan));
  const lotPath = `/lots/${lot.lotId}`;
  const courtPath = `/court/lots/${lot.lotId}`;
  const a = await newPage(browser, "bidder1 (A)", errors);
  const b = await newPage(browser, "bidder2 (B)", errors, { viewport: { width: 390, height: 844 } });
  await bidderRegisters(a, "bidder1", lot.lotId);
  await bidderRegisters(b, "bidder2", lot.lotId);

  // Two hours before the close, both watch live.
  const heldAt = await setServerClock(request, new Date(lot.endsAt.getTime() - 2 * 60 * MINUTE));
  for (const [page, who] of [[a, "bidder1"], [b, "bidder2"]] as const) {
    await signIn(page, who, lotPath);
    await expect(liveStatus(page)).toHaveAttribute("data-status", "live");
    await markDocument(page);
  }

  await test.step("the judge suspends with a reason: both pages show it at once, without a reload, and take no bids", async () => {
    await signIn(judge, "judge.chaoyang", courtPath);
    await judge.locator("details > summary", { hasText: zhCN.courtLot.holdOpen }).click();
    const holdForm = judge.locator('form:has(input[name="intent"][value="hold"])');
    await holdForm.getByLabel(zhCN.courtLot.holdSuspend, { exact: true }).check();
    await holdForm.getByLabel(zhCN.courtLot.holdReason, { exact: true }).fill("案外人对标的物提出执行异议");
    await judge.getByTestId("hold-submit").click();
    await expect(judge.getByText(zhCN.courtLot.notice.held)).toBeVisible();
    for (const page of [a, b]) {
      await expect(page.getByTestId("hold-notice")).toContainText(zhCN.lot.hold.suspended);
      await expect(page.getByTestId("hold-notice")).toContainText("案外人对标的物提出执行异议");
      await expect(page.getByTestId("countdown")).toHaveAttribute("data-held", "true");
      await expect(liveBox(page)).toHaveCount(0);
      await expect(page.getByTestId("held-no-bids")).toBeVisible();
      await stillSameDocument(page);
    }
    await screenshot(b, testInfo, "lot-suspended-phone", "B's page (phone screen) once the judge suspended the lot", false);
  });

  await test.step("three hours later the judge resumes: the two hours that were left run again from then, on both pages", async () => {
    const resumedAt = await setServerClock(request, new Date(heldAt.getTime() + 3 * 60 * MINUTE));
    await signIn(judge, "judge.chaoyang", courtPath); // the idle session has ended meanwhile
    await judge.getByTestId("resume-form").getByLabel(zhCN.courtLot.resumeReason, { exact: true }).fill("异议已审查完毕");
    await judge.getByTestId("resume-submit").click();
    await expect(judge.getByText(zhCN.courtLot.notice.resumed)).toBeVisible();
    const closes: string[] = [];
    for (const page of [a, b]) {
      await expect(page.getByTestId("hold-notice")).toHaveCount(0);
      await expect(page.getByTestId("countdown")).not.toHaveAttribute("data-held", "true");
      // The two hours left at the hold (less the seconds the clicks took), counted from the resumption.
      const close = (await shownClose(page).getAttribute("datetime"))!;
      expect(Date.parse(close) - resumedAt.getTime()).toBeGreaterThan(2 * 60 * MINUTE - 2 * MINUTE);
      expect(Date.parse(close) - resumedAt.getTime()).toBeLessThanOrEqual(2 * 60 * MINUTE + 2 * MINUTE);
      closes.push(close);
      // The open page read the server's clock again on the resumption: it counts down the two hours, not five.
      await expect.poll(async () => Number(await page.getByTestId("time-left").getAttribute("data-seconds-left"))).toBeLessThanOrEqual(2 * 60 * 60 + 120);
      await expect(page.getByTestId("intervention-history")).toContainText(zhCN.lot.hold.kind.resume);
      await stillSameDocument(page);
    }
    expect(closes[0]).toBe(closes[1]);
    // Their idle sessions ended meanwhile: signed in again, a page counts down the two hours and takes bids again.
    await signIn(b, "bidder2", lotPath);
    await expect(liveStatus(b)).toHaveAttribute("data-status", "live");
    await expect(liveBox(b)).toBeVisible();
    const left = Number(await b.getByTestId("time-left").getAttribute("data-seconds-left"));
    expect(left).toBeGreaterThan(2 * 60 * 60 - 240);
    expect(left).toBeLessThanOrEqual(2 * 60 * 60 + 120);
  });
  expect(errors, "errors in the browser console").toEqual([]);
});
