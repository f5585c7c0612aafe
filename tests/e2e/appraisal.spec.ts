import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { axeFindings, layoutFindings, smallTargets } from "./axe.ts";
import { DAY, MINUTE, beijingDate, beijingDateTime, formPostAccepted, newPage, open, phaseOf, screenshot, setServerClock, signIn, yuanInput, yuanText } from "./support.ts";

// An appraisal in a real browser, on the demo case awaiting its reference price (server/demo-lots.ts): the judge
// starts an appraisal and opens the verifiable draw, a party adds entropy, the clock passes the cut-off and
// the draw runs, the public page says it matches; the first-ranked agency accepts and uploads its report, the
// judge delivers it, the debtor objects, the judge forwards, the agency explains, the judge decides, fixes the
// reference price and sets up a lot from it.
//
// Time: the server runs with TEST_CLOCK=1 (see run.ts); POST /__test/clock sets its "now" and runs the draws
// and appraisal deadlines that time has reached, as the minute job would.

const CASE_NUMBER = "（2026）京0105执4567号";
const ASSET_TITLE = "北京市朝阳区望京西园二区5号楼1201室住宅";
/** The demo agencies (server/demo-seed.ts) by name, with the account of each one's appraiser. */
const AGENCY_ACCOUNTS: Record<string, string> = {
  北京中正房地产土地评估有限公司: "agency1",
  上海东方资产评估有限公司: "agency2",
  华信机动车鉴定评估有限公司: "agency3",
  北京京诚房地产评估有限公司: "agency4",
  北京华审资产评估有限公司: "agency5",
  北京国信土地房地产评估有限公司: "agency6",
};
const REPORT_FEN = 100_000_000n; // ¥1,000,000.00
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

const banner = (page: Page) => page.getByTestId("success-banner");

/** The eligible list's agency names as laid out: each cell's width and the lines its name takes. */
function nameCells(page: Page) {
  return page.getByTestId("eligible-list").evaluate((table, header) => {
    const column = [...table.querySelectorAll("thead th")].findIndex((th) => th.textContent === header);
    return [...table.querySelectorAll("tbody tr")].map((row) => {
      const cell = row.children[column] as HTMLElement;
      const range = document.createRange();
      range.selectNodeContents(cell);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      return { name: cell.textContent ?? "", width: Math.round(cell.getBoundingClientRect().width), lines };
    });
  }, zhCN.draw.agencyName);
}

/** Clicks a submit button and waits for the redirect the action answers with. */
async function submit(page: Page, button: ReturnType<Page["getByTestId"]>, url: RegExp) {
  await button.click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(url);
}

test("a judge has an asset appraised by a drawn agency, through the verifiable draw, an objection and the price, to a lot", async ({ browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  const base = Date.now();
  await setServerClock(request, new Date(base));
  // The cut-off: a quarter of an hour on, in whole minutes (datetime-local has no seconds).
  const cutoff = new Date(Math.ceil((base + 15 * MINUTE) / MINUTE) * MINUTE);

  const judge = await newPage(browser, "judge", errors);
  const party = await newPage(browser, "party2", errors);
  const visitor = await newPage(browser, "visitor", errors);

  const procedurePath = await test.step("the judge starts an appraisal on the demo asset (A11)", async () => {
    await signIn(judge, "judge.chaoyang", "/court/cases");
    await judge.getByRole("link", { name: CASE_NUMBER, exact: true }).click();
    await expect(judge.getByRole("heading", { level: 1 })).toHaveText(CASE_NUMBER);
    await judge.getByRole("link", { name: ASSET_TITLE, exact: true }).click();
    await expect(judge).toHaveURL(/\/court\/assets\/[0-9a-f-]{36}$/);
    await expect(judge.getByTestId("start-due")).toBeVisible();
    await judge.locator("details > summary", { hasText: zhCN.appraisal.start.appraisal }).click();
    const form = judge.getByTestId("start-appraisal");
    await form.getByRole("radio", { name: zhCN.appraisal.basisKind.both_parties_ask }).check();
    await form.getByLabel(zhCN.appraisal.start.basis, { exact: true }).fill("双方当事人书面申请委托评估，且未能协商确定评估机构。");
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.start.appraisalSubmit }), /\/court\/procedures\/[0-9a-f-]{36}\?done=started$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.started);
    await expect(judge.getByTestId("procedure-status").first()).toHaveAttribute("data-status", "open");
    // The procedure's page, which the accessibility sweep (a11y.spec.ts) may find no link to: at both sizes.
    expect([...(await axeFindings(judge)), ...(await smallTargets(judge))]).toEqual([]);
    await judge.setViewportSize({ width: 375, height: 740 });
    expect([...(await layoutFindings(judge)), ...(await smallTargets(judge))]).toEqual([]);
    await judge.setViewportSize({ width: 1280, height: 800 });
    return new URL(judge.url()).pathname;
  });

  const drawPath = await test.step("the judge opens the draw on the city sub-list (A13, P6)", async () => {
    const form = judge.getByTestId("open-draw");
    await form.getByRole("radio", { name: zhCN.appraisal.draw.scope.city }).check();
    await form.getByLabel(zhCN.appraisal.draw.cutoff, { exact: true }).fill(beijingDateTime(cutoff.getTime()));
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.draw.openSubmit }), /\?done=drawOpened$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.drawOpened);
    await expect(judge.getByTestId("run-draw")).toHaveCount(0);
    const href = (await judge.getByTestId("ceremony-link").getAttribute("href"))!;
    expect(href).toMatch(/^\/draws\/[0-9a-f-]{36}$/);
    return href;
  });

  await test.step("anyone sees the list, its hash and the seed's commitment before the draw — not the seed", async () => {
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-page")).toHaveAttribute("data-drawn", "no");
    // Beijing's real-estate city sub-list: four demo agencies, numbered in canonical order.
    await expect(visitor.getByTestId("eligible-list").locator("tbody tr")).toHaveCount(4);
    await expect(visitor.getByTestId("list-sha256")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(visitor.getByTestId("seed-sha256")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(visitor.getByTestId("seed")).toHaveCount(0);
    await expect(visitor.getByTestId("draw-facts")).toContainText(CASE_NUMBER);
    await expect(visitor.getByTestId("entropy-form")).toHaveCount(0);
    await screenshot(visitor, testInfo, "appraisal-draw-open", "public draw page before the draw");
    // On a phone the list keeps each agency's name readable: whole words on at most two lines, the long codes wrapping
    // or scrolling instead of squeezing the names to a character or two a line.
    await visitor.setViewportSize({ width: 375, height: 740 });
    const names = await nameCells(visitor);
    expect(names.length).toBe(4);
    for (const cell of names) expect(cell.lines, `${cell.name}: ${cell.lines} lines, ${cell.width} px wide`).toBeLessThanOrEqual(2);
    await screenshot(visitor, testInfo, "appraisal-draw-phone", "public draw page on a phone", false);
    // The draw page is one the accessibility sweep (a11y.spec.ts) may find no link to: checked here, at both sizes.
    expect([...(await axeFindings(visitor)), ...(await smallTargets(visitor))]).toEqual([]);
    await visitor.setViewportSize({ width: 1280, height: 800 });
    expect([...(await layoutFindings(visitor)), ...(await smallTargets(visitor))]).toEqual([]);
  });

  const caseUrl = await test.step("the debtor finds the case and adds entropy before the cut-off (P6)", async () => {
    await signIn(party, "party2", "/my/cases");
    await party.getByRole("link", { name: CASE_NUMBER, exact: true }).click();
    await expect(party).toHaveURL(/\/my\/cases\/[0-9a-f-]{36}$/);
    const url = new URL(party.url()).pathname;
    await party.getByTestId("entropy-link").click();
    await expect(party).toHaveURL(new RegExp(`${drawPath}$`));
    const form = party.getByTestId("entropy-form");
    await form.getByLabel(zhCN.draw.entropy.value, { exact: true }).fill("吴海燕 8848");
    await submit(party, form.getByRole("button", { name: zhCN.draw.entropy.submit }), /\?done=entropy#entropy$/);
    await expect(banner(party)).toHaveText(zhCN.draw.added);
    await expect(party.getByTestId("entropy-list")).toContainText("吴海燕 8848");
    await expect(party.getByTestId("entropy-given")).toBeVisible();
    return url;
  });

  const firstAgency = await test.step("the clock passes the cut-off: the draw runs, and the public page says it matches", async () => {
    await setServerClock(request, new Date(cutoff.getTime() + 1_000));
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-page")).toHaveAttribute("data-drawn", "yes");
    await expect(visitor.getByTestId("verification")).toHaveAttribute("data-matches", "yes");
    await expect(visitor.getByTestId("verdict")).toContainText(zhCN.draw.verify.matches);
    await expect(visitor.locator('[data-check][data-ok="yes"]')).toHaveCount(4);
    await expect(visitor.getByTestId("seed")).toHaveText(/^[0-9a-f]{64}$/);
    await expect(visitor.getByTestId("draw-result").locator("li")).toHaveCount(3);
    await expect(visitor.getByTestId("recompute-yourself")).toContainText("npm run draw:verify --");
    // The same recomputation in the browser (Web Crypto).
    await visitor.getByRole("button", { name: zhCN.draw.browser.run }).click();
    await expect(visitor.getByTestId("browser-check")).toHaveAttribute("data-state", "match");
    await screenshot(visitor, testInfo, "appraisal-draw", "public draw page after the draw: result and verification");
    const first = ((await visitor.getByTestId("draw-result").locator("li strong").first().textContent()) ?? "").trim();
    expect(Object.keys(AGENCY_ACCOUNTS)).toContain(first);
    return first;
  });

  const agency = await newPage(browser, "agency", errors);
  const agencyAccount = AGENCY_ACCOUNTS[firstAgency]!;

  await test.step("the judge sees the ranking and the first-ranked agency's commission (A14)", async () => {
    await open(judge, procedurePath);
    await expect(judge.getByTestId("ranking").locator("li").first()).toContainText(firstAgency);
    const first = judge.getByTestId("commissions").locator("tbody tr").first();
    await expect(first).toContainText(firstAgency);
    await expect(first.locator("[data-status]")).toHaveAttribute("data-status", "offered");
  });

  await test.step("the agency accepts and uploads its report as a PDF (A14, A23)", async () => {
    await signIn(agency, agencyAccount, "/agency");
    await agency.getByRole("link", { name: ASSET_TITLE, exact: true }).click();
    await expect(agency).toHaveURL(/\/agency\/commissions\/[0-9a-f-]{36}$/);
    await submit(agency, agency.getByTestId("accept"), /\?done=accepted$/);
    const now = cutoff.getTime();
    await agency.getByLabel(zhCN.agencyPortal.report.valuationMethod, { exact: true }).fill("市场比较法");
    await agency.getByLabel(zhCN.agencyPortal.report.valueFen, { exact: true }).fill(yuanInput(REPORT_FEN));
    await agency.getByLabel(zhCN.agencyPortal.report.valuationDate, { exact: true }).fill(beijingDate(now));
    await agency.getByLabel(zhCN.agencyPortal.report.validUntil, { exact: true }).fill(beijingDate(now + 180 * DAY));
    await agency.getByLabel(zhCN.agencyPortal.report.file, { exact: true }).setInputFiles({ name: "评估报告.pdf", mimeType: "application/pdf", buffer: PDF });
    await submit(agency, agency.getByTestId("upload-report"), /\?done=report$/);
  });

  await test.step("the judge delivers the report to the parties (A19)", async () => {
    await open(judge, procedurePath);
    const report = judge.getByTestId("report");
    await expect(report).toContainText(yuanText(REPORT_FEN));
    await submit(judge, report.getByTestId("deliver-report"), /\?done=delivered$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.delivered);
  });

  await test.step("the debtor reads the report and files a technical objection within 5 days (A20, A21)", async () => {
    await open(party, caseUrl);
    const report = party.getByTestId("report");
    await expect(report).toContainText(yuanText(REPORT_FEN));
    const href = (await report.getByTestId("report-download").getAttribute("href"))!;
    const pdf = await party.request.get(href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toMatch(/^application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await report.locator("details > summary", { hasText: zhCN.appraisal.my.object }).click();
    const form = party.getByTestId("objection-form");
    await form.getByRole("radio", { name: new RegExp(`^${zhCN.appraisal.objectionKind.technical}`) }).check();
    await form.getByLabel(zhCN.appraisal.my.grounds, { exact: true }).fill("可比案例均为顶层房屋，未作楼层修正，评估价值明显偏低。");
    await submit(party, form.getByRole("button", { name: zhCN.appraisal.my.objectSubmit }), /\?done=objection$/);
    await expect(banner(party)).toHaveText(zhCN.appraisal.my.notice.objection);
    await expect(party.getByTestId("party-objection")).toHaveAttribute("data-status", "filed");
  });

  await test.step("the judge forwards it and the agency explains (A21)", async () => {
    await open(judge, procedurePath);
    await submit(judge, judge.getByTestId("forward-objection"), /\?done=forwarded$/);
    await open(agency, agency.url().replace(/\?.*$/, ""));
    const field = agency.getByLabel(zhCN.agencyPortal.objections.answer, { exact: true });
    await field.fill("可比案例已按楼层、朝向和装修进行修正，修正系数见报告第12页。");
    await submit(agency, agency.getByTestId("answer-objection"), /\?done=answer$/);
  });

  await test.step("the judge rejects the objection; the debtor sees the answer and the decision", async () => {
    await open(judge, procedurePath);
    const form = judge.getByTestId("decide-objection");
    await form.getByRole("radio", { name: zhCN.appraisal.decision.rejected }).check();
    await form.getByLabel(zhCN.appraisal.objection.note, { exact: true }).fill("评估机构的说明成立，异议不成立。");
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.objection.decideSubmit }), /\?done=decided$/);
    await open(party, caseUrl);
    await expect(party.getByTestId("objection-answer")).toContainText("修正系数见报告第12页");
    await expect(party.getByTestId("objection-decision")).toContainText(zhCN.appraisal.decision.rejected);
    await party.setViewportSize({ width: 390, height: 844 });
    await screenshot(party, testInfo, "appraisal-party-case", "the debtor's case page on a phone");
    await party.setViewportSize({ width: 1280, height: 800 });
  });

  const clockAfter = await test.step("after the objection window the judge fixes the reference price (A23)", async () => {
    const later = await setServerClock(request, new Date(cutoff.getTime() + 6 * DAY));
    await signIn(judge, "judge.chaoyang", procedurePath);
    await submit(judge, judge.getByTestId("fix-price"), /\?done=priced$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.priced);
    await expect(judge.getByTestId("fixed-price")).toContainText(yuanText(REPORT_FEN));
    await expect(judge.getByTestId("procedure-status").first()).toHaveAttribute("data-status", "priced");
    await screenshot(judge, testInfo, "appraisal-procedure", "the court's procedure page once the price is fixed");
    return later.getTime();
  });

  await test.step("the judge sets up a lot from the price: the lot-new page accepts it", async () => {
    await judge.getByTestId("set-up-lot").click();
    await expect(judge).toHaveURL(/\/lots\/new$/);
    const startingFen = (REPORT_FEN * 70n) / 100n;
    // Real property: 30 days' notice before bidding starts (B5).
    const startsAt = Math.ceil((clockAfter + 32 * DAY) / MINUTE) * MINUTE;
    const lotForm = judge.getByTestId("lot-form");
    await lotForm.getByLabel(zhCN.fields.startingPriceFen, { exact: true }).fill(yuanInput(startingFen));
    await lotForm.getByLabel(zhCN.fields.depositFen, { exact: true }).fill(yuanInput(startingFen / 10n));
    await lotForm.getByLabel(zhCN.fields.incrementFen, { exact: true }).fill(yuanInput(500_000n));
    await lotForm.getByLabel(zhCN.fields.biddingStartsAt, { exact: true }).fill(beijingDateTime(startsAt));
    await lotForm.getByLabel(zhCN.fields.biddingEndsAt, { exact: true }).fill(beijingDateTime(startsAt + DAY));
    await lotForm.getByLabel(zhCN.fields.panelDecision, { exact: true }).fill("（2026）京0105执4567号之一合议庭决定");
    await lotForm.getByLabel(zhCN.fields.depositAccount, { exact: true }).fill("北京市朝阳区人民法院 · 中国工商银行北京朝阳支行 · 0200 0000 0000 0000 000");
    await lotForm.getByLabel(zhCN.fields.transferTaxes, { exact: true }).fill("过户税费由买卖双方按照法律规定各自承担。");
    await lotForm.getByLabel(zhCN.fields.courtContact, { exact: true }).fill("王法官 010-00000000；监督电话 010-00000001");
    await lotForm.getByLabel(zhCN.fields.partiesNotifiedAt, { exact: true }).fill(beijingDateTime(clockAfter - DAY));
    await lotForm.getByRole("button", { name: zhCN.lotNew.submit, exact: true }).click();
    await expect(judge).toHaveURL(/\/court\/lots\/[0-9a-f-]{36}$/);
    await expect(phaseOf(judge)).toHaveAttribute("data-phase", "draft");
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [judge, party, visitor, agency]) await page.context().close();
});
