import { mkdirSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { residentIdCheckChar } from "../../identity/validators.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";

// Identity in a real browser: registration, sign-out, sign-in, the error summary, the language switch.
// The interface text comes from the translation files, so copy edits do not break the tests.

const ARTIFACTS = "tests/artifacts";

/** A resident ID body (Beijing Chaoyang, born 1990) with a random date and sequence, so runs never collide. */
function residentIdBody(): string {
  const month = String(randomInt(1, 13)).padStart(2, "0");
  const day = String(randomInt(1, 29)).padStart(2, "0");
  const sequence = String(randomInt(100, 1000));
  return `1101051990${month}${day}${sequence}`;
}

function newBidder() {
  const body = residentIdBody();
  const suffix = randomBytes(3).toString("hex");
  return {
    legalName: "王晓明",
    identityNumber: body + residentIdCheckChar(body),
    phone: `139${String(randomInt(0, 100_000_000)).padStart(8, "0")}`,
    username: `e2e.bidder.${suffix}`,
    password: `correct-horse-${suffix}`,
  };
}

type Bidder = ReturnType<typeof newBidder>;

/** Fills the registration form by its visible labels, as a person would. */
async function fillRegistration(page: Page, bidder: Bidder) {
  await page.getByRole("radio", { name: zhCN.register.kind.person }).check();
  await page.getByLabel(zhCN.fields.legalName, { exact: true }).fill(bidder.legalName);
  await page.getByLabel(zhCN.fields.identityNumber, { exact: true }).fill(bidder.identityNumber);
  await page.getByLabel(zhCN.fields.phone, { exact: true }).fill(bidder.phone);
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(bidder.username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(bidder.password);
}

/**
 * Errors in the page fail the test: uncaught exceptions, console errors (a hydration mismatch, a
 * script blocked by the CSP…) and server errors (5xx). HTTP 4xx answers are not errors here: a
 * form with mistakes is answered 400 on purpose, and Chromium asks for /favicon.ico on its own.
 */
function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error" || message.text().startsWith("Failed to load resource:")) return;
    errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return errors;
}

test("a bidder registers, signs out and signs in again", async ({ page }, testInfo) => {
  const errors = watchPageErrors(page);
  const bidder = newBidder();

  await page.goto("/register");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: zhCN.register.title })).toBeVisible();
  await fillRegistration(page, bidder);
  await page.getByRole("button", { name: zhCN.register.submit }).click();

  // Registration answers alike whether or not the identity number had an account (ADR 014): sign in next.
  await expect(page).toHaveURL(/\/sign-in\?registered$/);
  await expect(page.getByTestId("registration-received")).toHaveText(zhCN.register.received);
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(bidder.username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(bidder.password);
  await page.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();
  // A bidder asked for no page lands on the home page; the account is in the menu.
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await page.getByTestId("signed-in-as").click();
  await expect(page).toHaveURL(/\/account$/);
  const details = page.getByTestId("account-details");
  await expect(details).toContainText(bidder.legalName);
  await expect(details).toContainText(bidder.username);
  // The identity number is shown masked: its end only, never in full.
  await expect(details).toContainText(bidder.identityNumber.slice(-4));
  await expect(details).not.toContainText(bidder.identityNumber);
  await expect(page.getByTestId("signed-in-as")).toContainText(bidder.legalName);

  // Sign out with the header button.
  await page.getByRole("banner").getByRole("button", { name: zhCN.nav.signOut }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await expect(page.getByRole("banner").getByRole("link", { name: zhCN.nav.signIn, exact: true })).toBeVisible();

  // The account page now asks to sign in first.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Faccount$/);

  // Sign in through the form.
  await page.goto("/sign-in");
  await page.getByLabel(zhCN.fields.username, { exact: true }).fill(bidder.username);
  await page.getByLabel(zhCN.fields.password, { exact: true }).fill(bidder.password);
  await page.getByRole("main").getByRole("button", { name: zhCN.signIn.submit, exact: true }).click();

  // Asked for no page, a bidder lands on the home page; the account is in the menu.
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await page.getByTestId("signed-in-as").click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: zhCN.account.title })).toBeVisible();
  await expect(page.getByTestId("account-details")).toContainText(bidder.legalName);
  await expect(page.getByTestId("signed-in-as")).toContainText(bidder.legalName);
  await expect(page.getByTestId("signed-in-as")).toContainText(zhCN.roles.bidder);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/account.png`, fullPage: true });
  await testInfo.attach("account page", { path: `${ARTIFACTS}/account.png`, contentType: "image/png" });

  expect(errors, "errors in the browser console").toEqual([]);
});

test("a wrong ID check digit is reported in the error summary, linked to the field", async ({ page }, testInfo) => {
  const errors = watchPageErrors(page);
  const bidder = newBidder();
  // Any character but the right one.
  const body = bidder.identityNumber.slice(0, 17);
  const right = bidder.identityNumber[17]!;
  const wrong = "0123456789X".split("").find((c) => c !== right)!;
  bidder.identityNumber = body + wrong;

  // A short window, so the field is below the fold when the summary is shown.
  await page.setViewportSize({ width: 900, height: 360 });
  await page.goto("/register");
  await fillRegistration(page, bidder);
  await page.getByRole("button", { name: zhCN.register.submit }).click();

  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toContainText(zhCN.form.errorSummary);
  await expect(summary).toBeFocused(); // screen readers announce it, keyboard users start from it
  await expect(page).toHaveURL(/\/register$/); // not registered

  const link = summary.getByRole("link", { name: `${zhCN.fields.identityNumber}: ${zhCN.validation.residentId.CHECK_DIGIT}` });
  await expect(link).toHaveAttribute("href", "#identityNumber");
  await expect(summary.getByRole("link")).toHaveCount(1); // only the identity number is wrong

  // The field says what is wrong and keeps what was typed.
  const field = page.getByLabel(zhCN.fields.identityNumber, { exact: true });
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveValue(bidder.identityNumber);
  await expect(page.locator("#identityNumber-error")).toHaveText(zhCN.validation.residentId.CHECK_DIGIT);
  await expect(field).not.toBeInViewport();

  await link.click();
  await expect(page).toHaveURL(/\/register#identityNumber$/);
  await expect(field).toBeInViewport();
  const focused = await field.evaluate((el) => el === document.activeElement);
  const targeted = await field.evaluate((el) => el.matches(":target"));
  expect(focused || targeted, "the link focuses or targets the identity number field").toBe(true);
  testInfo.annotations.push({ type: "error summary link", description: focused ? "focuses the field" : "scrolls to the field (:target), focus stays on the link" });

  expect(errors, "errors in the browser console").toEqual([]);
});

test("the language switch turns the page into English and back", async ({ page }) => {
  const errors = watchPageErrors(page);
  await page.goto("/register");
  const html = page.locator("html");
  await expect(html).toHaveAttribute("lang", "zh-CN");

  await page.getByRole("banner").getByRole("button", { name: "English" }).click();
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/register$/); // back on the same page
  await expect(page.getByRole("heading", { level: 1, name: en.register.title })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: en.nav.signIn, exact: true })).toBeVisible();
  await expect(page.getByLabel(en.fields.identityNumber, { exact: true })).toBeVisible();

  // The choice is remembered on the next page.
  await page.goto("/sign-in");
  await expect(html).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: en.signIn.title })).toBeVisible();

  await page.getByRole("banner").getByRole("button", { name: "中文" }).click();
  await expect(html).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1, name: zhCN.signIn.title })).toBeVisible();

  expect(errors, "errors in the browser console").toEqual([]);
});
