import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { residentIdCheckChar } from "../../identity/validators.ts";
import {
  DAY,
  DEMO_NAMES,
  MINUTE,
  beijingDateTime,
  bid,
  bidderRegisters,
  formPostAccepted,
  judgeSetsUpLot,
  newPage,
  open,
  payOnSimulatedBank,
  paymentsShow,
  phaseOf,
  publishFromPreview,
  screenshot,
  setServerClock,
  signIn,
  yuanText,
  type LotPlan,
} from "./support.ts";

// The lot's life after the hammer in a real browser, with the test clock (F6, F8, F9, C8, G7, P2, ADR 022): a lot that
// fails goes to a second auction at 80% and then to a sale-off; a winner who defaults is barred from the re-auction;
// a revoked sale's buyer gets the money back. These specs run after the others: the server's clock only moves forward.

/** Reloads `path` until its phase tag reads `phase` (closes and defaults are the jobs' work, within a minute). */
async function waitForPhase(page: Page, path: string, phase: string) {
  await expect(async () => {
    await open(page, path);
    await expect(phaseOf(page)).toHaveAttribute("data-phase", phase, { timeout: 1_000 });
  }).toPass({ timeout: 90_000 });
}

/** A `datetime-local` value (Beijing time) as an instant. */
const fromBeijingInput = (value: string) => new Date(`${value}:00+08:00`);

/**
 * At `at` (a whole minute), on the court page of a lot that ended: follow the link to the drafted next lot, record
 * the notice to the parties (B10) as given then, and publish the lot 3 days later. Returns the new lot and its times.
 */
async function publishNextRound(judge: Page, request: APIRequestContext, endedLotId: string, round: "second" | "sale_off" | "first", at: Date) {
  const noticeAt = (await setServerClock(request, at)).getTime();
  await signIn(judge, "judge.chaoyang", `/court/lots/${endedLotId}`);
  await expect(judge.getByTestId("next-round")).toContainText(zhCN.round[round]);
  const href = (await judge.getByTestId("next-round").getByRole("link").getAttribute("href"))!;
  expect(href).not.toContain(endedLotId);
  await judge.getByTestId("next-round").getByRole("link").click();
  await expect(judge).toHaveURL(new RegExp(`${href}$`));
  const lotId = new URL(judge.url()).pathname.split("/").at(-1)!;
  await expect(phaseOf(judge)).toHaveAttribute("data-phase", "draft");
  await judge.locator("details > summary", { hasText: zhCN.courtLot.draftOpen }).click();
  // F6, F9: a second auction or a sale-off shows what it is measured against.
  await expect(judge.getByTestId("round-basis")).toHaveCount(round === "first" ? 0 : 1);
  const form = judge.locator('form:has(input[name="intent"][value="draft"])');
  await form.getByLabel(zhCN.fields.partiesNotifiedAt, { exact: true }).fill(beijingDateTime(Math.floor(noticeAt / MINUTE) * MINUTE));
  const startsAt = fromBeijingInput(await form.getByLabel(zhCN.fields.biddingStartsAt, { exact: true }).inputValue());
  const endsAt = fromBeijingInput(await form.getByLabel(zhCN.fields.biddingEndsAt, { exact: true }).inputValue());
  await judge.getByTestId("draft-submit").click();
  await formPostAccepted(judge);
  await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.draftRevised);
  await setServerClock(request, new Date(noticeAt + 3 * DAY + MINUTE));
  await signIn(judge, "judge.chaoyang", `/court/lots/${lotId}`); // the idle session ended meanwhile
  await publishFromPreview(judge);
  await expect(phaseOf(judge)).toHaveAttribute("data-phase", "announced");
  return { lotId, startsAt, endsAt };
}

const wholeMinute = (ms: number) => new Date(Math.ceil(ms / MINUTE) * MINUTE);

/** A judge publishes a lot, bidder2 registers and bids the start, and the lot is sold to bidder2 at its close. */
async function soldToBidder2(browser: Browser, request: APIRequestContext, plan: LotPlan, errors: string[]) {
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const lot = await judgeSetsUpLot(judge, plan);
  const buyer = await newPage(browser, "bidder2 (buys)", errors);
  await bidderRegisters(buyer, "bidder2", lot.lotId);
  await setServerClock(request, new Date(lot.startsAt.getTime() + 1_000));
  await signIn(buyer, "bidder2", `/lots/${lot.lotId}`);
  await bid(buyer, lot.lotId, plan.startingFen);
  await setServerClock(request, new Date(lot.endsAt.getTime() + 1_000));
  await waitForPhase(judge, `/lots/${lot.lotId}`, "sold");
  return { judge, buyer, lot };
}

test("F6, F8, F9, P8: a lot fails, its second auction at 80% is published and fails, and its sale-off sells", async ({ browser, request }, testInfo) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 400 * DAY, startingFen: 1_000_000n, incrementFen: 20_000n, depositFen: 100_000n };
  await setServerClock(request, new Date(plan.base));
  const judge = await newPage(browser, "judge", errors);
  const first = await test.step("a judge publishes a lot, and nobody bids: it fails at its close (F6)", async () => {
    const lot = await judgeSetsUpLot(judge, plan);
    await setServerClock(request, new Date(lot.endsAt.getTime() + 1_000));
    await waitForPhase(judge, `/lots/${lot.lotId}`, "failed");
    return lot;
  });

  const secondPrice = (plan.startingFen * 80n) / 100n;
  const second = await test.step("F6, B6: the court page links the drafted second auction at 80%; the judge notifies the parties and publishes it", async () => {
    const lot = await publishNextRound(judge, request, first.lotId, "second", wholeMinute(first.endsAt.getTime() + 2 * MINUTE));
    await open(judge, `/lots/${lot.lotId}`);
    await expect(judge.getByTestId("round")).toHaveText(zhCN.round.second);
    await expect(judge.locator("main")).toContainText(yuanText(secondPrice));
    await expect(judge.getByTestId("rounds").getByRole("link")).toHaveAttribute("href", `/lots/${first.lotId}`);
    await screenshot(judge, testInfo, "second-auction", "the second auction's public page, linked to the failed first");
    return lot;
  });

  const saleOff = await test.step("F8, F9: the second auction fails too; the sale-off is drafted at its start, prepaid in full, for 60 days, and published", async () => {
    await setServerClock(request, new Date(second.endsAt.getTime() + 1_000));
    await waitForPhase(judge, `/lots/${second.lotId}`, "failed");
    const lot = await publishNextRound(judge, request, second.lotId, "sale_off", wholeMinute(second.endsAt.getTime() + 2 * MINUTE));
    expect(lot.endsAt.getTime() - lot.startsAt.getTime()).toBe(60 * DAY);
    await open(judge, `/lots/${lot.lotId}`);
    await expect(judge.getByTestId("round")).toHaveText(zhCN.round.sale_off);
    await expect(judge.getByTestId("sale-off-rules")).toBeVisible();
    return lot;
  });

  await test.step("F9: a bidder prepays the full price; the first bid opens a 24-hour round, at whose end the lot is sold", async () => {
    const buyer = await newPage(browser, "bidder3 (buys)", errors);
    await bidderRegisters(buyer, "bidder3", saleOff.lotId);
    const bidAt = await setServerClock(request, new Date(saleOff.startsAt.getTime() + 10 * DAY));
    await signIn(buyer, "bidder3", `/lots/${saleOff.lotId}`);
    await bid(buyer, saleOff.lotId, secondPrice);
    // The close is now 24 hours after the bid, not the period's end.
    const close = Date.parse((await buyer.getByTestId("countdown").locator("time").first().getAttribute("datetime"))!);
    expect(close - bidAt.getTime()).toBeGreaterThanOrEqual(DAY);
    expect(close - bidAt.getTime()).toBeLessThan(DAY + MINUTE);
    await setServerClock(request, new Date(close + 1_000));
    await signIn(buyer, "bidder3", `/lots/${saleOff.lotId}`);
    await waitForPhase(buyer, `/lots/${saleOff.lotId}`, "sold");
    await expect(buyer.getByTestId("rounds")).toContainText(zhCN.round.first);
    await screenshot(buyer, testInfo, "sale-off-sold", "the sale-off, sold, with the asset's three rounds");
  });
  expect(errors, "errors in the browser console").toEqual([]);
});

// One ID number holds one account (ADR 014): a new account with the defaulter's ID number is never made, and the bar
// by ID number also covers an account the defaulter acts for as proxy (tests/integration/lot-rounds.test.ts).
const BIDDER2_ID = "31011519850315002" + residentIdCheckChar("31011519850315002");
test("C8, F4: a winner defaults, and the re-auction refuses the defaulter by ID number", async ({ browser, request }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 500 * DAY, startingFen: 1_000_000n, incrementFen: 20_000n, depositFen: 100_000n };
  const { judge, buyer: winner, lot } = await soldToBidder2(browser, request, plan, errors);

  await test.step("F4: the balance is not paid within its 10 days: the lot is defaulted and the deposit kept", async () => {
    await setServerClock(request, new Date(lot.endsAt.getTime() + 12 * DAY));
    await waitForPhase(judge, `/lots/${lot.lotId}`, "defaulted");
    await expect(judge.getByTestId("defaulted-notice")).toBeVisible();
  });

  const again = await test.step("C8: the court publishes the drafted re-auction", () => publishNextRound(judge, request, lot.lotId, "first", wholeMinute(lot.endsAt.getTime() + 12 * DAY + 2 * MINUTE)));

  await test.step("C8: the defaulter cannot register for the re-auction", async () => {
    await signIn(winner, "bidder2", `/lots/${again.lotId}`);
    await winner.getByTestId("apply-link").click();
    await winner.getByLabel(zhCN.apply.acceptWarnings, { exact: true }).check();
    await winner.getByLabel(zhCN.apply.declareNotBarred, { exact: true }).check();
    await winner.getByRole("button", { name: zhCN.apply.submit, exact: true }).click();
    await expect(winner.getByRole("alert")).toContainText(zhCN.errors.BIDDER_BARRED);
  });

  await test.step("C8: a new account opened with the defaulter's ID number is never created, so it cannot bid either", async () => {
    const stranger = await newPage(browser, "the defaulter, anew", errors);
    const username = `e2e.again.${randomBytes(3).toString("hex")}`;
    await open(stranger, "/register");
    await stranger.getByRole("radio", { name: zhCN.register.kind.person }).check();
    await stranger.getByLabel(zhCN.fields.legalName, { exact: true }).fill(DEMO_NAMES.bidder2!);
    await stranger.getByLabel(zhCN.fields.identityNumber, { exact: true }).fill(BIDDER2_ID);
    await stranger.getByLabel(zhCN.fields.phone, { exact: true }).fill("13900001234");
    await stranger.getByLabel(zhCN.fields.username, { exact: true }).fill(username);
    await stranger.getByLabel(zhCN.fields.password, { exact: true }).fill("another-horse-battery");
    await stranger.getByRole("button", { name: zhCN.register.submit }).click();
    // Answered alike whether or not the number had an account (ADR 014)...
    await expect(stranger).toHaveURL(/\/sign-in\?registered$/);
    // ...but no account was made: signing in with it fails.
    await stranger.getByLabel(zhCN.fields.username, { exact: true }).fill(username);
    await stranger.getByLabel(zhCN.fields.password, { exact: true }).fill("another-horse-battery");
    await stranger.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();
    await expect(stranger.getByRole("alert")).toContainText(zhCN.errors.INVALID_CREDENTIALS);
  });
  expect(errors, "errors in the browser console").toEqual([]);
});

test("G7, I5, P2: a revocation refunds the buyer", async ({ browser, request }, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  const plan: LotPlan = { base: Date.now() + 600 * DAY, startingFen: 1_000_000n, incrementFen: 20_000n, depositFen: 100_000n };
  const { judge, buyer, lot } = await soldToBidder2(browser, request, plan, errors);
  await signIn(buyer, "bidder2", "/my/payments");

  await test.step("the buyer pays the balance", async () => {
    await expect(async () => {
      await open(buyer, "/my/payments");
      await expect(buyer.getByTestId("pay-balance")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
    await buyer.getByTestId("pay-balance").click();
    // The payments page's link leads to the balance page, whose button of the same name starts the payment.
    await expect(buyer).toHaveURL(new RegExp(`/lots/${lot.lotId}/balance$`));
    await buyer.getByTestId("pay-balance").click();
    await payOnSimulatedBank(buyer, DEMO_NAMES.bidder2!);
    await paymentsShow(buyer, `/lots/${lot.lotId}`, zhCN.myPayments.balanceStatus.paid);
  });

  await test.step("G7, I5: the judge revokes the sale for collusion; the page posts the ground", async () => {
    await signIn(judge, "judge.chaoyang", `/court/lots/${lot.lotId}`);
    await judge.locator("details > summary", { hasText: zhCN.courtLot.revokeOpen }).click();
    const form = judge.locator('form:has(input[name="intent"][value="revoke"])');
    await form.getByLabel(zhCN.revocationGround.collusion, { exact: true }).check();
    await form.getByLabel(zhCN.courtLot.revokeReason, { exact: true }).fill("经查，竞买人之间恶意串通");
    await judge.getByTestId("revoke-submit").click();
    await formPostAccepted(judge);
    await expect(judge.getByTestId("success-banner")).toHaveText(zhCN.courtLot.notice.revoked);
    await expect(judge.getByTestId("next-round")).toBeVisible();
    await open(judge, `/lots/${lot.lotId}`);
    await expect(phaseOf(judge)).toHaveAttribute("data-phase", "revoked");
    await expect(judge.getByTestId("revoked-notice")).toContainText(zhCN.revocationGround.collusion);
  });

  await test.step("P2: the buyer's payments show the sale revoked and the money on its way back", async () => {
    await paymentsShow(buyer, `/lots/${lot.lotId}`, zhCN.myPayments.balanceStatus.revoked);
    await screenshot(buyer, testInfo, "revoked-refund", "the buyer's payments after the revocation");
  });
  expect(errors, "errors in the browser console").toEqual([]);
});
