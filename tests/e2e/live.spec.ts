import { mkdirSync } from "node:fs";
import { randomInt } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions, type Page, type TestInfo, type WebSocketRoute } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";

// Live bidding in real browsers (the "Live bidding" issue's Done-when): two bidders watch one lot over
// Socket.IO; A's bid from the live bid box reaches B's page without a reload; a bid in the last minute
// extends the close on both pages; with the socket blocked the page says it is offline and the HTML
// form still bids; the close brings the result to the open pages.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts); POST /__test/clock moves its clock and closes
// lots that are due. Sessions last 12 hours of server time, so bidders sign in again after each jump.
// The set-up helpers are copied from auction.spec.ts (specs do not share code).

const ARTIFACTS = "tests/artifacts";
const PASSWORD = "demo-password-2026";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BEIJING_OFFSET_MS = 8 * HOUR;

/** What a `datetime-local` input takes, in Beijing time: "2026-12-27T10:00". */
const beijingDateTime = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
/** What a `date` input takes, in Beijing time: "2026-12-27". */
const beijingDate = (ms: number) => beijingDateTime(ms).slice(0, 10);
/** "10:04:33", Beijing time, as the extension notice shows a close. */
const beijingClock = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(11, 19);
/** "¥71,000.00" for 7,100,000 fen, as the pages show amounts. */
const yuanText = (fen: bigint) => `¥${(fen / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ",")}.${(fen % 100n).toString().padStart(2, "0")}`;
/** What a person types in a yuan field: "71000" or "71428.57". */
const yuanInput = (fen: bigint) => (fen % 100n === 0n ? (fen / 100n).toString() : `${fen / 100n}.${(fen % 100n).toString().padStart(2, "0")}`);

/**
 * Page exceptions, console errors and 5xx answers fail the test (as in the other specs). `ignore`
 * lets the page whose socket is blocked on purpose log its failed connections.
 */
function watchPageErrors(page: Page, who: string, errors: string[], ignore: (text: string) => boolean = () => false) {
  page.on("pageerror", (error) => errors.push(`${who} pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || message.text().startsWith("Failed to load resource:") || ignore(message.text())) return;
    errors.push(`${who} console.error: ${message.text()} (${message.location().url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`${who} HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
}

async function setServerClock(request: APIRequestContext, at: Date): Promise<Date> {
  const res = await request.post("/__test/clock", { data: { at: at.toISOString() } });
  expect(res.status(), `POST /__test/clock ${await res.text()}`).toBe(200);
  return new Date(((await res.json()) as { now: string }).now);
}

async function newPage(browser: Browser, who: string, errors: string[], options: BrowserContextOptions = {}, ignore?: (text: string) => boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: "zh-CN", ...options });
  const page = await context.newPage();
  watchPageErrors(page, who, errors, ignore);
  return page;
}

/** After a full page load, waits until React has hydrated the document (clicks then go to React). */
async function hydrated(page: Page) {
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")));
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

/** Signs in through the form and lands on `next`. */
async function signIn(page: Page, username: string, next: string) {
  await open(page, `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === next);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

const phaseOf = (page: Page) => page.getByRole("main").locator("[data-phase]").first();

interface LotPlan {
  /** The server's "now" when the lot is set up. */
  base: number;
  startingFen: bigint;
  incrementFen: bigint;
  depositFen: bigint;
}

interface PublishedLot {
  lotId: string;
  caseNumber: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The judge's steps: a case, a vehicle (15 days' notice), its reference price, a lot bidding from
 * 16 days after `base` for 24 hours, and its publication. The server's clock must read `base`.
 */
async function judgeSetsUpLot(judge: Page, plan: LotPlan): Promise<PublishedLot> {
  const { base } = plan;
  const serial = randomInt(1000, 1_000_000);
  const caseNumber = `（${beijingDate(base).slice(0, 4)}）京0105执${serial}号`;
  // Whole minutes: datetime-local inputs have no seconds.
  const startsAt = new Date(Math.ceil((base + 16 * DAY) / MINUTE) * MINUTE);
  const endsAt = new Date(startsAt.getTime() + DAY);

  await signIn(judge, "judge.chaoyang", "/court/cases");
  await judge.getByLabel(zhCN.fields.caseNumber, { exact: true }).fill(caseNumber);
  await judge.getByLabel(zhCN.fields.enforcementBasis, { exact: true }).fill(`（${beijingDate(base).slice(0, 4)}）京0105民初${serial}号民事判决书`);
  await judge.getByRole("button", { name: zhCN.court.cases.create, exact: true }).click();
  await expect(judge).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}$/);
  await expect(judge.getByRole("heading", { level: 1 })).toHaveText(caseNumber);

  // The asset: a car.
  await judge.locator("details > summary", { hasText: zhCN.court.case.addAsset }).click();
  const assetForm = judge.locator('form:has(input[name="intent"][value="asset"])');
  await assetForm.getByLabel(zhCN.fields.category, { exact: true }).selectOption("vehicle");
  await assetForm.getByLabel(zhCN.court.case.assetTitle, { exact: true }).fill(`京N·${serial} 小型轿车一辆`);
  await assetForm.getByLabel(zhCN.fields.regionCode, { exact: true }).fill("110105");
  await assetForm.getByLabel(zhCN.fields.description, { exact: true }).fill("2019年登记的小型轿车，白色，行驶约6万公里，停放于朝阳区法院停车场。");
  await assetForm.getByLabel(zhCN.fields.encumbrances, { exact: true }).fill("无");
  await assetForm.getByLabel(zhCN.fields.occupancy, { exact: true }).fill("法院扣押保管");
  await assetForm.getByLabel(zhCN.fields.lease, { exact: true }).fill("无");
  await assetForm.getByLabel(zhCN.fields.taxes, { exact: true }).fill("无");
  await assetForm.getByLabel(zhCN.fields.knownDefects, { exact: true }).fill("右后门有划痕");
  await assetForm.getByLabel(zhCN.fields.seizedAt, { exact: true }).fill(beijingDate(base - 60 * DAY));
  await assetForm.getByRole("button", { name: zhCN.court.case.addAssetSubmit, exact: true }).click();
  await expect(judge).toHaveURL(/\/court\/assets\/[0-9a-f-]{36}$/);

  // The reference price (negotiated by the parties), valid from yesterday for 200 days.
  const referenceFen = (plan.startingFen * 10n) / 7n; // the starting price is then exactly 70%
  const priceForm = judge.locator('form:has(input[name="amountFen"])');
  await priceForm.getByRole("radio", { name: zhCN.priceMethod.negotiation }).check();
  await priceForm.getByLabel(zhCN.court.asset.amount, { exact: true }).fill(yuanInput(referenceFen));
  await priceForm.getByLabel(zhCN.fields.documentTitle, { exact: true }).fill(`议价笔录（${serial}）`);
  await priceForm.getByLabel(zhCN.fields.validFrom, { exact: true }).fill(beijingDate(base - DAY));
  await priceForm.getByLabel(zhCN.fields.validUntil, { exact: true }).fill(beijingDate(base + 200 * DAY));
  await priceForm.getByRole("button", { name: zhCN.court.asset.recordSubmit, exact: true }).click();
  await expect(judge).toHaveURL(/\?recorded=1$/);
  await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.court.asset.recorded);

  // The lot.
  await judge.getByTestId("set-up-lot").click();
  await expect(judge).toHaveURL(/\/lots\/new$/);
  const lotForm = judge.getByTestId("lot-form");
  await lotForm.getByLabel(zhCN.fields.startingPriceFen, { exact: true }).fill(yuanInput(plan.startingFen));
  await lotForm.getByLabel(zhCN.fields.depositFen, { exact: true }).fill(yuanInput(plan.depositFen));
  await lotForm.getByLabel(zhCN.fields.incrementFen, { exact: true }).fill(yuanInput(plan.incrementFen));
  await lotForm.getByLabel(zhCN.fields.biddingStartsAt, { exact: true }).fill(beijingDateTime(startsAt.getTime()));
  await lotForm.getByLabel(zhCN.fields.biddingEndsAt, { exact: true }).fill(beijingDateTime(endsAt.getTime()));
  await lotForm.getByLabel(zhCN.fields.panelDecision, { exact: true }).fill(`（${beijingDate(base).slice(0, 4)}）京0105执${serial}号之一合议庭决定`);
  await lotForm.getByLabel(zhCN.fields.depositAccount, { exact: true }).fill("北京市朝阳区人民法院 · 中国工商银行北京朝阳支行 · 0200 0000 0000 0000 000");
  await lotForm.getByLabel(zhCN.fields.transferTaxes, { exact: true }).fill("过户税费由买受人承担。");
  await lotForm.getByLabel(zhCN.fields.courtContact, { exact: true }).fill("王法官 010-00000000；监督电话 010-00000001");
  await lotForm.getByLabel(zhCN.fields.partiesNotifiedAt, { exact: true }).fill(beijingDateTime(base - 4 * DAY));
  await lotForm.getByRole("button", { name: zhCN.lotNew.submit, exact: true }).click();
  await expect(judge).toHaveURL(/\/court\/lots\/[0-9a-f-]{36}$/);
  const lotId = new URL(judge.url()).pathname.split("/").at(-1)!;
  await expect(phaseOf(judge)).toHaveAttribute("data-phase", "draft");

  // Publication.
  await judge.getByTestId("publish").click();
  await expect(judge).toHaveURL(/\?done=published$/);
  await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.published);
  await expect(phaseOf(judge)).toHaveAttribute("data-phase", "announced");
  return { lotId, caseNumber, startsAt, endsAt };
}

/** A bidder applies (declarations ticked) and pays the demo deposit; returns the bidder code. */
async function bidderRegisters(page: Page, username: string, lotId: string): Promise<string> {
  await signIn(page, username, `/lots/${lotId}`);
  await expect(phaseOf(page)).toHaveAttribute("data-phase", "announced");
  await page.getByTestId("apply-link").click();
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}/apply$`));
  await page.getByLabel(zhCN.apply.acceptWarnings, { exact: true }).check();
  await page.getByLabel(zhCN.apply.declareNotBarred, { exact: true }).check();
  await page.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?applied=1$`));
  await page.getByTestId("pay-deposit").click();
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?deposit=paid$`));
  await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "active");
  const code = (await page.getByTestId("your-code").textContent())?.trim() ?? "";
  expect(code, "bidder code").toMatch(/^\S{4,}$/);
  return code;
}

const historyRows = (page: Page) => page.getByTestId("bid-history").locator("tbody tr");
/** The close instant the lot page shows (the countdown's first <time>). */
const shownClose = (page: Page) => page.getByTestId("countdown").locator("time").first();
const liveStatus = (page: Page) => page.getByTestId("live-status");
const liveBox = (page: Page) => page.getByTestId("live-bid-box");
const liveAmount = (page: Page) => liveBox(page).getByLabel(zhCN.bid.amount, { exact: true });
/** The HTML form (the fallback), not the live box (which carries the same test id inside it). */
const htmlBidForm = (page: Page) => page.locator('form[data-testid="bid-form"]:not([data-mode="live"])');

/** Marks the document; the mark is gone if the page was reloaded. */
const markDocument = (page: Page) => page.evaluate(() => void ((window as unknown as { liveMark?: number }).liveMark = 1));
const stillSameDocument = async (page: Page) => expect(await page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark), "the page was not reloaded").toBe(1);

/** The whole page, or (phone) what the screen shows first. */
async function screenshot(page: Page, testInfo: TestInfo, name: string, title: string, fullPage = true) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage });
  await testInfo.attach(title, { path, contentType: "image/png" });
}

test("live bidding: bids reach the other bidder without a reload, a late bid extends the close on both pages, and the HTML form is the fallback", async ({ browser, request }, testInfo) => {
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
    await liveBox(a).getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
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
    await liveBox(b).getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
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

    await liveBox(b).getByTestId("quick-1").click();
    await expect(liveAmount(b)).toHaveValue(yuanInput(secondFen));
    await liveBox(b).getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
    await expect(b).toHaveURL(new RegExp(`${lotPath}\\?bid=accepted$`));

    // A, without reloading: B's bid, and the close moved to B's bid time + 5 minutes (D3).
    await expect(historyRows(a).first()).toHaveAttribute("data-bidder-code", codeB);
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

    await htmlBidForm(c).getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
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
