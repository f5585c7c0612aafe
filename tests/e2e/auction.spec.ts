import { mkdirSync } from "node:fs";
import { randomInt } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { residentIdCheckChar } from "../../identity/validators.ts";
import { toChineseCapital } from "../../core/money.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";

// A judicial auction in a real browser: a judge sets up and publishes a lot, two bidders register
// and bid, a late bid extends the close, the lot is sold and the confirmation PDF names the buyer.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts). POST /__test/clock sets its "now" (real time
// keeps running from there) and closes every lot whose close has passed, so the test jumps to the
// start of bidding and to the last minute instead of waiting 16 days. Sessions last 12 hours of the
// server's time, so after each jump the bidders sign in again.

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
/** "¥71,000.00" for 7,100,000 fen, as the pages show amounts. */
const yuanText = (fen: bigint) => `¥${(fen / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ",")}.${(fen % 100n).toString().padStart(2, "0")}`;
/** What a person types in a yuan field: "71000" or "71428.57". */
const yuanInput = (fen: bigint) => (fen % 100n === 0n ? (fen / 100n).toString() : `${fen / 100n}.${(fen % 100n).toString().padStart(2, "0")}`);

/** The demo bidder 刘芳 (bidder2): her resident ID as the demo seed makes it, and as pages mask it. */
const LIU_FANG_ID = "31011519850315002" + residentIdCheckChar("31011519850315002");
const maskId = (id: string) => id.slice(0, 3) + "*".repeat(id.length - 7) + id.slice(-4);

/** Same rule as identity.spec.ts: page exceptions, console errors and 5xx answers fail the test. */
function watchPageErrors(page: Page, who: string, errors: string[]) {
  page.on("pageerror", (error) => errors.push(`${who} pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || message.text().startsWith("Failed to load resource:")) return;
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

const withoutJavaScript = new WeakSet<Page>();

async function newPage(browser: Browser, who: string, errors: string[], options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: "zh-CN", ...options });
  const page = await context.newPage();
  if (options.javaScriptEnabled === false) {
    withoutJavaScript.add(page);
    page.on("response", (response) => {
      const request = response.request();
      if (request.method() === "POST" && request.isNavigationRequest()) {
        lastFormPost.set(page, `POST ${new URL(request.url()).pathname} with Origin: ${request.headers()["origin"] ?? "(none)"} → HTTP ${response.status()}`);
      }
    });
  }
  watchPageErrors(page, who, errors);
  return page;
}

/** Without JavaScript, the last plain form post of each page, for failure messages. */
const lastFormPost = new WeakMap<Page, string>();

/** Without JavaScript: the plain form post just made was not refused outright. */
async function formPostAccepted(page: Page) {
  if (!withoutJavaScript.has(page)) return;
  await page.waitForLoadState();
  const body = (await page.locator("body").innerText()).trim();
  expect(body, `a plain HTML form post was refused: ${lastFormPost.get(page)}`).not.toBe("Bad Request");
}

/**
 * After a full page load, waits until React has hydrated the document, so clicks go to React
 * Router's forms and not to the plain HTML form (that path is the JavaScript-disabled test's).
 */
async function hydrated(page: Page) {
  if (withoutJavaScript.has(page)) return;
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")));
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

async function reload(page: Page) {
  await page.reload();
  await hydrated(page);
}

/** Signs in through the form and lands on `next`. */
async function signIn(page: Page, username: string, next: string) {
  await open(page, `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();
  await formPostAccepted(page);
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
  // A vehicle: no housing declaration.
  await expect(page.getByLabel(zhCN.apply.housingEligibility, { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?applied=1$`));
  await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "awaiting_deposit");
  await page.getByTestId("pay-deposit").click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?deposit=paid$`));
  await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "active");
  const code = (await page.getByTestId("your-code").textContent())?.trim() ?? "";
  expect(code, "bidder code").toMatch(/^\S{4,}$/);
  return code;
}

/** Places a bid through the lot page's form; the page comes back with the bid accepted. */
async function bid(page: Page, lotId: string, amountFen: bigint) {
  const form = page.getByTestId("bid-form");
  await form.getByLabel(zhCN.bid.amount, { exact: true }).fill(yuanInput(amountFen));
  await form.getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?bid=accepted$`));
  await expect(page.getByTestId("success-banner")).toHaveText(zhCN.lot.notice.bidAccepted);
}

const historyRows = (page: Page) => page.getByTestId("bid-history").locator("tbody tr");
/** The close instant the lot page shows (the countdown's first <time>). */
const shownClose = (page: Page) => page.getByTestId("countdown").locator("time").first();

async function screenshot(page: Page, testInfo: TestInfo, name: string, title: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(title, { path, contentType: "image/png" });
}

/** The text of every page of a PDF, in drawing order (pdfjs legacy build, no worker, as in the unit test). */
async function pdfText(pdf: Uint8Array): Promise<string> {
  const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
  try {
    const document = await task.promise;
    let text = "";
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      for (const item of content.items) if ("str" in item) text += item.str;
      text += "\n";
    }
    return text;
  } finally {
    await task.destroy();
  }
}
const squeeze = (s: string) => s.replace(/\s+/gu, "");

test("a judge publishes a lot; two bidders bid, a late bid extends the close; the lot is sold and the confirmation names the buyer", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now(), startingFen: 7_000_000n, incrementFen: 100_000n, depositFen: 700_000n }; // ¥70,000 · ¥1,000 · ¥7,000
  await setServerClock(request, new Date(plan.base));

  const judge = await newPage(browser, "judge", errors);
  const a = await newPage(browser, "bidder1", errors);
  const b = await newPage(browser, "bidder2", errors);

  const lot = await test.step("the judge sets up and publishes a vehicle lot", () => judgeSetsUpLot(judge, plan));
  const lotPath = `/lots/${lot.lotId}`;

  const [codeA, codeB] = await test.step("two bidders apply and pay the demo deposit", async () => {
    const codeA = await bidderRegisters(a, "bidder1", lot.lotId);
    const codeB = await bidderRegisters(b, "bidder2", lot.lotId);
    expect(codeA).not.toBe(codeB);
    return [codeA, codeB];
  });

  await test.step("bidding starts; A bids the starting price", async () => {
    await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
    // 16 days on, the 12-hour sessions have expired: sign in again.
    await signIn(a, "bidder1", lotPath);
    await expect(phaseOf(a)).toHaveAttribute("data-phase", "bidding");
    await expect(shownClose(a)).toHaveAttribute("datetime", lot.endsAt.toISOString());
    await expect(a.getByTestId("bid-form").getByLabel(zhCN.bid.amount, { exact: true })).toHaveValue(yuanInput(plan.startingFen));
    await bid(a, lot.lotId, plan.startingFen);
    await reload(a);
    await expect(historyRows(a)).toHaveCount(1);
    await expect(historyRows(a).first()).toHaveAttribute("data-bidder-code", codeA);
    await expect(historyRows(a).first()).toContainText(yuanText(plan.startingFen));
    await expect(historyRows(a).first()).toContainText(zhCN.lot.bids.yours);
    await expect(a.getByTestId("price")).toHaveText(yuanText(plan.startingFen));
    // Bidding lasts 24 hours: no extension yet.
    await expect(shownClose(a)).toHaveAttribute("datetime", lot.endsAt.toISOString());
  });

  const secondFen = plan.startingFen + plan.incrementFen;
  const newClose = await test.step("one minute before the close, B bids: the close moves to 5 minutes after B's bid", async () => {
    await setServerClock(request, new Date(lot.endsAt.getTime() - MINUTE));
    await signIn(b, "bidder2", lotPath);
    await signIn(a, "bidder1", lotPath);
    await expect(phaseOf(b)).toHaveAttribute("data-phase", "bidding");
    await expect(shownClose(b)).toHaveAttribute("datetime", lot.endsAt.toISOString());
    const closeTextBefore = (await shownClose(b).textContent()) ?? "";
    await expect(historyRows(b).first()).toHaveAttribute("data-bidder-code", codeA);

    await bid(b, lot.lotId, secondFen);
    const top = historyRows(b).first();
    await expect(top).toHaveAttribute("data-bidder-code", codeB);
    await expect(top).toContainText(yuanText(secondFen));
    const placedAt = new Date((await top.locator("time").getAttribute("datetime"))!);
    const closesAt = new Date((await shownClose(b).getAttribute("datetime"))!);
    // The bid was in the last 5 minutes, and the close is now 5 minutes after it (D3).
    expect(lot.endsAt.getTime() - placedAt.getTime()).toBeGreaterThan(0);
    expect(lot.endsAt.getTime() - placedAt.getTime()).toBeLessThanOrEqual(MINUTE);
    expect(closesAt.getTime() - placedAt.getTime(), "close = B's bid time + 5 min").toBe(5 * MINUTE);
    const closeTextAfter = (await shownClose(b).textContent()) ?? "";
    expect(closeTextAfter, "the close time shown changed").not.toBe(closeTextBefore);
    // The rules list the extended close beside the original end.
    const rules = b.getByRole("region", { name: zhCN.lot.rules.title });
    await expect(rules.locator(".summary-list__row", { hasText: zhCN.lot.rules.closesAt }).locator("time")).toHaveAttribute("datetime", closesAt.toISOString());
    await expect(b.getByTestId("price")).toHaveText(yuanText(secondFen));
    await screenshot(b, testInfo, "auction-bidding", "lot page during bidding (after the late bid)");

    // A sees B's bid (and the new close) after a reload.
    await reload(a);
    await expect(historyRows(a)).toHaveCount(2);
    await expect(historyRows(a).first()).toHaveAttribute("data-bidder-code", codeB);
    await expect(historyRows(a).nth(1)).toHaveAttribute("data-bidder-code", codeA);
    await expect(a.getByTestId("price")).toHaveText(yuanText(secondFen));
    await expect(shownClose(a)).toHaveAttribute("datetime", closesAt.toISOString());
    return closesAt;
  });

  await test.step("the close passes: the lot is sold to B", async () => {
    await setServerClock(request, new Date(newClose.getTime() + 2_000));
    await open(b, lotPath); // without the "bid accepted" notice of the last visit
    await expect(phaseOf(b)).toHaveAttribute("data-phase", "sold");
    const result = b.getByTestId("result");
    await expect(result).toContainText("刘芳");
    await expect(result).toContainText(maskId(LIU_FANG_ID));
    await expect(result).not.toContainText(LIU_FANG_ID);
    await expect(result).toContainText(codeB);
    await expect(result).toContainText(yuanText(secondFen));
    await expect(b.getByTestId("price")).toHaveText(yuanText(secondFen));
    await expect(b.getByTestId("countdown").locator("time")).toHaveAttribute("datetime", newClose.toISOString());
    await expect(b.getByTestId("bidder-panel")).toContainText(zhCN.lot.yours.won);
    await screenshot(b, testInfo, "auction-sold", "lot page after the sale");

    await open(a, lotPath);
    await expect(phaseOf(a)).toHaveAttribute("data-phase", "sold");
    await expect(a.getByTestId("bidder-panel")).toContainText(zhCN.lot.yours.ended);
    await expect(a.getByTestId("result")).toContainText("刘芳");
  });

  await test.step("the confirmation PDF is downloadable and names the buyer", async () => {
    const link = b.getByTestId("confirmation-link");
    await expect(link).toHaveText(zhCN.lot.result.confirmation);
    const href = (await link.getAttribute("href"))!;
    expect(href).toBe(`${lotPath}/confirmation.pdf`);
    const res = await b.request.get(href);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
    const body = await res.body();
    expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await testInfo.attach("confirmation.pdf", { body, contentType: "application/pdf" });
    const text = squeeze(await pdfText(new Uint8Array(body)));
    for (const expected of ["刘芳", maskId(LIU_FANG_ID), codeB, lot.caseNumber, toChineseCapital(secondFen)]) {
      expect(text, `the PDF contains ${expected}`).toContain(squeeze(expected));
    }
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [judge, a, b]) await page.context().close();
});

test("the bid form works with JavaScript disabled", async ({ browser, request }, testInfo) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  // After the first test's days: the server's clock only moves forward within a run.
  const plan: LotPlan = { base: Date.now() + 40 * DAY, startingFen: 5_000_000n, incrementFen: 50_000n, depositFen: 500_000n };
  await setServerClock(request, new Date(plan.base));

  const judge = await newPage(browser, "judge", errors);
  const lot = await judgeSetsUpLot(judge, plan);
  await judge.context().close();
  const lotPath = `/lots/${lot.lotId}`;

  const page = await newPage(browser, "bidder3 (no JavaScript)", errors, { javaScriptEnabled: false });
  // Every step is a plain HTML form post: sign-in, application, deposit, bid.
  const code = await bidderRegisters(page, "bidder3", lot.lotId);

  await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
  await signIn(page, "bidder3", lotPath);
  await expect(phaseOf(page)).toHaveAttribute("data-phase", "bidding");
  await expect(page.getByTestId("bid-history-empty")).toHaveText(zhCN.lot.bids.none);
  await bid(page, lot.lotId, plan.startingFen + 2n * plan.incrementFen);
  await expect(historyRows(page)).toHaveCount(1);
  await expect(historyRows(page).first()).toHaveAttribute("data-bidder-code", code);
  await expect(historyRows(page).first()).toContainText(yuanText(plan.startingFen + 2n * plan.incrementFen));
  await expect(page.getByTestId("price")).toHaveText(yuanText(plan.startingFen + 2n * plan.incrementFen));
  await screenshot(page, testInfo, "auction-no-js-bid", "lot page after a bid without JavaScript");

  expect(errors, "errors in the browser console").toEqual([]);
  await page.context().close();
});
