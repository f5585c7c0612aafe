import { randomInt } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { axeFindings } from "./axe.ts";
import { DAY, HOUR, MINUTE, beijingDate, beijingDateTime, formPostAccepted, newPage, open, setServerClock, signIn } from "./support.ts";

// A24 in a real browser: the judge opens a draw, then suspends the appraisal before its cut-off; the public draw page
// says the draw is paused, and it does not run when the old time passes. On resumption the cut-off and the draw move
// by the time suspended: the public page announces the new time beside the first one, and the draw runs then.
//
// Time: POST /__test/clock moves the server's clock (and runs the draws due); it runs on from there.

const banner = (page: Page) => page.getByTestId("success-banner");
/** The instant a fact of the draw page shows, as the ISO string its <time> carries. */
const shownAt = (page: Page, iso: string) => page.getByTestId("draw-facts").locator(`time[datetime="${iso}"]`);

async function submit(page: Page, button: ReturnType<Page["getByRole"]>, url: RegExp) {
  await button.click();
  await formPostAccepted(page);
  await expect(page).toHaveURL(url);
}

test("A24: a suspension then a resumption moves the public draw time by the time suspended, and the draw runs at the new time", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  // This spec's own stretch of the shared server clock, far from the other specs'.
  const base = Math.ceil((Date.now() + 900 * DAY) / MINUTE) * MINUTE;
  await setServerClock(request, new Date(base));
  const cutoff = new Date(base + 2 * DAY);
  const judge = await newPage(browser, "judge", errors);
  const visitor = await newPage(browser, "visitor", errors);

  const procedurePath = await test.step("the judge records a case and a flat, and starts an appraisal (A11)", async () => {
    const serial = randomInt(1000, 1_000_000);
    const caseNumber = `（${beijingDate(base).slice(0, 4)}）京0105执${serial}号`;
    await signIn(judge, "judge.chaoyang", "/court/cases");
    await judge.getByLabel(zhCN.fields.caseNumber, { exact: true }).fill(caseNumber);
    await judge.getByLabel(zhCN.fields.enforcementBasis, { exact: true }).fill(`（${beijingDate(base).slice(0, 4)}）京0105民初${serial}号民事判决书`);
    await judge.getByRole("button", { name: zhCN.court.cases.create, exact: true }).click();
    await expect(judge.getByRole("heading", { level: 1 })).toHaveText(caseNumber);
    await judge.locator("details > summary", { hasText: zhCN.court.case.addAsset }).click();
    const assetForm = judge.locator('form:has(input[name="intent"][value="asset"])');
    await assetForm.getByLabel(zhCN.fields.category, { exact: true }).selectOption("residential");
    await assetForm.getByLabel(zhCN.court.case.assetTitle, { exact: true }).fill(`北京市朝阳区望京西园三区${serial % 100}号楼住宅`);
    await assetForm.getByLabel(zhCN.fields.regionCode, { exact: true }).fill("110105");
    await assetForm.getByLabel(zhCN.fields.description, { exact: true }).fill("住宅一套，建筑面积约89平方米，已查封。");
    await assetForm.getByLabel(zhCN.fields.encumbrances, { exact: true }).fill("无");
    await assetForm.getByLabel(zhCN.fields.occupancy, { exact: true }).fill("空置");
    await assetForm.getByLabel(zhCN.fields.lease, { exact: true }).fill("无");
    await assetForm.getByLabel(zhCN.fields.taxes, { exact: true }).fill("无");
    await assetForm.getByLabel(zhCN.fields.knownDefects, { exact: true }).fill("无");
    await assetForm.getByLabel(zhCN.fields.seizedAt, { exact: true }).fill(beijingDate(base - 5 * DAY));
    await assetForm.getByRole("button", { name: zhCN.court.case.addAssetSubmit, exact: true }).click();
    await expect(judge).toHaveURL(/\/court\/assets\/[0-9a-f-]{36}$/);
    await judge.locator("details > summary", { hasText: zhCN.appraisal.start.appraisal }).click();
    const form = judge.getByTestId("start-appraisal");
    await form.getByRole("radio", { name: zhCN.appraisal.basisKind.law_requires }).check();
    await form.getByLabel(zhCN.appraisal.start.basis, { exact: true }).fill("法律规定须委托评估。");
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.start.appraisalSubmit }), /\/court\/procedures\/[0-9a-f-]{36}\?done=started$/);
    return new URL(judge.url()).pathname;
  });

  const drawPath = await test.step("the judge opens the draw, to run in two days (A13, P6)", async () => {
    const form = judge.getByTestId("open-draw");
    await form.getByRole("radio", { name: zhCN.appraisal.draw.scope.city }).check();
    await form.getByLabel(zhCN.appraisal.draw.cutoff, { exact: true }).fill(beijingDateTime(cutoff.getTime()));
    await submit(judge, form.getByRole("button", { name: zhCN.appraisal.draw.openSubmit }), /\?done=drawOpened$/);
    const href = (await judge.getByTestId("ceremony-link").getAttribute("href"))!;
    await open(visitor, href);
    await expect(shownAt(visitor, cutoff.toISOString())).toBeVisible();
    await expect(visitor.getByTestId("draw-rescheduled")).toHaveCount(0);
    return href;
  });

  await test.step("an hour later the judge suspends the appraisal; the public page says the draw is paused", async () => {
    await setServerClock(request, new Date(base + HOUR));
    // Sessions lapse with the time moved: the judge signs in again.
    await signIn(judge, "judge.chaoyang", procedurePath);
    const suspend = judge.locator("details", { has: judge.locator("summary", { hasText: zhCN.appraisal.intervene.suspend }) });
    await suspend.locator("summary").click();
    await suspend.getByLabel(zhCN.appraisal.intervene.reason, { exact: true }).fill("本案裁定中止执行。");
    await submit(judge, suspend.getByRole("button", { name: zhCN.appraisal.intervene.suspendSubmit, exact: true }), /\?done=suspended$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.suspended);
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-suspended")).toHaveText(zhCN.draw.suspended);
    await expect(visitor.getByTestId("draw-facts")).toContainText(zhCN.draw.statusSuspended);
    expect(await axeFindings(visitor)).toEqual([]);
  });

  await test.step("the old time passes while suspended: no draw", async () => {
    await setServerClock(request, new Date(cutoff.getTime() + DAY));
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-page")).toHaveAttribute("data-drawn", "no");
    await expect(visitor.getByTestId("draw-suspended")).toBeVisible();
  });

  const moved = await test.step("three days after the suspension the judge resumes: the public page announces the new time, three days later", async () => {
    await setServerClock(request, new Date(base + HOUR + 3 * DAY));
    await signIn(judge, "judge.chaoyang", procedurePath);
    await submit(judge, judge.getByTestId("resume"), /\?done=resumed$/);
    await expect(banner(judge)).toHaveText(zhCN.appraisal.notice.resumed);
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-suspended")).toHaveCount(0);
    await expect(visitor.getByTestId("draw-rescheduled")).toHaveText(zhCN.draw.rescheduled);
    await expect(visitor.getByTestId("draw-facts")).toContainText(zhCN.draw.statusOpen);
    // The time first announced, and the new one: later by the time suspended. The server's clock runs on from
    // each move, so the suspension lasted three days give or take the seconds the steps took.
    const facts = visitor.getByTestId("draw-facts").locator(".summary-list__row");
    await expect(facts.filter({ hasText: zhCN.draw.firstCutoff }).locator("time")).toHaveAttribute("datetime", cutoff.toISOString());
    const shown = new Date((await facts.filter({ hasText: zhCN.draw.cutoff }).locator("time").getAttribute("datetime"))!);
    expect(Math.abs(shown.getTime() - (cutoff.getTime() + 3 * DAY))).toBeLessThan(MINUTE);
    return shown;
  });

  await test.step("the draw runs at the new time, not before", async () => {
    await setServerClock(request, new Date(moved.getTime() - MINUTE));
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-page")).toHaveAttribute("data-drawn", "no");
    await setServerClock(request, moved);
    await open(visitor, drawPath);
    await expect(visitor.getByTestId("draw-page")).toHaveAttribute("data-drawn", "yes");
    const drawnAt = new Date((await visitor.getByTestId("draw-result").locator("time").getAttribute("datetime"))!);
    expect(drawnAt.getTime() - moved.getTime()).toBeGreaterThanOrEqual(0);
    expect(drawnAt.getTime() - moved.getTime()).toBeLessThan(MINUTE);
    await expect(visitor.getByTestId("verdict")).toContainText(zhCN.draw.verify.matches);
  });

  expect(errors, "errors in the browser console").toEqual([]);
  for (const page of [judge, visitor]) await page.context().close();
});
