import { expect, test, type Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { residentIdCheckChar } from "../../identity/validators.ts";
import { toChineseCapital } from "../../core/money.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import {
  DAY,
  MINUTE,
  bid,
  bidderRegisters,
  historyRows,
  hydrated,
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

// A judicial auction in a real browser: a judge sets up and publishes a lot, two bidders register
// and bid, a late bid extends the close, the lot is sold and the confirmation PDF names the buyer.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts). POST /__test/clock sets its "now" (real time
// keeps running from there) and closes every lot whose close has passed, so the test jumps to the
// start of bidding and to the last minute instead of waiting 16 days. Sessions last 12 hours of the
// server's time, so after each jump the bidders sign in again.
// The set-up helpers (clock, sign-in, the judge's and bidders' steps) are in support.ts.

/** The demo bidder 刘芳 (bidder2): her resident ID as the demo seed makes it, and as pages mask it. */
const LIU_FANG_ID = "31011519850315002" + residentIdCheckChar("31011519850315002");
const maskId = (id: string) => id.slice(0, 3) + "*".repeat(id.length - 7) + id.slice(-4);

async function reload(page: Page) {
  await page.reload();
  await hydrated(page);
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
    const codeA = await bidderRegisters(a, "bidder1", lot.lotId, { checkEachStep: true });
    const codeB = await bidderRegisters(b, "bidder2", lot.lotId, { checkEachStep: true });
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
  const code = await bidderRegisters(page, "bidder3", lot.lotId, { checkEachStep: true });

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
