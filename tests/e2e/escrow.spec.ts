import { expect, test } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import {
  DECLINED_CARD,
  DEMO_NAMES,
  bid,
  bidderRegisters,
  confirmDeposit,
  formPostAccepted,
  judgeSetsUpLot,
  newPage,
  open,
  payOnSimulatedBank,
  paymentsShow,
  screenshot,
  setServerClock,
  signIn,
  waitForDeposit,
  type LotPlan,
} from "./support.ts";

// The money of a sale in a real browser, on the simulated gateway: a declined card, a deposit paid in the bidder's own
// name, the close releasing the loser's deposit, the winner paying the balance, the judge approving a distribution,
// and the case's fund flow summing to zero (C2, F1, F2, F3, H3, H5, H6, P14).

test("C2, F1, F2, F3, H3, H5, P14: deposits, the close, the balance and a distribution move money the case's fund flow accounts for", async ({ browser, request }, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 200 * 24 * 60 * 60 * 1000, startingFen: 4_000_000n, incrementFen: 100_000n, depositFen: 400_000n };
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const lot = await judgeSetsUpLot(judge, plan);
  const lotPath = `/lots/${lot.lotId}`;

  const a = await newPage(browser, "bidder1 (loses)", errors);
  await test.step("C2: a declined card shows a clear error and admits nobody; a card in the bidder's own name pays the deposit", async () => {
    await signIn(a, "bidder1", lotPath);
    await a.getByTestId("apply-link").click();
    await a.getByLabel(zhCN.apply.acceptWarnings, { exact: true }).check();
    await a.getByLabel(zhCN.apply.declareNotBarred, { exact: true }).check();
    await a.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
    await formPostAccepted(a);
    await a.getByTestId("pay-deposit").click();
    await confirmDeposit(a, lot.lotId, plan.depositFen);
    await expect(a.getByTestId("simulated-notice")).toBeVisible();
    await a.getByLabel(zhCN.simulatedBank.cardNumber, { exact: true }).fill(DECLINED_CARD);
    await a.getByLabel(zhCN.simulatedBank.holderName, { exact: true }).fill(DEMO_NAMES.bidder1!);
    await a.getByTestId("pay").click();
    await expect(a.getByTestId("payment-result")).toHaveAttribute("role", "alert");
    await screenshot(a, testInfo, "escrow-declined", "the simulated bank after a declined card");
    await a.getByTestId("return-to-platform").click();
    await expect(async () => {
      await a.goto(`${lotPath}/deposit`);
      await expect(a.getByTestId("payment-status")).toContainText(zhCN.deposit.reason.card_declined, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await confirmDeposit(a, lot.lotId, plan.depositFen);
    await payOnSimulatedBank(a, DEMO_NAMES.bidder1!);
    await waitForDeposit(a, lot.lotId);
  });
  const b = await newPage(browser, "bidder2 (wins)", errors);
  await bidderRegisters(b, "bidder2", lot.lotId);

  const priceFen = plan.startingFen + plan.incrementFen;
  await test.step("bidding: B outbids A; the close passes and the lot is sold to B", async () => {
    await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
    await signIn(a, "bidder1", lotPath);
    await bid(a, lot.lotId, plan.startingFen);
    await signIn(b, "bidder2", lotPath);
    await bid(b, lot.lotId, priceFen);
    await setServerClock(request, new Date(lot.endsAt.getTime() + 2_000));
    // The clock has moved past the sessions' idle limit: B signs in again.
    await signIn(b, "bidder2", lotPath);
    await expect(async () => {
      await open(b, lotPath);
      await expect(b.getByTestId("bidder-panel")).toContainText(zhCN.lot.yours.won, { timeout: 1_000 });
    }).toPass({ timeout: 90_000 });
  });

  await test.step("F1: the loser's deposit is refunded", async () => {
    await signIn(a, "bidder1", "/my/payments");
    await paymentsShow(a, lotPath, zhCN.myPayments.state.refunded);
    await screenshot(a, testInfo, "escrow-refunded", "the loser's payments after the close");
  });

  await test.step("F2, F3: the winner pays the balance on the bank's checkout; the sale is paid in full", async () => {
    // B signed in again after the close. The balance falls due when the close job has settled the deposits.
    await expect(async () => {
      await open(b, "/my/payments");
      await expect(b.getByTestId("pay-balance")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await b.getByTestId("pay-balance").click();
    await expect(b).toHaveURL(new RegExp(`${lotPath}/balance$`));
    await b.getByTestId("pay-balance").click();
    await payOnSimulatedBank(b, DEMO_NAMES.bidder2!);
    await paymentsShow(b, lotPath, zhCN.myPayments.balanceStatus.paid);
  });

  let casePath = "";
  await test.step("H3, H8: the judge drafts a distribution of the case's escrow and approves it", async () => {
    await signIn(judge, "judge.chaoyang", "/court/cases");
    await judge.getByRole("link", { name: lot.caseNumber }).click();
    await expect(judge).toHaveURL(/\/court\/cases\/[0-9a-f-]{36}$/);
    casePath = new URL(judge.url()).pathname;
    await judge.goto(`${casePath}/distribution`);
    await judge.getByLabel(zhCN.distribution.field.costName, { exact: true }).first().fill("拍卖辅助工作费用");
    await judge.getByLabel(zhCN.distribution.field.costAmount, { exact: true }).first().fill("1000");
    await judge.getByLabel(zhCN.distribution.field.otherName, { exact: true }).first().fill("某某银行股份有限公司");
    await judge.getByLabel(zhCN.distribution.field.otherClaim, { exact: true }).first().fill("30000");
    await judge.getByRole("button", { name: zhCN.distribution.submitDraft, exact: true }).click();
    await formPostAccepted(judge);
    await judge.getByRole("link", { name: zhCN.distribution.approve, exact: true }).click();
    await expect(judge.getByTestId("approve-confirmation")).toBeVisible();
    await judge.getByRole("button", { name: zhCN.distribution.confirmApprove, exact: true }).click();
    await formPostAccepted(judge);
    await expect(judge.getByTestId("approved-distribution")).toBeVisible();
    await screenshot(judge, testInfo, "escrow-distribution", "the approved distribution");
  });

  await test.step("H5, H6, P14: the case's fund flow shows every movement, and they sum to zero", async () => {
    const caseId = casePath.split("/").pop()!;
    await judge.goto(`/cases/${caseId}/fund-flow`);
    await expect(judge.getByTestId("fund-check")).toHaveClass(/notice/);
    await expect(judge.locator("main")).toContainText(zhCN.fundFlow.purpose.deposit_released);
    await expect(judge.locator("main")).toContainText(zhCN.fundFlow.purpose.balance_paid);
    await expect(judge.locator("main")).toContainText(zhCN.fundFlow.purpose.distribution);
    await screenshot(judge, testInfo, "escrow-fund-flow", "the case's fund flow");
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [judge, a, b]) await page.context().close();
});
