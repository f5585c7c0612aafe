import { expect, test, type Browser } from "@playwright/test";
import { newPage, open } from "./support.ts";

// A fast first load (ADR 025): a visitor opening a lot page with an empty cache, in Chromium with the CPU slowed
// 4× through the DevTools protocol, on the loopback server. Targets: at most 150 KB of JavaScript transferred
// (compressed bytes, headers included, the live part's code too when the lot's page opens it), and the largest
// contentful paint within 1.0 s. The figures are printed.
//
// Five fresh loads: CPU time that other processes on the machine take only ever adds to a load's figures, so the
// best of five is the page's own (on a busy 2-core machine three loads were seen to span 924–1,444 ms). Every
// load must stay within the JavaScript budget.
//
// Time: this spec reads the pages as the clock stands and never moves it.

const JS_BUDGET_BYTES = 150_000;
const LCP_BUDGET_MS = 1_000;
const CPU_SLOWDOWN = 4;
const LOADS = 5;

interface FirstLoad {
  scripts: { url: string; transferSize: number; compressed: boolean }[];
  documentBytes: number;
  firstByteMs: number;
  fcpMs: number;
  lcpMs: number;
}

/** One load in a new browser context (nothing cached), until hydrated and whatever the page then loads has arrived. */
async function firstLoad(browser: Browser, href: string, live: boolean, errors: string[]): Promise<FirstLoad> {
  const page = await newPage(browser, "visitor", errors);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await page.goto(href);
  await page.waitForFunction(() => Object.keys(document).some((key) => key.startsWith("__reactContainer$")));
  if (live) await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  await page.waitForLoadState("networkidle");
  const figures = await page.evaluate(
    () =>
      new Promise<FirstLoad>((resolve) => {
        new PerformanceObserver((list) => {
          const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
          const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          resolve({
            scripts: resources
              .filter((r) => new URL(r.name).pathname.endsWith(".js"))
              .map((r) => ({ url: new URL(r.name).pathname, transferSize: r.transferSize, compressed: r.encodedBodySize < r.decodedBodySize })),
            documentBytes: navigation.transferSize,
            firstByteMs: navigation.responseStart,
            fcpMs: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
            lcpMs: list.getEntries().at(-1)!.startTime,
          });
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
  await page.context().close();
  return figures;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

test("a visitor's first load of a lot page: at most 150 KB of JavaScript, compressed, and LCP within 1.0 s at 4× CPU slowdown", async ({ browser }) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  const finder = await newPage(browser, "visitor finding a lot", errors);
  await open(finder, "/lots");
  const links = finder.getByTestId("lot-list").locator("a[href^='/lots/']");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  expect(hrefs.length, "demo lots are listed").toBeGreaterThan(0);
  // The heaviest page: a lot whose page watches it live (in bidding or held), when there is one.
  let href = hrefs[0]!;
  let live = false;
  for (const candidate of hrefs) {
    await open(finder, candidate);
    const phase = await finder.getByRole("main").locator("[data-phase]").first().getAttribute("data-phase");
    if (["bidding", "suspended", "stayed"].includes(phase ?? "")) {
      href = candidate;
      live = true;
      break;
    }
  }
  // The server has rendered this page before (its code is warm), as for any visitor but the very first.
  await open(finder, href);
  await finder.context().close();

  const loads: FirstLoad[] = [];
  for (let i = 0; i < LOADS; i++) loads.push(await firstLoad(browser, href, live, errors));

  const jsBytes = (load: FirstLoad) => load.scripts.reduce((sum, s) => sum + s.transferSize, 0);
  for (const load of loads)
    console.log(
      `first load of ${href}: JavaScript ${kb(jsBytes(load))} transferred in ${load.scripts.length} files ` +
        `(${load.scripts.filter((s) => s.compressed).length} compressed), HTML ${kb(load.documentBytes)}, ` +
        `first byte ${Math.round(load.firstByteMs)} ms, FCP ${Math.round(load.fcpMs)} ms, LCP ${Math.round(load.lcpMs)} ms at ${CPU_SLOWDOWN}× CPU slowdown`,
    );
  for (const s of [...loads[0]!.scripts].sort((a, b) => b.transferSize - a.transferSize)) console.log(`  ${kb(s.transferSize).padStart(8)} ${s.url}`);

  expect(errors).toEqual([]);
  for (const load of loads) {
    expect(load.scripts.every((s) => s.compressed), "every script is sent compressed").toBe(true);
    expect(jsBytes(load), "JavaScript transferred (bytes)").toBeLessThanOrEqual(JS_BUDGET_BYTES);
  }
  expect(Math.min(...loads.map((l) => l.lcpMs)), "largest contentful paint, best of five (ms)").toBeLessThanOrEqual(LCP_BUDGET_MS);
});
