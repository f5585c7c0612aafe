import { mkdirSync } from "node:fs";
import { randomInt } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type BrowserContextOptions, type Page, type TestInfo } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { toChineseCapital } from "../../core/money.ts";

// Helpers shared by the auction specs (auction.spec.ts, live.spec.ts): time and money as the pages
// show them, pages that fail the test on browser errors, the server's movable clock (TEST_CLOCK=1,
// see run.ts), sign-in, and the judge's and bidders' set-up steps. Not a spec: Playwright collects
// only *.spec.ts (playwright.config.ts).

const ARTIFACTS = "tests/artifacts";
const PASSWORD = "demo-password-2026";
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const BEIJING_OFFSET_MS = 8 * HOUR;

/** What a `datetime-local` input takes, in Beijing time: "2026-12-27T10:00". */
export const beijingDateTime = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
/** What a `date` input takes, in Beijing time: "2026-12-27". */
export const beijingDate = (ms: number) => beijingDateTime(ms).slice(0, 10);
/** "¥71,000.00" for 7,100,000 fen, as the pages show amounts. */
export const yuanText = (fen: bigint) => `¥${(fen / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ",")}.${(fen % 100n).toString().padStart(2, "0")}`;
/** What a person types in a yuan field: "71000" or "71428.57". */
export const yuanInput = (fen: bigint) => (fen % 100n === 0n ? (fen / 100n).toString() : `${fen / 100n}.${(fen % 100n).toString().padStart(2, "0")}`);

/**
 * Same rule as identity.spec.ts: page exceptions, console errors and 5xx answers fail the test.
 * `ignore` lets a page whose socket is blocked on purpose log its failed connections.
 */
export function watchPageErrors(page: Page, who: string, errors: string[], ignore: (text: string) => boolean = () => false) {
  page.on("pageerror", (error) => errors.push(`${who} pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || message.text().startsWith("Failed to load resource:") || ignore(message.text())) return;
    errors.push(`${who} console.error: ${message.text()} (${message.location().url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`${who} HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
}

/** Sets the server's "now" (POST /__test/clock; lots whose close has passed are closed) and returns it. */
export async function setServerClock(request: APIRequestContext, at: Date): Promise<Date> {
  const res = await request.post("/__test/clock", { data: { at: at.toISOString() } });
  expect(res.status(), `POST /__test/clock ${await res.text()}`).toBe(200);
  return new Date(((await res.json()) as { now: string }).now);
}

const withoutJavaScript = new WeakSet<Page>();

/** Without JavaScript, the last plain form post of each page, for failure messages. */
const lastFormPost = new WeakMap<Page, string>();

/**
 * A page in a new browser context (zh-CN; `options` added, e.g. a viewport or
 * `javaScriptEnabled: false`) whose errors go to `errors`, except console errors `ignore` accepts.
 */
export async function newPage(browser: Browser, who: string, errors: string[], options: BrowserContextOptions = {}, ignore?: (text: string) => boolean): Promise<Page> {
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
  watchPageErrors(page, who, errors, ignore);
  return page;
}

/** Without JavaScript: the plain form post just made was not refused outright. */
export async function formPostAccepted(page: Page) {
  if (!withoutJavaScript.has(page)) return;
  await page.waitForLoadState();
  const body = (await page.locator("body").innerText()).trim();
  expect(body, `a plain HTML form post was refused: ${lastFormPost.get(page)}`).not.toBe("Bad Request");
}

/**
 * After a full page load, waits until React has hydrated the document, so clicks go to React
 * Router's forms and not to the plain HTML form (that path is the JavaScript-disabled test's).
 */
export async function hydrated(page: Page) {
  if (withoutJavaScript.has(page)) return;
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")));
}

/** Loads `url` and waits for hydration. */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

/** Signs in through the form and lands on `next`. */
export async function signIn(page: Page, username: string, next: string) {
  await open(page, `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();
  await formPostAccepted(page);
  await expect(page).toHaveURL((url) => url.pathname === next);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

export const phaseOf = (page: Page) => page.getByRole("main").locator("[data-phase]").first();

export interface LotPlan {
  /** The server's "now" when the lot is set up. */
  base: number;
  startingFen: bigint;
  incrementFen: bigint;
  depositFen: bigint;
}

export interface PublishedLot {
  lotId: string;
  caseNumber: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The judge's steps: a case, a vehicle (15 days' notice), its reference price, a lot bidding from
 * 16 days after `base` for 24 hours, and its publication. The server's clock must read `base`.
 */
export async function judgeSetsUpLot(judge: Page, plan: LotPlan): Promise<PublishedLot> {
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
  await publishFromPreview(judge, plan.startingFen);
  await expect(phaseOf(judge)).toHaveAttribute("data-phase", "announced");
  return { lotId, caseNumber, startsAt, endsAt };
}

/** 大写 as the confirmation steps write it: "人民币叁万零伍佰元整". */
export const inWords = (fen: bigint) => `人民币${toChineseCapital(fen)}`;

/** On a draft's court page: "publish" shows the announcement as the public will read it; the judge confirms it there. */
export async function publishFromPreview(judge: Page, startingFen?: bigint) {
  await judge.getByTestId("publish").click();
  await expect(judge).toHaveURL(/\/court\/lots\/[0-9a-f-]{36}\/publish$/);
  await expect(judge.getByTestId("announcement-preview")).toBeVisible();
  if (startingFen !== undefined) {
    await expect(judge.getByTestId("preview-starting-price")).toContainText(yuanText(startingFen));
    await expect(judge.getByTestId("preview-starting-price-words")).toHaveText(inWords(startingFen));
  } else {
    await expect(judge.getByTestId("preview-starting-price-words")).toHaveText(/^人民币\S+$/);
  }
  await judge.getByTestId("confirm-publish").click();
  await formPostAccepted(judge);
  await expect(judge).toHaveURL(/\/court\/lots\/[0-9a-f-]{36}\?done=published$/);
  await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.published);
}

/** On the deposit page (the confirmation step): the amount due in figures and in 大写, then on to the checkout. */
export async function confirmDeposit(page: Page, lotId: string, depositFen?: bigint) {
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}/deposit$`));
  if (depositFen !== undefined) {
    await expect(page.getByTestId("deposit-amount")).toContainText(yuanText(depositFen));
    await expect(page.getByTestId("deposit-amount-words")).toHaveText(inWords(depositFen));
  } else {
    await expect(page.getByTestId("deposit-amount-words")).toHaveText(/^人民币\S+$/);
  }
  await page.getByTestId("confirm-deposit").click();
  await formPostAccepted(page);
}

/**
 * A bidder applies (declarations ticked) and pays the demo deposit; returns the bidder code.
 * `checkEachStep` also checks the steps in between: no housing declaration (the lot is a vehicle),
 * and the registration awaiting its deposit before the payment.
 */
export async function bidderRegisters(page: Page, username: string, lotId: string, { checkEachStep = false } = {}): Promise<string> {
  await signIn(page, username, `/lots/${lotId}`);
  await expect(phaseOf(page)).toHaveAttribute("data-phase", "announced");
  await page.getByTestId("apply-link").click();
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}/apply$`));
  await page.getByLabel(zhCN.apply.acceptWarnings, { exact: true }).check();
  await page.getByLabel(zhCN.apply.declareNotBarred, { exact: true }).check();
  // A vehicle: no housing declaration.
  if (checkEachStep) await expect(page.getByLabel(zhCN.apply.housingEligibility, { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?applied=1$`));
  if (checkEachStep) await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "awaiting_deposit");
  await page.getByTestId("pay-deposit").click();
  await confirmDeposit(page, lotId);
  await payOnSimulatedBank(page, DEMO_NAMES[username]!, checkEachStep);
  await waitForDeposit(page, lotId);
  await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "active");
  const code = (await page.getByTestId("your-code").textContent())?.trim() ?? "";
  expect(code, "bidder code").toMatch(/^\S{4,}$/);
  return code;
}

/** The demo bidders' verified real names (server/demo-seed.ts): a deposit is paid in the bidder's own name (C2). */
export const DEMO_NAMES: Record<string, string> = { bidder1: "张伟", bidder2: "刘芳", bidder3: "赵强" };
export const SUCCEEDING_CARD = "4242 4242 4242 4242";
export const DECLINED_CARD = "4000 0000 0000 0002";

/** On the simulated bank's checkout (where "pay" led): a test card in the holder's name, then back to the platform. */
export async function payOnSimulatedBank(page: Page, holderName: string, checkEachStep = false, card = SUCCEEDING_CARD) {
  await expect(page).toHaveURL(/\/simulated-bank\/ch_[0-9a-f]+$/);
  if (checkEachStep) await expect(page.getByTestId("simulated-notice")).toBeVisible();
  await page.getByLabel(zhCN.simulatedBank.cardNumber, { exact: true }).fill(card);
  await page.getByLabel(zhCN.simulatedBank.holderName, { exact: true }).fill(holderName);
  await page.getByTestId("pay").click();
  await expect(page.getByTestId("payment-result")).toBeVisible();
  await page.getByTestId("return-to-platform").click();
}

/** The bank's notice reaches the platform by webhook within seconds: the deposit page then sends the bidder to the lot. */
export async function waitForDeposit(page: Page, lotId: string) {
  await expect(async () => {
    await page.goto(`/lots/${lotId}/deposit`);
    await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?deposit=paid$`), { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

/**
 * Places a bid through the lot page's form (the live box, or the HTML form without the socket or JavaScript),
 * through its confirmation; the page comes back with the bid accepted.
 */
export async function bid(page: Page, lotId: string, amountFen: bigint) {
  const form = page.getByTestId("bid-form");
  await form.getByLabel(zhCN.bid.amount, { exact: true }).fill(yuanInput(amountFen));
  await form.getByRole("button", { name: zhCN.bid.next, exact: true }).click();
  await formPostAccepted(page);
  await confirmBid(page, amountFen);
  await expect(page).toHaveURL(new RegExp(`/lots/${lotId}\\?bid=accepted$`));
  await expect(page.getByTestId("success-banner")).toHaveText(zhCN.lot.notice.bidAccepted);
}

/** The bid's confirmation (inline in the live box, or its own page): the amount in figures and in 大写, then one click. */
export async function confirmBid(page: Page, amountFen: bigint) {
  const confirmation = page.getByTestId("bid-confirmation");
  await expect(confirmation.getByTestId("bid-amount")).toContainText(yuanText(amountFen));
  await expect(confirmation.getByTestId("bid-amount-words")).toHaveText(inWords(amountFen));
  await confirmation.getByRole("button", { name: zhCN.bid.submit, exact: true }).click();
  await formPostAccepted(page);
}

/** The bidder's payments page, reloaded until the lot's row shows `text` (the gateway's notices arrive by webhook). */
export async function paymentsShow(page: Page, lotPath: string, text: string) {
  await expect(async () => {
    await page.goto("/my/payments");
    const row = page.locator("main tr", { has: page.locator(`a[href="${lotPath}"]`) });
    await expect(row).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

export const historyRows = (page: Page) => page.getByTestId("bid-history").locator("tbody tr");
/** The close instant the lot page shows (the countdown's first <time>). */
export const shownClose = (page: Page) => page.getByTestId("countdown").locator("time").first();

/** Saves a screenshot to tests/artifacts and attaches it: the whole page, or (phone) what the screen shows first. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string, title: string, fullPage = true) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage });
  await testInfo.attach(title, { path, contentType: "image/png" });
}
