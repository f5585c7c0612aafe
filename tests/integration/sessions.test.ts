import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { apiTokens, auditEvents, cases, sessions, users } from "../../db/schema/index.ts";
import { API_SCOPES, createApiToken, type ApiScope, type SessionUser } from "../../identity/index.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const db = () => platform.database.db;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(db(), clock);
});
afterAll(() => platform?.stop());

/** A visitor whose browser names itself, as real ones do. */
class Browser extends Visitor {
  readonly userAgent: string;
  constructor(baseUrl: string, userAgent: string) {
    super(baseUrl);
    this.userAgent = userAgent;
  }
  override request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set("user-agent", this.userAgent);
    return super.request(path, { ...init, headers });
  }
}

async function signedIn(username: string, userAgent = "TestBrowser/1.0") {
  const v = new Browser(platform.url, userAgent);
  const res = await v.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(res.status).toBe(302);
  return v;
}

async function userNamed(username: string): Promise<SessionUser> {
  const [u] = await db().select().from(users).where(eq(users.username, username));
  return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "setup" };
}

function call(method: string, path: string, token: string, body?: unknown) {
  return fetch(platform.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function lastAudit(action: string) {
  const [row] = await db().select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.seq)).limit(1);
  return row;
}

/** Posts the tokens page's create form, with one `scopes` field per ticked box. */
function createTokenForm(v: Visitor, fields: Record<string, string>, scopes: string[]) {
  const form = new URLSearchParams({ intent: "create", ...fields });
  for (const s of scopes) form.append("scopes", s);
  return v.request("/account/tokens", { method: "POST", body: form });
}

const caseNumber = () => `（2026）京0105执${Math.floor(Math.random() * 900000) + 1000}号`;

describe("an admin signs a user out everywhere", () => {
  it("ASVS V3.3.1: the admin's revocation ends the user's sessions and revokes their API tokens, and says how many", async () => {
    const judge = await signedIn("judge.pudong");
    const { token } = await createApiToken(db(), clock, await userNamed("judge.pudong"), "案件管理系统");
    expect((await call("GET", "/api/v1/me", token)).status).toBe(200);
    const admin = await signedIn("admin");
    const { id } = await userNamed("judge.pudong");

    const res = await admin.post(`/api/v1/admin/users/${id}/revoke-sessions`, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1, tokensRevoked: 1 });
    expect((await judge.get("/account")).status).toBe(302);
    const refused = await call("GET", "/api/v1/me", token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    expect(await lastAudit("identity.sessions_revoked")).toMatchObject({ entityId: id, data: { sessions: 1, tokens: 1 } });
  });

  it("ASVS V3.3.1: the admin page says that it revokes tokens too, counts working tokens, and revokes them", async () => {
    const clerk = await userNamed("clerk.pudong");
    const { token } = await createApiToken(db(), clock, clerk, "案件管理系统");
    const admin = await signedIn("admin");
    const page = await (await admin.get("/admin/users")).text();
    expect(page).toContain("强制退出登录并吊销令牌");
    expect(page).toContain("吊销其全部 API 令牌");
    const row = page.slice(page.indexOf('data-username="clerk.pudong"'));
    expect(row.slice(0, row.indexOf("</tr>"))).toMatch(/<td[^>]*>1<\/td>/);
    expect((await admin.post("/admin/users", { intent: "revoke", userId: clerk.id })).status).toBe(200);
    expect((await call("GET", "/api/v1/me", token)).status).toBe(401);
  });
});

describe("API tokens expire and act only within their scopes", () => {
  it("ASVS V3.5.2, V4.1.3: a token made on the page shows its expiry and scopes; a write outside its scopes is 403 TOKEN_SCOPE_MISSING and writes nothing", async () => {
    const judge = await signedIn("judge.chaoyang");
    const made = await createTokenForm(judge, { name: "只读系统", expiresInDays: "30" }, ["cases:read", "appraisal:read"]);
    expect(made.status).toBe(200);
    const token = /<code class="token">(jat_[A-Za-z0-9_-]+)<\/code>/.exec(await made.text())![1]!;
    const [stored] = await db().select().from(apiTokens).where(eq(apiTokens.name, "只读系统"));
    expect(stored!.scopes).toEqual(["cases:read", "appraisal:read"]);
    expect(stored!.expiresAt.getTime() - clock.now().getTime()).toBe(30 * DAY);

    const page = await (await judge.get("/account/tokens")).text();
    const row = page.slice(page.indexOf("<td>只读系统</td>"));
    expect(row).toContain("查看案件、当事人、标的物和参考价");
    expect(row).toContain("查看评估和询价事项");
    expect(row.slice(0, row.indexOf("</tr>"))).not.toContain("发布拍品");
    expect(row).toContain(`dateTime="${stored!.expiresAt.toISOString()}"`);

    // A write-scoped token writes: a case and its asset.
    const writer = await createApiToken(db(), clock, await userNamed("judge.chaoyang"), "写入系统", { scopes: ["cases:write"] });
    const made201 = await call("POST", "/api/v1/cases", writer.token, { caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初1号民事判决书" });
    expect(made201.status).toBe(201);
    const { id: caseId } = (await made201.json()) as { id: string };
    const asset = await call("POST", `/api/v1/cases/${caseId}/assets`, writer.token, {
      category: "vehicle",
      regionCode: "110105",
      title: "小型轿车一辆",
      description: "2019年登记",
      encumbrances: "无",
      occupancy: "法院停车场",
      lease: "无",
      taxes: "无",
      knownDefects: "无",
      seizedAt: new Date(clock.now().getTime() - 5 * DAY).toISOString(),
    });
    expect(asset.status).toBe(201);
    const { id: assetId } = (await asset.json()) as { id: string };

    // The read-only token reads in its areas (the asset's procedures), and writes nothing.
    expect((await call("GET", `/api/v1/assets/${assetId}/procedures`, token)).status).toBe(200);
    const [before] = await db().select({ n: count() }).from(cases);
    const write = await call("POST", "/api/v1/cases", token, { caseNumber: caseNumber(), enforcementBasis: "（2025）京0105民初1号民事判决书" });
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({ error: { code: "TOKEN_SCOPE_MISSING" } });
    const [after] = await db().select({ n: count() }).from(cases);
    expect(after!.n).toBe(before!.n);
    // The area must match too: appraisal:read does not let it publish.
    const publish = await call("POST", "/api/v1/lots/00000000-0000-4000-8000-000000000000/publish", token);
    expect(publish.status).toBe(403);
    expect(await publish.json()).toMatchObject({ error: { code: "TOKEN_SCOPE_MISSING" } });

    // …but cannot read what needs cases:read or appraisal:read.
    const read = await call("GET", `/api/v1/assets/${assetId}/procedures`, writer.token);
    expect(read.status).toBe(403);
    expect(await read.json()).toMatchObject({ error: { code: "TOKEN_SCOPE_MISSING" } });
  });

  it("ASVS V3.5.2: a token past its expiry is refused with 401 TOKEN_EXPIRED, and shown as expired", async () => {
    const judge = await userNamed("judge.chaoyang");
    const { token } = await createApiToken(db(), clock, judge, "短期系统", { expiresInDays: 30 });
    expect((await call("GET", "/api/v1/me", token)).status).toBe(200);
    clock.advance(30 * DAY);
    const expired = await call("GET", "/api/v1/me", token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: "TOKEN_EXPIRED" } });
    const write = await call("POST", "/api/v1/cases", token, { caseNumber: caseNumber(), enforcementBasis: "x" });
    expect(write.status).toBe(401);
    expect(await write.json()).toMatchObject({ error: { code: "TOKEN_EXPIRED" } });
    // Public reads stay public.
    expect((await call("GET", "/api/v1/lots", token)).status).toBe(200);
    const page = await (await (await signedIn("judge.chaoyang")).get("/account/tokens")).text();
    const row = page.slice(page.indexOf("<td>短期系统</td>"));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain("已过期");
  });

  it("ASVS V4.1.3: the page offers only the scopes the role can use, and refuses none, another role's scope or an unknown lifetime, writing nothing", async () => {
    const agency = await signedIn("agency1");
    const page = await (await agency.get("/account/tokens")).text();
    const offered = [...page.matchAll(/<input type="checkbox"[^>]*name="scopes"[^>]*value="([a-z:]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(["appraisal:read", "appraisal:write"]);
    expect(page).toMatch(/name="expiresInDays" checked="" value="90"/);

    const [before] = await db().select({ n: count() }).from(apiTokens);
    const none = await createTokenForm(agency, { name: "评估系统", expiresInDays: "90" }, []);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('href="#scopes"');
    const foreign = await createTokenForm(agency, { name: "评估系统", expiresInDays: "90" }, ["admin:write"]);
    expect(foreign.status).toBe(400);
    const unknown = await createTokenForm(agency, { name: "评估系统", expiresInDays: "9999" }, ["appraisal:read"]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('href="#expiresInDays"');
    const bogus = await createTokenForm(agency, { name: "评估系统", expiresInDays: "90" }, ["everything"]);
    expect(bogus.status).toBe(400);
    const nul = await createTokenForm(agency, { name: "评估\u0000系统", expiresInDays: "90" }, ["appraisal:read"]);
    expect(nul.status).toBe(400);
    const [after] = await db().select({ n: count() }).from(apiTokens);
    expect(after!.n).toBe(before!.n);
  });

  it("ASVS V3.5.2: tokens made before expiry and scopes existed keep every scope and end 90 days after the migration", async () => {
    const { id } = await userNamed("clerk.chaoyang");
    // The columns' defaults are what the migration gave existing rows.
    await db().execute(sql`insert into api_tokens (user_id, name, token_hash, created_at) values (${id}, '旧令牌', 'legacy-hash', now())`);
    const [legacy] = await db().select().from(apiTokens).where(eq(apiTokens.tokenHash, "legacy-hash"));
    expect(legacy!.scopes).toEqual([...API_SCOPES]);
    const [{ now }] = (await db().execute(sql`select now() as now`)) as unknown as [{ now: string }];
    const lifetime = legacy!.expiresAt.getTime() - new Date(now).getTime();
    expect(lifetime).toBeGreaterThan(90 * DAY - MINUTE);
    expect(lifetime).toBeLessThanOrEqual(90 * DAY);
    // The database refuses a scope that does not exist.
    await expect(db().insert(apiTokens).values({ userId: id, name: "x", tokenHash: "bad-scope", createdAt: clock.now(), scopes: ["everything" as ApiScope] })).rejects.toThrow();
  });
});

describe("signed-in answers are not stored by caches", () => {
  it("ASVS V8.2.1: pages, the page showing a new token once and API answers to a token are no-store; anonymous public pages are not", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.get("/account")).headers.get("cache-control")).toBe("no-store");
    expect((await clerk.get("/lots")).headers.get("cache-control")).toBe("no-store");
    expect((await clerk.get("/account.data")).headers.get("cache-control")).toBe("no-store");
    const made = await createTokenForm(clerk, { name: "缓存测试", expiresInDays: "90" }, ["cases:read"]);
    expect(made.status).toBe(200);
    expect(made.headers.get("cache-control")).toBe("no-store");
    const token = /<code class="token">(jat_[A-Za-z0-9_-]+)<\/code>/.exec(await made.text())![1]!;
    expect((await call("GET", "/api/v1/me", token)).headers.get("cache-control")).toBe("no-store");
    expect((await fetch(`${platform.url}/lots`)).headers.get("cache-control")).not.toBe("no-store");
  });
});

describe("the user's session list", () => {
  it("ASVS V3.3.4, V7.1.3: lists the user's sessions with start, last use, address and browser; ends one other, then all others, audited", async () => {
    const me = await signedIn("bidder1", "Browser-A");
    const other = await signedIn("bidder1", "Browser-B");
    expect((await other.get("/account")).status).toBe(200); // records its address and browser
    const page = await (await me.get("/account")).text();
    const list = page.slice(page.indexOf('data-testid="account-sessions"'));
    expect(list).toContain("Browser-A");
    expect(list).toContain("Browser-B");
    expect(list).toContain("127.0.0.1");
    expect(list).toContain("当前会话");
    const otherId = /data-session="([0-9a-f-]{36})"(?:(?!<\/tr>).)*Browser-B/s.exec(list)?.[1];
    expect(otherId).toBeDefined();

    const ended = await me.post("/account/sessions", { sessionId: otherId! });
    expect(ended.status).toBe(302);
    expect(ended.headers.get("location")).toBe("/account#sessions");
    expect((await other.get("/account")).status).toBe(302);
    expect((await me.get("/account")).status).toBe(200);
    expect(await lastAudit("identity.session_ended")).toMatchObject({ entityType: "session", entityId: otherId });

    const third = await signedIn("bidder1", "Browser-C");
    const fourth = await signedIn("bidder1", "Browser-D");
    expect((await me.post("/account/sessions", { sessionId: "others" })).status).toBe(302);
    expect((await third.get("/account")).status).toBe(302);
    expect((await fourth.get("/account")).status).toBe(302);
    expect((await me.get("/account")).status).toBe(200);
    const { id } = await userNamed("bidder1");
    expect(await lastAudit("identity.other_sessions_ended")).toMatchObject({ entityId: id, data: { sessions: 2 } });
    expect(await (await me.get("/account")).text()).toContain("您没有在其他地方登录。");
  });

  it("ASVS V3.3.4: the form does not end the current session, another user's session or a malformed id, and writes nothing", async () => {
    const me = await signedIn("bidder2");
    const stranger = await signedIn("bidder3");
    expect((await stranger.get("/account")).status).toBe(200);
    const [strangers] = await db()
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, (await userNamed("bidder3")).id)))
      .orderBy(desc(sessions.createdAt))
      .limit(1);
    const [mine] = await db()
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, (await userNamed("bidder2")).id))
      .orderBy(desc(sessions.createdAt))
      .limit(1);
    const [before] = await db().select({ n: count() }).from(auditEvents);
    expect((await me.post("/account/sessions", { sessionId: strangers!.id })).status).toBe(404);
    expect((await me.post("/account/sessions", { sessionId: mine!.id })).status).toBe(409);
    expect((await me.post("/account/sessions", { sessionId: "not-a-uuid" })).status).toBe(400);
    expect((await new Visitor(platform.url).post("/account/sessions", { sessionId: "others" })).status).toBe(302);
    expect((await stranger.get("/account")).status).toBe(200);
    expect((await me.get("/account")).status).toBe(200);
    const [after] = await db().select({ n: count() }).from(auditEvents);
    expect(after!.n).toBe(before!.n);
  });
});

describe("idle timeout", () => {
  it("ASVS V3.3.2: a session unused for 30 minutes ends; one in use lives on until its 12-hour lifetime", async () => {
    const busy = await signedIn("bidder4");
    const idle = await signedIn("bidder5");
    for (let i = 0; i < 4; i++) {
      clock.advance(20 * MINUTE);
      expect((await busy.get("/account")).status).toBe(200);
    }
    // bidder5 has not been seen for 80 minutes.
    const gone = await idle.get("/account");
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toBe("/sign-in?next=%2Faccount");
    clock.advance(29 * MINUTE);
    expect((await busy.get("/account")).status).toBe(200);
    clock.advance(30 * MINUTE + 1);
    expect((await busy.get("/account")).status).toBe(302);
    // In use all along, a session still ends 12 hours after sign-in.
    const steady = await signedIn("bidder4");
    for (let i = 0; i < 12 * 3; i++) {
      clock.advance(20 * MINUTE);
      expect((await steady.get("/api/v1/me")).status, `after ${(i + 1) * 20} minutes`).toBe(i < 12 * 3 - 1 ? 200 : 401);
    }
  });

  it("ASVS V3.3.2: the last use is written at most once a minute", async () => {
    const v = await signedIn("judge.pudong");
    const { id } = await userNamed("judge.pudong");
    const lastUse = async () => {
      const [row] = await db().select({ at: sessions.lastUsedAt }).from(sessions).where(eq(sessions.userId, id)).orderBy(desc(sessions.createdAt)).limit(1);
      return row!.at.getTime();
    };
    const signedInAt = clock.now().getTime();
    expect((await v.get("/account")).status).toBe(200);
    clock.advance(30 * 1000);
    expect((await v.get("/account")).status).toBe(200);
    expect((await v.get("/api/v1/me")).status).toBe(200);
    expect(await lastUse()).toBe(signedInAt);
    clock.advance(31 * 1000);
    expect((await v.get("/account")).status).toBe(200);
    expect(await lastUse()).toBe(clock.now().getTime());
  });
});
