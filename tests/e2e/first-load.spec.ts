import { expect, test } from "@playwright/test";
import { newPage, open } from "./support.ts";

// A fast first load (ADR 025): a visitor opening a lot page with an empty cache, in Chromium with the CPU slowed
// 4× through the DevTools protocol, on the loopback server. Targets: at most 150 KB of JavaScript transferred
// (compressed bytes, headers included), and the largest contentful paint within 1.0 s. The figures are printed.
//
// Time: this spec reads the page as the clock stands and never moves it.

const JS_BUDGET_BYTES = 150_000;
const LCP_BUDGET_MS = 1_000;
const CPU_SLOWDOWN = 4;

test("a visitor's first load of a lot page: at most 150 KB of JavaScript, compressed, and LCP within 1.0 s at 4× CPU slowdown", async ({ browser }) => {
  const errors: string[] = [];
  const finder = await newPage(browser, "visitor finding a lot", errors);
  await open(finder, "/lots");
  const href = await finder.getByTestId("lot-list").locator("a[href^='/lots/']").first().getAttribute("href");
  expect(href, "a demo lot is listed").toMatch(/^\/lots\/[0-9a-f-]{36}$/);
  await finder.context().close();

  // A new context: nothing cached.
  const page = await newPage(browser, "visitor", errors);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await page.goto(href!);
  await page.waitForLoadState("load");
  // Hydrated, and whatever the page loads once it runs (the live part's code) has arrived.
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")));
  await page.waitForLoadState("networkidle");

  const figures = await page.evaluate(
    () =>
      new Promise<{ scripts: { url: string; transferSize: number; encoding: boolean }[]; lcpMs: number; documentBytes: number }>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
          const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          resolve({
            scripts: resources
              .filter((r) => new URL(r.name).pathname.endsWith(".js"))
              .map((r) => ({ url: new URL(r.name).pathname, transferSize: r.transferSize, encoding: r.encodedBodySize < r.decodedBodySize })),
            lcpMs: entries.at(-1)!.startTime,
            documentBytes: navigation.transferSize,
          });
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });

  const jsBytes = figures.scripts.reduce((sum, s) => sum + s.transferSize, 0);
  console.log(
    `first load of ${href}: JavaScript ${(jsBytes / 1000).toFixed(1)} KB transferred in ${figures.scripts.length} files ` +
      `(${figures.scripts.filter((s) => s.encoding).length} compressed), HTML ${(figures.documentBytes / 1000).toFixed(1)} KB, ` +
      `LCP ${Math.round(figures.lcpMs)} ms at ${CPU_SLOWDOWN}× CPU slowdown`,
  );
  for (const s of [...figures.scripts].sort((a, b) => b.transferSize - a.transferSize)) console.log(`  ${(s.transferSize / 1000).toFixed(1).padStart(6)} KB ${s.url}`);

  expect(errors).toEqual([]);
  expect(figures.scripts.every((s) => s.encoding), "every script is sent compressed").toBe(true);
  expect(jsBytes, "JavaScript transferred (bytes)").toBeLessThanOrEqual(JS_BUDGET_BYTES);
  expect(figures.lcpMs, "largest contentful paint (ms)").toBeLessThanOrEqual(LCP_BUDGET_MS);
});
