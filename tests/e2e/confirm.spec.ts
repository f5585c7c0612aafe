import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import {
  DAY,
  DEMO_NAMES,
  bid,
  confirmDeposit,
  formPostAccepted,
  historyRows,
  judgeSetsUpLot,
  newPage,
  payOnSimulatedBank,
  screenshot,
  setServerClock,
  signIn,
  waitForDeposit,
  type LotPlan,
} from "./support.ts";

// Money moves only after a second step that shows the amount in figures and in 大写: the deposit on its own page, the
// bid inline in the live box (one extra click) or, without JavaScript, on the HTML form's confirmation page.

/** Applies for the lot and pays the deposit through its confirmation step. */
async function registerAndPay(page: Page, username: string, lotId: string, depositFen: bigint) {
  await signIn(page, username, `/lots/${lotId}`);
  await page.getByTestId("apply-link").click();
  await page.getByLabel(zhCN.apply.acceptWarnings, { exact: true }).check();
  await page.getByLabel(zhCN.apply.declareNotBarred, { exact: true }).check();
  await page.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
  await formPostAccepted(page);
  await page.getByTestId("pay-deposit").click();
  await confirmDeposit(page, lotId, depositFen);
  await payOnSimulatedBank(page, DEMO_NAMES[username]!);
  await waitForDeposit(page, lotId);
  await expect(page.getByTestId("bidder-panel")).toHaveAttribute("data-registration", "active");
}

test("a deposit and a bid each pass through their confirmation step, with and without JavaScript", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 80 * DAY, startingFen: 12_345_600n, incrementFen: 100_000n, depositFen: 1_300_000n }; // ¥123,456 · ¥1,000 · ¥13,000
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const lot = await test.step("a judge checks the announcement's preview and publishes the lot", () => judgeSetsUpLot(judge, plan));
  await judge.context().close();

  const withJs = await newPage(browser, "bidder1 (JavaScript)", errors);
  const withoutJs = await newPage(browser, "bidder2 (no JavaScript)", errors, { javaScriptEnabled: false });
  await test.step("with JavaScript: the deposit page shows ¥13,000.00 and 人民币壹万叁仟元整 before the payment starts", async () => {
    await registerAndPay(withJs, "bidder1", lot.lotId, plan.depositFen);
  });
  await test.step("without JavaScript: the same confirmation page, and its plain form post starts the payment", async () => {
    await registerAndPay(withoutJs, "bidder2", lot.lotId, plan.depositFen);
  });

  await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
  await test.step("with JavaScript: the live box asks for one confirming click on ¥123,456.00 and 人民币壹拾贰万叁仟肆佰伍拾陆元整", async () => {
    await signIn(withJs, "bidder1", `/lots/${lot.lotId}`);
    await expect(withJs.getByTestId("live-bid-box")).toBeVisible();
    await bid(withJs, lot.lotId, plan.startingFen);
    await expect(historyRows(withJs)).toHaveCount(1);
  });
  const secondFen = plan.startingFen + plan.incrementFen;
  await test.step("without JavaScript: the HTML form's post shows the confirmation page; changing the amount bids nothing", async () => {
    await signIn(withoutJs, "bidder2", `/lots/${lot.lotId}`);
    const form = withoutJs.getByTestId("bid-form");
    await form.getByLabel(zhCN.bid.amount, { exact: true }).fill("123,556");
    await form.getByRole("button", { name: zhCN.bid.next, exact: true }).click();
    await formPostAccepted(withoutJs);
    await expect(withoutJs).toHaveURL(new RegExp(`/lots/${lot.lotId}/bid$`));
    await expect(withoutJs.getByRole("heading", { level: 1 })).toHaveText(zhCN.bid.confirm.title);
    await expect(withoutJs.getByTestId("bid-amount-words")).toHaveText("人民币壹拾贰万叁仟伍佰伍拾陆元整");
    await screenshot(withoutJs, testInfo, "confirm-bid", "the bid's confirmation page, without JavaScript");
    await withoutJs.getByRole("link", { name: zhCN.bid.confirm.change, exact: true }).click();
    await expect(historyRows(withoutJs)).toHaveCount(1);
    await bid(withoutJs, lot.lotId, secondFen);
    await expect(historyRows(withoutJs)).toHaveCount(2);
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [withJs, withoutJs]) await page.context().close();
});
