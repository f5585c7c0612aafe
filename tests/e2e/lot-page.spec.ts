import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { hydrated, newPage, open } from "./support.ts";

// A demo lot's page in a real browser: the home in 建国路 (reference price ¥5,800,000.00, starting at 70%), reached from
// the public list; its price beside the reference price with the discount, its place by name, its share card and QR
// code; then its 竞买公告 through the page's link, and the announcement's PDF.

const TITLE = "北京市朝阳区建国路88号院3号楼2单元501室住宅";

/** No serious or critical accessibility violation (axe, WCAG 2.x A and AA), at desktop and phone widths. */
async function accessible(page: Page, what: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(bad, `${what} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a lot page shows the price with its discount and the place by name, and links its announcement (B7, B8, B3)", async ({ browser }) => {
  const errors: string[] = [];
  const page = await newPage(browser, "visitor", errors);
  await open(page, "/lots");
  await page.getByRole("link", { name: TITLE, exact: true }).first().click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);

  await expect(page.getByTestId("starting-price")).toHaveText("¥4,060,000.00");
  await expect(page.getByTestId("reference-price")).toHaveText("¥5,800,000.00");
  await expect(page.getByTestId("price-share")).toHaveText("起拍价为参考价的 70%（七折）");

  await expect(page.getByTestId("place-name")).toHaveText("北京市朝阳区");
  const diagram = page.getByTestId("place-diagram");
  await expect(diagram).toBeVisible();
  await expect(diagram).toHaveAttribute("aria-label", /北京市朝阳区/);
  await expect(diagram.locator("g[data-here]")).toHaveText("● 朝阳区");

  // The share card WeChat reads, and the QR code of the page's own address.
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", TITLE);
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", page.url());
  await expect(page.getByTestId("share-url")).toHaveText(page.url());
  await expect(page.getByTestId("share-qr").locator("svg")).toBeVisible();
  await accessible(page, "the lot page");

  await page.getByTestId("announcement-link").click();
  await expect(page).toHaveURL(/\/announcement$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(zhCN.lotDocs.announcement);
  const document = page.getByTestId("lot-announcement");
  await expect(document).toContainText(TITLE);
  await expect(document).toContainText("起拍价为参考价的 70%（七折）");
  await expect(document).toContainText("北京市朝阳区");
  await expect(document).toContainText(zhCN.lotDocs.housingRule);
  await accessible(page, "the announcement");

  const pdfHref = await page.getByTestId("document-pdf").getAttribute("href");
  const pdf = await page.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(errors).toEqual([]);
});
