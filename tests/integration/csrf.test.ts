// CSRF over real HTTP (ADR 015): every route that takes a write, as listed by app/routes.ts, refuses a
// cookie-authenticated request from another site's page, with `Origin: null`, or without an Origin, and
// writes nothing; the site's own pages still pass the guard, and bearer-token clients need no Origin. Methods the
// site does not serve (PUT, PATCH, DELETE…) never reach the guard: they get 405 first (ADR 018).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { cases, users } from "../../db/schema/index.ts";
import { createApiToken, type SessionUser } from "../../identity/index.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";
import { fillPath, siteRoutes } from "../support/routes.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;

const ANY_ID = "00000000-0000-4000-8000-000000000001";
const caseNumber = () => `（2026）京0105执${Math.floor(Math.random() * 900000) + 1000}号`;

/** Who is signed in when a route is written to: someone its pages are for, so a let-through write would act. */
function userFor(pattern: string): string {
  if (/^\/(api\/v1\/)?admin\b/.test(pattern)) return "admin";
  if (/^\/(agency|api\/v1\/commissions)\b/.test(pattern)) return "agency1";
  if (/^\/(platform|api\/v1\/inquiry-requests)\b/.test(pattern)) return "platform1";
  if (/^\/(lots|my\/(registrations|bids))\b/.test(pattern)) return "bidder1";
  if (/^\/my\/cases\b/.test(pattern)) return "party1";
  return "judge.chaoyang";
}

async function signIn(username: string): Promise<Visitor> {
  const visitor = new Visitor(platform.url);
  const res = await visitor.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(res.status, `sign-in of ${username}`).toBe(302);
  return visitor;
}

/** The rows of every table but the session rows (a session's last use may move on any request), as one digest each. */
async function snapshot(): Promise<Record<string, string>> {
  const sql = platform.database.sql;
  const tables = await sql<{ name: string }[]>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'sessions' order by 1`;
  const parts = tables.map((t) => `select '${t.name}' as name, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as digest from "${t.name}" x`);
  const rows = await sql.unsafe<{ name: string; digest: string }[]>(parts.join(" union all "));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** A cookie-authenticated write with the given Origin (null: none sent), the body another site's page could send. */
function write(visitor: Visitor, path: string, origin: string | null, method = "POST") {
  const headers: Record<string, string> = { cookie: visitor.cookieHeader };
  if (origin !== null) headers.origin = origin;
  const api = path.startsWith("/api/");
  // A page form, or for the API the JSON that a form can send as text/plain without a preflight.
  headers["content-type"] = api ? "text/plain" : "application/x-www-form-urlencoded";
  const body = api ? JSON.stringify({ caseNumber: caseNumber(), enforcementBasis: "伪造的执行依据", method: "online_inquiry" }) : "intent=x&lang=en&next=/";
  return fetch(platform.url + path, { method, headers, body, redirect: "manual" });
}

async function expectRefused(res: Response, path: string) {
  expect(res.status, path).toBe(403);
  expect(res.headers.getSetCookie(), path).toEqual([]);
  const text = await res.text();
  if (path.startsWith("/api/")) expect(JSON.parse(text), path).toMatchObject({ error: { code: "ORIGIN_REJECTED" } });
  else expect(text, path).toContain("请求来源不被允许");
}

const writeRoutes = siteRoutes().filter((r) => r.action);
const visitors = new Map<string, Visitor>();

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
});
afterAll(() => platform?.stop());

describe("ASVS V4.2.2, V13.2.x (V13.2.3 CSRF on the API): every state-changing route refuses writes that no page of this site sent", () => {
  it("the route table has write routes to test (a new route with an action is in this list by itself)", () => {
    expect(writeRoutes.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/sign-out", "/lang", "/api/v1/cases", "/api/v1/assets/:assetId/procedures", "/court/cases"]));
  });

  for (const route of writeRoutes) {
    it(`${route.pattern}: a foreign Origin, another port or scheme of this host, Origin: null and no Origin are refused with nothing written; the same origin passes the guard`, async () => {
      const username = userFor(route.pattern);
      const visitor = visitors.get(username) ?? (await signIn(username));
      visitors.set(username, visitor);
      const path = fillPath(route.pattern, new Proxy({}, { get: () => ANY_ID }) as Record<string, string>);
      const own = new URL(platform.url);
      const before = await snapshot();
      for (const origin of ["https://evil.example", `${own.protocol}//${own.hostname}:1`, `https://${own.host}`, "null", null]) {
        await expectRefused(await write(visitor, path, origin), `${path} with Origin ${origin}`);
      }
      expect(await snapshot()).toEqual(before);
      // Still signed in: a refused sign-out ended nothing.
      expect((await visitor.get("/account")).status).toBe(200);
      if (route.pattern === "/sign-out") return; // the same-origin sign-out is below, with a session of its own
      const passed = await write(visitor, path, platform.url);
      // The page as read: its scripts carry the texts of its area, error messages by code among them (ADR 025).
      const text = await pageText(passed);
      expect(text, `${path} from the site's own page`).not.toContain("ORIGIN_REJECTED");
      expect(text).not.toContain("请求来源不被允许");
    });
  }

  it("the client router's data requests (`<path>.data`) are guarded as the page is", async () => {
    const visitor = await signIn("judge.chaoyang");
    await expectRefused(await write(visitor, "/court/cases.data", "https://evil.example"), "/court/cases.data");
    await expectRefused(await write(visitor, "/sign-out.data", null), "/sign-out.data");
    expect((await visitor.get("/account")).status).toBe(200);
  });

  it("behind a trusted proxy (TRUST_PROXY: loopback here) the site's origin is the scheme and host the browser used", async () => {
    const visitor = await signIn("judge.chaoyang");
    const proxied = (origin: string) =>
      fetch(`${platform.url}/lang`, {
        method: "POST",
        headers: { cookie: visitor.cookieHeader, origin, "x-forwarded-proto": "https", "x-forwarded-host": "auction.court.example", "content-type": "application/x-www-form-urlencoded" },
        body: "lang=en&next=/",
        redirect: "manual",
      });
    expect((await proxied("https://auction.court.example")).status).toBe(302);
    await expectRefused(await proxied("http://auction.court.example"), "/lang over http behind an https proxy");
    await expectRefused(await proxied(platform.url), "/lang from the proxy's upstream address");
  });

  it("ASVS V14.5.1: PUT, PATCH and DELETE are refused before the guard, as methods the site does not serve (405, nothing written; ADR 018)", async () => {
    const visitor = await signIn("judge.chaoyang");
    const before = await snapshot();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      for (const origin of ["https://evil.example", platform.url, null]) {
        const api = await write(visitor, "/api/v1/cases", origin, method);
        expect(api.status, `${method} /api/v1/cases from ${origin}`).toBe(405);
        expect(await api.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
        expect((await write(visitor, "/court/cases", origin, method)).status, `${method} /court/cases from ${origin}`).toBe(405);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("ASVS V13.2.5, V4.2.2: the JSON API", () => {
  const casesCount = async () => (await platform.database.db.select({ n: count() }).from(cases))[0]!.n;
  const judgeToken = async () => {
    const [u] = await platform.database.db.select().from(users).where(eq(users.username, "judge.chaoyang"));
    const user: SessionUser = { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "api" };
    return (await createApiToken(platform.database.db, clock, user, "case system")).token;
  };

  it("another site's page cannot create a case as the judge with a text/plain JSON body", async () => {
    const judge = await signIn("judge.chaoyang");
    const before = await casesCount();
    const body = JSON.stringify({ caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初1号民事判决书" });
    const attack = await fetch(`${platform.url}/api/v1/cases`, { method: "POST", headers: { cookie: judge.cookieHeader, origin: "https://evil.example", "content-type": "text/plain" }, body });
    expect(attack.status).toBe(403);
    expect(await casesCount()).toBe(before);
  });

  it("a JSON body must say Content-Type: application/json (415 UNSUPPORTED_MEDIA_TYPE otherwise), even from the site's own page", async () => {
    const judge = await signIn("judge.chaoyang");
    const before = await casesCount();
    const body = JSON.stringify({ caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初1号民事判决书" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null]) {
      const headers: Record<string, string> = { cookie: judge.cookieHeader, origin: platform.url };
      if (type) headers["content-type"] = type;
      const res = await fetch(`${platform.url}/api/v1/cases`, { method: "POST", headers, body });
      expect(res.status, String(type)).toBe(415);
      expect(await res.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    }
    expect(await casesCount()).toBe(before);
    // The site's own page, with a JSON body and the session cookie: accepted.
    const own = await fetch(`${platform.url}/api/v1/cases`, { method: "POST", headers: { cookie: judge.cookieHeader, origin: platform.url, "content-type": "application/json; charset=utf-8" }, body });
    expect(own.status).toBe(201);
    expect(await casesCount()).toBe(before + 1);
  });

  it("a court's system with a bearer token and no Origin keeps working (a token is no ambient credential)", async () => {
    const token = await judgeToken();
    const res = await fetch(`${platform.url}/api/v1/cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初2号民事判决书" }),
    });
    expect(res.status).toBe(201);
    // …but a bearer call from another site's page is refused like any other foreign write.
    const foreign = await fetch(`${platform.url}/api/v1/cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初3号民事判决书" }),
    });
    expect(foreign.status).toBe(403);
  });
});

describe("ASVS V4.2.2: sign-out and the language switch", () => {
  it("a foreign page cannot sign the visitor out; the site's own sign-out form can", async () => {
    const visitor = await signIn("bidder2");
    const foreign = await fetch(`${platform.url}/sign-out`, { method: "POST", headers: { cookie: visitor.cookieHeader, origin: "https://evil.example" }, redirect: "manual" });
    expect(foreign.status).toBe(403);
    expect((await visitor.get("/account")).status).toBe(200);
    const own = await visitor.post("/sign-out", {});
    expect(own.status).toBe(302);
    expect((await visitor.get("/account")).status).toBe(302);
  });

  it("a foreign page cannot switch the language; the site's own form can", async () => {
    const foreign = await fetch(`${platform.url}/lang`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }, body: "lang=en&next=/", redirect: "manual" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    const visitor = new Visitor(platform.url);
    const own = await visitor.post("/lang", { lang: "en", next: "/" });
    expect(own.status).toBe(302);
    expect(visitor.cookies.get("lang")).toBe("en");
  });
});
