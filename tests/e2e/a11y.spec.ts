import { expect, test, type Page } from "@playwright/test";
import { axeFindings, layoutFindings, smallTargets } from "./axe.ts";
import { hydrated, newPage, signIn } from "./support.ts";

// The accessibility sweep: every page each role can reach from its home by following links (one page per route,
// a role's own view of it), in both languages, at desktop and phone sizes, with no serious or critical finding of
// axe-core. axe's default rules run (WCAG 2.0/2.1 A and AA and best practices) and the WCAG 2.2 tap-target size
// (24×24 px), which axe leaves off by default. The clock is not moved: the pages are those of the demo data and
// whatever the specs before this one made.

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 740 },
] as const;
const LANGUAGES = ["zh-CN", "en"] as const;
/** Enough for every route a role's links lead to; a bound on the run time should links ever multiply. */
const MAX_PAGES_PER_ROLE = 30;

/**
 * Each role: who signs in (the demo accounts, server/demo-seed.ts), where they start besides their home page, and
 * the pages checked again in their own view although another role saw them (each role's home page always is).
 */
const ROLES: { who: string; username: string | null; start: string[]; own?: string[] }[] = [
  // The public, with the 404 page.
  { who: "public", username: null, start: ["/", "/lots", "/sign-in", "/register", "/no-such-page"] },
  // A bidder, with a 403 page (the admin's users), and a lot with the bidder's panel.
  { who: "bidder", username: "bidder1", start: ["/my/registrations", "/admin/users", "/lots"], own: ["/account", "/lots", "/lots/:id"] },
  // A party of the demo case awaiting its reference price.
  { who: "party", username: "party1", start: ["/my/cases"] },
  { who: "court", username: "judge.chaoyang", start: ["/court/cases", "/court/deadlines"], own: ["/account"] },
  { who: "agency", username: "agency1", start: ["/agency"] },
  { who: "platform", username: "platform1", start: ["/platform"] },
  { who: "admin", username: "admin", start: ["/admin/users", "/admin/agencies"] },
];

/** Routes checked so far, by any role. */
const checkedRoutes = new Set<string>();

/** A route's shape: ids (uuids, charge ids) and the query left out, so each route is checked once per role. */
const routeOf = (path: string) => path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id").replace(/\?.*$/, "");

/** Links that are no page of the site to check: files, the API, the bank's checkout, and GETs that only redirect. */
const skipped = (path: string) =>
  /^\/(api|simulated-bank|lang|sign-out)(\/|$)|\.pdf$|\/files\/|\/follow$|^\/account\/sessions$|^\/lots\/[^/]+\/(bid|balance)$/.test(routeOf(path));

/** The same-site pages a page links to (header and main), as paths with their query. */
async function linksOf(page: Page): Promise<string[]> {
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  const origin = new URL(page.url()).origin;
  return hrefs.map((h) => new URL(h)).filter((u) => u.origin === origin).map((u) => u.pathname + u.search);
}

for (const role of ROLES) {
  test(`every page ${role.who} can reach has no serious or critical accessibility finding, in both languages, at desktop and phone sizes`, async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    const errors: string[] = [];
    const page = await newPage(browser, role.who, errors);
    const queue: string[] = [];
    if (role.username) {
      await signIn(page, role.username, "/account");
      queue.push("/");
    }
    queue.push(...role.start);
    const own = new Set(["/", ...(role.own ?? [])]);
    const seen = new Set([...checkedRoutes].filter((r) => !own.has(r)));
    const problems: string[] = [];
    const visited: string[] = [];
    const refused = new Set<string>();
    while (queue.length > 0 && visited.length < MAX_PAGES_PER_ROLE) {
      const path = queue.shift()!;
      const route = routeOf(path);
      if (seen.has(route) || skipped(path)) continue;
      seen.add(route);
      visited.push(route);
      for (const lang of LANGUAGES) {
        await page.context().addCookies([{ name: "lang", value: lang, url: baseURL! }]);
        await page.setViewportSize(SIZES[0]);
        const response = await page.goto(path);
        await hydrated(page);
        // A page refused to this role (403, 404) is still to be checked as the roles that may open it see it.
        if ((response?.status() ?? 200) >= 400) refused.add(route);
        // A link that redirected (a page that sends elsewhere) is checked under the route it landed on.
        const landed = new URL(page.url()).pathname;
        if (routeOf(landed) !== route) seen.add(routeOf(landed));
        for (const size of SIZES) {
          await page.setViewportSize(size);
          const axe = size === SIZES[0] ? await axeFindings(page) : await layoutFindings(page);
          for (const finding of [...axe, ...(await smallTargets(page))]) problems.push(`${path} [${lang}, ${size.name}] ${finding}`);
        }
        if (lang === LANGUAGES[0]) queue.push(...(await linksOf(page)).filter((p) => !seen.has(routeOf(p))));
      }
    }
    for (const route of seen) if (!refused.has(route)) checkedRoutes.add(route);
    console.log(`${role.who}: ${visited.length} pages checked — ${visited.join(", ")}`);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
}
