import { defineConfig } from "@playwright/test";

// End-to-end tests in a real Chromium against the real server. Run them with `npm run test:e2e`
// (tests/e2e/run.ts starts the server and a fresh database, then sets E2E_BASE_URL).
// The browser is the system Chromium (Debian's /usr/bin/chromium): never a downloaded one.

const baseURL = process.env.E2E_BASE_URL;
if (!baseURL) {
  console.warn("E2E_BASE_URL is not set: run the browser tests with `npm run test:e2e`, which starts the server.");
}

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "*.spec.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: process.env.CI === "true",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  outputDir: "test-results/e2e",
  use: {
    baseURL,
    browserName: "chromium",
    viewport: { width: 1280, height: 800 },
    headless: true,
    screenshot: "only-on-failure",
    trace: "off",
    // A click or fill that cannot happen fails within seconds, naming the element, instead of using up the test.
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
});
