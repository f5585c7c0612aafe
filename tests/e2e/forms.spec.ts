import { expect, test, type Page } from "@playwright/test";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { formPostAccepted, hydrated, newPage } from "./support.ts";

// Forms report every error at once, in the order of their fields, and a field's error clears once it is corrected.

/** The fields the error summary links to, in its order. */
const summaryLinks = (page: Page) => page.getByTestId("error-summary").locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));

for (const javaScriptEnabled of [true, false]) {
  test(`registration reports every error in one round, in the form's order (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser }) => {
    const errors: string[] = [];
    const page = await newPage(browser, "visitor", errors, { javaScriptEnabled });
    await page.goto("/register");
    await hydrated(page);
    // A bad phone number and a password holding the username, with the name left blank: all three at once.
    await page.getByLabel(zhCN.fields.phone, { exact: true }).fill("12");
    await page.getByLabel(zhCN.fields.username, { exact: true }).fill("forms-check-2026");
    await page.getByLabel(zhCN.fields.password, { exact: true }).fill("forms-check-2026-secret");
    await page.getByRole("button", { name: zhCN.register.submit }).click();
    await formPostAccepted(page);
    await expect(page.getByTestId("error-summary")).toBeVisible();
    expect(await summaryLinks(page)).toEqual(["#legalName", "#identityNumber", "#phone", "#password"]);
    await expect(page.getByTestId("error-summary")).toContainText(zhCN.validation.phone);
    await expect(page.getByTestId("error-summary")).toContainText(zhCN.validation.passwordHasUsername);
    expect(errors).toEqual([]);
    await page.context().close();
  });
}

test("a field's error clears once it is corrected, and comes back if the refused value returns", async ({ browser }) => {
  const errors: string[] = [];
  const page = await newPage(browser, "visitor", errors);
  await page.goto("/register");
  await hydrated(page);
  await page.getByRole("button", { name: zhCN.register.submit }).click();
  const nameError = page.locator("#legalName-error");
  const phoneError = page.locator("#phone-error");
  await expect(nameError).toHaveText(zhCN.validation.required);
  await expect(phoneError).toBeVisible();

  const name = page.getByLabel(zhCN.fields.legalName, { exact: true });
  await name.fill("张伟");
  await expect(nameError).toHaveCount(0);
  await expect(name).not.toHaveAttribute("aria-invalid", "true");
  await expect(phoneError).toBeVisible(); // the others stay until they are corrected
  await name.fill("");
  await expect(nameError).toHaveText(zhCN.validation.required);
  expect(errors).toEqual([]);
  await page.context().close();
});
