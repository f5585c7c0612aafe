import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { reviewDueAt } from "../../appraisal/index.ts";
import { formatDue } from "../../app/lib/format.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { DAY, HOUR, beijingDate, formPostAccepted, newPage, open, screenshot, setServerClock, signIn, yuanInput } from "./support.ts";

// A20 in a real browser: on the demo case's parties (server/demo-lots.ts), the court adds an asset and has it
// appraised by agencies the parties agreed on; the debtor objects on procedure and the judge rejects it. While the
// debtor's 10 days to ask for review run, the court's page holds the price and says until when; once the debtor
// asks, it says the review awaits its outcome; a review that upholds the objection sends the agency back to work.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts); this spec's clock starts 800 days on, away from the others.

const CASE_NUMBER = "（2026）京0105执4567号";
const ASSET_TITLE = "北京市朝阳区望京西园二区6号楼802室住宅";
/** The demo agencies (server/demo-seed.ts) by name, with the account of each one's appraiser. */
const AGENCY_ACCOUNTS: Record<string, string> = {
  北京中正房地产土地评估有限公司: "agency1",
  上海东方资产评估有限公司: "agency2",
  华信机动车鉴定评估有限公司: "agency3",
  北京京诚房地产评估有限公司: "agency4",
  北京华审资产评估有限公司: "agency5",
  北京国信土地房地产评估有限公司: "agency6",
};
const REPORT_FEN = 80_000_000n; // ¥800,000.00
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/** Clicks a submit button and waits for the redirect the action answers with. */
async function submit(page: Page, button: ReturnType<Page["getByTestId"]>, url: RegExp) {
  await button.click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(url);
}

test("A20: a party's review, open or asked, holds the reference price on the court's page, which says until when; an upheld review sends the agency back to work", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  // 10:00 in Beijing on a day 800 days on: every step of a day falls on the same Beijing date.
  const day = Math.floor((Date.now() + 800 * DAY + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  const t0 = day + 10 * HOUR;
  await setServerClock(request, new Date(t0));

  const judge = await newPage(browser, "judge", errors);
  const party = await newPage(browser, "party2", errors);
  const agency = await newPage(browser, "agency", errors);

  const { procedurePath, assetId } = await test.step("the court adds an asset to the case and starts an appraisal (A2, A11)", async () => {
    await signIn(judge, "judge.chaoyang", "/court/cases");
    await judge.getByRole("link", { name: CASE_NUMBER, exact: true }).click();
    await expect(judge.getByRole("heading", { level: 1 })).toHaveText(CASE_NUMBER);
    await judge.locator("details > summary", { hasText: zhCN.court.case.addAsset }).click();
    await judge.locator('select[name="category"]').selectOption("residential");
    await judge.locator('input[name="title"]').fill(ASSET_TITLE);
    await judge.locator('input[name="regionCode"]').fill("110105");
    await judge.locator('textarea[name="description"]').fill("建筑面积88.0平方米，两室一厅，产权登记在被执行人吴海燕名下。");
    await judge.locator('textarea[name="encumbrances"]').fill("无");
    await judge.locator('textarea[name="occupancy"]').fill("空置。");
    await judge.locator('textarea[name="lease"]').fill("无");
    await judge.locator('textarea[name="taxes"]').fill("无");
    await judge.locator('textarea[name="knownDefects"]').fill("无");
    await judge.locator('input[name="seizedAt"]').fill(beijingDate(t0 - 5 * DAY));
    await submit(judge, judge.locator('form:has(input[name="intent"][value="asset"])').getByRole("button", { name: zhCN.court.case.addAssetSubmit }), /\/court\/assets\/[0-9a-f-]{36}$/);
    const id = new URL(judge.url()).pathname.split("/").at(-1)!;
    await judge.locator("details > summary", { hasText: zhCN.appraisal.start.appraisal }).click();
    const form = judge.getByTestId("start-appraisal");
    await form.getByRole("radio", { name: zhCN.appraisal.basisKind.both_parties_ask }).check();
    await form.getByLabel(zhCN.appraisal.start.basis, { exact: true }).fill("双方当事人书面申请委托评估，并协商确定了评估机构。");
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.start.appraisalSubmit }), /\/court\/procedures\/[0-9a-f-]{36}\?done=started$/);
    return { procedurePath: new URL(judge.url()).pathname, assetId: id };
  });

  const agencyAccount = await test.step("the court records the three agencies the parties agreed on (A13)", async () => {
    await judge.locator("details > summary", { hasText: zhCN.appraisal.agree.title }).click();
    const form = judge.getByTestId("agree-agencies");
    for (const [i, rank] of ["rank1", "rank2", "rank3"].entries()) await form.locator(`select[name="${rank}"]`).selectOption({ index: i + 1 });
    const first = (await form.locator('select[name="rank1"] option:checked').textContent()) ?? "";
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.agree.submit }), /\?done=agreed$/);
    const name = Object.keys(AGENCY_ACCOUNTS).find((n) => first.startsWith(n));
    expect(name, first).toBeDefined();
    return AGENCY_ACCOUNTS[name!]!;
  });

  await test.step("the agency accepts and uploads its report; the court delivers it (A14, A19)", async () => {
    await signIn(agency, agencyAccount, "/agency");
    await agency.getByRole("link", { name: ASSET_TITLE, exact: true }).click();
    await submit(agency, agency.getByTestId("accept"), /\?done=accepted$/);
    await agency.getByLabel(zhCN.agencyPortal.report.valuationMethod, { exact: true }).fill("市场比较法");
    await agency.getByLabel(zhCN.agencyPortal.report.valueFen, { exact: true }).fill(yuanInput(REPORT_FEN));
    await agency.getByLabel(zhCN.agencyPortal.report.valuationDate, { exact: true }).fill(beijingDate(t0));
    await agency.getByLabel(zhCN.agencyPortal.report.validUntil, { exact: true }).fill(beijingDate(t0 + 180 * DAY));
    await agency.getByLabel(zhCN.agencyPortal.report.file, { exact: true }).setInputFiles({ name: "评估报告.pdf", mimeType: "application/pdf", buffer: PDF });
    await submit(agency, agency.getByTestId("upload-report"), /\?done=report$/);
    await open(judge, procedurePath);
    await submit(judge, judge.getByTestId("report").getByTestId("deliver-report"), /\?done=delivered$/);
  });

  const section = party.locator(`section[data-asset-id="${assetId}"]`);
  const caseUrl = await test.step("the debtor objects on procedure within 5 days (A20)", async () => {
    await signIn(party, "party2", "/my/cases");
    await party.getByRole("link", { name: CASE_NUMBER, exact: true }).click();
    await expect(party).toHaveURL(/\/my\/cases\/[0-9a-f-]{36}$/);
    const url = new URL(party.url()).pathname;
    await section.getByTestId("report").locator("details > summary", { hasText: zhCN.appraisal.my.object }).click();
    const form = section.getByTestId("objection-form");
    await form.getByRole("radio", { name: new RegExp(`^${zhCN.appraisal.objectionKind.procedural}`) }).check();
    await form.getByLabel(zhCN.appraisal.my.grounds, { exact: true }).fill("评估机构现场勘验时未通知被执行人到场。");
    await submit(party, form.getByRole("button", { name: zhCN.appraisal.my.objectSubmit }), /\?done=objection$/);
    return url;
  });

  const decidedAt = t0 + HOUR;
  await test.step("the judge rejects the objection", async () => {
    await setServerClock(request, new Date(decidedAt));
    // An hour on: signed in afresh (an idle session does not last that long).
    await signIn(judge, "judge.chaoyang", procedurePath);
    const form = judge.getByTestId("decide-objection");
    await form.getByRole("radio", { name: zhCN.appraisal.decision.rejected }).check();
    await form.getByLabel(zhCN.appraisal.objection.note, { exact: true }).fill("已通知到场，有送达回证为据。");
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.objection.decideSubmit }), /\?done=decided$/);
  });

  const hold = judge.getByTestId("review-hold");
  await test.step("after the 5 days for objections, the debtor's 10 days for review still hold the price: the court's page says until when", async () => {
    await setServerClock(request, new Date(t0 + 6 * DAY));
    await signIn(judge, "judge.chaoyang", procedurePath);
    await expect(judge.getByTestId("fix-panel")).toBeVisible();
    await expect(judge.getByTestId("fix-price")).toHaveCount(0);
    await expect(hold).toHaveAttribute("data-kind", "review_window");
    await expect(hold).toContainText(zhCN.appraisal.price.reviewWindow);
    // The end of the tenth day after the decision, as a date in words (Beijing time), not a code.
    const until = reviewDueAt(CN_SPC_2016, new Date(decidedAt)).toISOString();
    await expect(hold.locator("time")).toHaveAttribute("datetime", until);
    await expect(hold.locator("time")).toHaveText(formatDue(until, "zh-CN"));
    await expect(hold).not.toContainText("REVIEW_");
    await screenshot(judge, testInfo, "review-window-hold", "the court's procedure page while a party may still ask for review");
  });

  await test.step("the debtor asks for review; the court's page now says the price waits for the review's outcome", async () => {
    await signIn(party, "party2", caseUrl);
    await section.locator("details > summary", { hasText: zhCN.appraisal.review.ask }).click();
    const form = section.getByTestId("review-form");
    await form.getByLabel(zhCN.appraisal.review.grounds, { exact: true }).fill("送达回证上的签名并非被执行人本人所签。");
    await submit(party, form.getByRole("button", { name: zhCN.appraisal.review.submit }), /\?done=review$/);
    await open(judge, procedurePath);
    await expect(hold).toHaveAttribute("data-kind", "review_pending");
    await expect(hold).toContainText(zhCN.appraisal.price.reviewPending);
    await expect(hold).toContainText(zhCN.appraisal.price.reviewPendingAfter);
    await expect(judge.getByTestId("fix-price")).toHaveCount(0);
  });

  await test.step("the review upholds the objection: the report is set aside and the agency's commission runs again", async () => {
    const form = judge.getByTestId("review-outcome");
    await form.getByRole("radio", { name: zhCN.appraisal.review.upheld }).check();
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.review.outcomeSubmit }), /\?done=reviewDecided$/);
    await expect(judge.getByTestId("procedure-status").first()).toHaveAttribute("data-status", "open");
    await expect(judge.getByTestId("commissions").locator("tbody tr").first().locator("[data-status]")).toHaveAttribute("data-status", "accepted");
    await expect(judge.getByTestId("review-hold")).toHaveCount(0);
    await expect(judge.getByTestId("fix-panel")).toHaveCount(0);
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [judge, party, agency]) await page.context().close();
});
