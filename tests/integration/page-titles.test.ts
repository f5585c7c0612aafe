// Every page's <title> is in the reader's language only (DESIGN §6, §8): every page route of app/routes.ts, as each
// kind of user sees it (its page, or the 403 or 404 page it gets), in Chinese and in English, over real HTTP.
//
// A title reads "[name · ]label · site": the site's name last, the page's label before it, and before that, on a
// page about one record, that record's name (a lot's title, a case number) as the page shows it. The label and the
// site's name are in the reader's language only: in Chinese, Han characters and no English word (but "API");
// in English, no Han character and no full-width punctuation. A record's name is the court's own words in either
// language: it is accepted only as a name the page itself shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { users } from "../../db/schema/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makeRouteWorld } from "../fixtures/route-world.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { fillPath, siteRoutes } from "../support/routes.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const PASSWORD = "page-titles-password";
const UNKNOWN = "00000000-0000-4000-8000-0000000000ff";
let platform: TestPlatform;

const ROLES = ["anonymous", "bidder", "party", "judge", "agency", "platform", "admin"] as const;
type RoleName = (typeof ROLES)[number];
const LANGUAGES = { "zh-CN": zhCN, en } as const;
type Language = keyof typeof LANGUAGES;

/** Routes whose GET only sends the reader on (to the lot, home, the account, ...): they have no page of their own. */
const ONLY_REDIRECTS = ["/sign-out", "/lang", "/account/sessions", "/lots/:lotId/follow", "/lots/:lotId/bid", "/lots/:lotId/balance"];

/** The pages: routes with a component (resource routes, the API and files, are .ts modules). */
const pages = siteRoutes().filter((r) => r.file.endsWith(".tsx"));

const visitors = new Map<RoleName, Visitor>();
let params: Record<string, string> = {};

const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

const HAN = /\p{Script=Han}/u;
/** Full-width punctuation and brackets of Chinese text: （）【】《》，。：；、“” */
const CJK_PUNCTUATION = /[\u3000-\u303f\uff00-\uffef“”]/u;
/** English words a Chinese title may hold: the names of things that have no other name. */
const LATIN_ALLOWED = new Set(["API"]);

/** What is wrong with a label or the site's name in `lang`, or null. */
function languageProblem(text: string, lang: Language): string | null {
  if (text.trim() === "") return "empty";
  if (lang === "zh-CN") {
    if (!HAN.test(text)) return "no Chinese";
    const words = (text.match(/[A-Za-z]+/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w));
    return words.length > 0 ? `English words: ${words.join(" ")}` : null;
  }
  if (HAN.test(text) || CJK_PUNCTUATION.test(text)) return "Chinese text";
  return /[A-Za-z]/.test(text) ? null : "no English";
}

/** The page's titles as written in its HTML. */
const titlesOf = (html: string) => [...html.matchAll(/<title[^>]*>([^<]*)<\/title>/g)].map((m) => decode(m[1]!));
/** The text of the page's main part, as a reader sees it. */
const mainText = (html: string) => decode((html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "").replaceAll("<!-- -->", "").replace(/<[^>]+>/g, ""));

/** What is wrong with a page's title in `lang`, or null. */
function titleProblem(html: string, lang: Language): string | null {
  const titles = titlesOf(html);
  if (titles.length !== 1) return `${titles.length} <title> elements`;
  const parts = titles[0]!.split(" · ");
  const site = parts.pop()!;
  if (site !== LANGUAGES[lang].site.name) return `"${titles[0]}" does not end with the site's name`;
  // The home page is the site's name alone.
  const label = parts.pop();
  if (label !== undefined) {
    const problem = languageProblem(label, lang);
    if (problem) return `"${titles[0]}": the label "${label}" has ${problem}`;
  }
  const shown = mainText(html);
  for (const name of parts) if (!shown.includes(name)) return `"${titles[0]}": "${name}" is no name the page shows`;
  return null;
}

/** A GET as `role` reading in `lang` (the language cookie, as the language switch sets it). */
function visit(role: RoleName, path: string, lang: Language): Promise<Response> {
  const visitor = visitors.get(role)!;
  visitor.cookies.set("lang", lang);
  return visitor.get(path);
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const w = await makeRouteWorld(db, clock);
  const c = w.pricingCase;
  const roleUsers: Record<Exclude<RoleName, "anonymous">, SessionUser> = {
    bidder: w.users.bidder,
    party: c.applicant,
    judge: c.judge,
    agency: w.agency.member,
    platform: w.asked.member,
    admin: w.users.admin,
  };
  visitors.set("anonymous", new Visitor(platform.url));
  params = { ...w.ids, fileId: UNKNOWN, drawId: UNKNOWN, objectionId: UNKNOWN, chargeId: UNKNOWN };
  await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(inArray(users.id, Object.values(roleUsers).map((u) => u.id)));
  for (const [role, user] of Object.entries(roleUsers)) {
    const visitor = new Visitor(platform.url);
    const res = await visitor.post("/sign-in", { username: user.username, password: PASSWORD });
    expect(res.status, `sign-in of ${user.username}`).toBe(302);
    visitors.set(role as RoleName, visitor);
  }
});
afterAll(() => platform?.stop());

describe("DESIGN §6: every page's title is in the reader's language only", () => {
  it("the title check itself: Chinese labels with no English word, English labels with no Chinese character", () => {
    expect(languageProblem("拍品", "zh-CN")).toBeNull();
    expect(languageProblem("API 令牌", "zh-CN")).toBeNull();
    expect(languageProblem("期限 Deadlines", "zh-CN")).toMatch(/English/);
    expect(languageProblem("Deadlines", "zh-CN")).toMatch(/no Chinese/);
    expect(languageProblem("Deadlines", "en")).toBeNull();
    expect(languageProblem("期限 Deadlines", "en")).toMatch(/Chinese/);
    expect(languageProblem("Lot（1）", "en")).toMatch(/Chinese/);
    expect(languageProblem("", "en")).toBe("empty");
  });

  it("every page, as every kind of user sees it, 403 and 404 included, has one non-empty title in the reader's language", async () => {
    const wrong: string[] = [];
    const rendered = new Set<string>();
    const statuses = new Set<number>();
    await Promise.all(
      ROLES.map(async (role) => {
        for (const route of pages) {
          const path = fillPath(route.pattern, params);
          for (const lang of Object.keys(LANGUAGES) as Language[]) {
            const res = await visit(role, path, lang);
            if (res.status >= 300 && res.status < 400) {
              await res.body?.cancel();
              continue;
            }
            if (res.status >= 500) wrong.push(`${role} ${path} [${lang}]: ${res.status}`);
            rendered.add(route.pattern);
            statuses.add(res.status);
            const problem = titleProblem(await res.text(), lang);
            if (problem) wrong.push(`${role} ${path} [${lang}] ${res.status}: ${problem}`);
          }
        }
      }),
    );
    expect(wrong).toEqual([]);
    // Every page was seen by someone, and the error pages were among them.
    expect(pages.map((r) => r.pattern).filter((p) => !rendered.has(p) && !ONLY_REDIRECTS.includes(p))).toEqual([]);
    expect([...statuses]).toEqual(expect.arrayContaining([200, 403, 404]));
  });

  it("the 403 and 404 pages are titled with what happened, in each language", async () => {
    for (const lang of Object.keys(LANGUAGES) as Language[]) {
      const t = LANGUAGES[lang];
      const forbidden = await visit("bidder", "/admin/users", lang);
      expect(forbidden.status).toBe(403);
      expect(titlesOf(await forbidden.text())).toEqual([`${t.errors.page.forbidden.title} · ${t.site.name}`]);
      const missing = await visit("anonymous", "/no-such-page", lang);
      expect(missing.status).toBe(404);
      expect(titlesOf(await missing.text())).toEqual([`${t.errors.page.notFound.title} · ${t.site.name}`]);
    }
  });
});
