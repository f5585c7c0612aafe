import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { users, auditEvents } from "../../db/schema/index.ts";
import { residentIdCheckChar, creditCodeCheckChar } from "../../identity/validators.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
let serial = 100;

/** A fresh, valid resident ID number for each registration. */
function nextResidentId(): string {
  const body = `110105198001${String(10 + (serial % 18)).padStart(2, "0")}${String(serial++).padStart(3, "0")}`;
  return body + residentIdCheckChar(body);
}

function registration(overrides: Record<string, string> = {}) {
  const n = serial;
  return {
    kind: "person",
    legalName: "测试竞买人",
    identityNumber: nextResidentId(),
    phone: "13912345678",
    username: `bidder-${n}`,
    password: "correct horse battery",
    ...overrides,
  };
}

async function userCount() {
  const [row] = await platform.database.db.select({ n: count() }).from(users);
  return row!.n;
}

async function signedIn(username: string, password = DEMO_PASSWORD) {
  const v = new Visitor(platform.url);
  const res = await v.post("/sign-in", { username, password });
  expect(res.status).toBe(302);
  return v;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
});
afterAll(() => platform?.stop());

describe("bidder registration (C2: bidders act in their real name)", () => {
  it("registers a person, who then signs in and sees the account page", async () => {
    const v = new Visitor(platform.url);
    const form = registration();
    const res = await v.post("/register", form);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?registered");
    expect(await (await v.get("/sign-in?registered")).text()).toContain('data-testid="registration-received"');
    expect((await v.post("/sign-in", { username: form.username, password: form.password })).status).toBe(302);
    const account = await (await v.get("/account")).text();
    expect(account).toContain("测试竞买人");
    expect(account).toContain(form.username);
    // The ID number is masked on the page.
    expect(account).not.toContain(form.identityNumber);
  });

  it("registers a company by its unified social credit code", async () => {
    const body = "91110105MA01TEMT9";
    const v = new Visitor(platform.url);
    const res = await v.post("/register", registration({ kind: "company", legalName: "北京测试有限公司", identityNumber: body + creditCodeCheckChar(body) }));
    expect(res.status).toBe(302);
  });

  it.each([
    ["empty fields", { legalName: "", identityNumber: "", phone: "", username: "", password: "" }, ["legalName", "identityNumber", "phone", "username", "password"]],
    ["a name with a script tag", { legalName: "<script>alert(1)</script>" }, ["legalName"]],
    ["a name that is too long", { legalName: "名".repeat(101) }, ["legalName"]],
    ["a username that is too long", { username: "a".repeat(33) }, ["username"]],
    ["a password that is too long", { password: "p".repeat(129) }, ["password"]],
    ["a wrong ID check digit", { identityNumber: "11010519491231002Y" }, ["identityNumber"]],
    ["a wrong credit code for a company", { kind: "company", identityNumber: "91350100M000100Y44" }, ["identityNumber"]],
    ["an unknown bidder kind", { kind: "robot" }, ["kind"]],
    ["a bad phone number", { phone: "12345" }, ["phone"]],
  ])("refuses %s with field errors and writes nothing", async (_label, overrides, fields) => {
    const before = await userCount();
    const res = await new Visitor(platform.url).post("/register", registration(overrides));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('data-testid="error-summary"');
    for (const field of fields) expect(page).toContain(`href="#${field}"`);
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(await userCount()).toBe(before);
  });

  it("refuses fields of the wrong type (a file where text belongs) with field errors", async () => {
    const before = await userCount();
    const form = new FormData();
    for (const [k, v] of Object.entries(registration())) form.set(k, v);
    form.set("legalName", new Blob(["x"]), "name.txt");
    const res = await new Visitor(platform.url).post("/register", form);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('href="#legalName"');
    expect(await userCount()).toBe(before);
  });

  it("ASVS V2.1.x, V3 / I1: a registered identity number gets the same answer as a new one, makes no account, and leaves a notice on the existing account", async () => {
    const form = registration();
    const first = await new Visitor(platform.url).post("/register", form);
    const before = await userCount();
    const again = await new Visitor(platform.url).post("/register", { ...form, username: `${form.username}-2` });
    expect(again.status).toBe(first.status);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    const body = await again.text();
    expect(body).not.toContain("identityNumber");
    expect(await userCount()).toBe(before);
    // The impostor's chosen account does not exist; the holder finds the notice in their notification centre.
    expect((await new Visitor(platform.url).post("/sign-in", { username: `${form.username}-2`, password: form.password })).status).toBe(401);
    const holder = await signedIn(form.username, form.password);
    const account = await (await holder.get("/notifications")).text();
    expect(account).toContain('data-notice="identity_reuse_attempt"');
    expect(account).toContain("有人试图用您的证件号码注册新账户");
    const [event] = await platform.database.db.select().from(auditEvents).where(eq(auditEvents.action, "identity.identity_reuse_noticed"));
    expect(event).toBeDefined();
  });

  it("ASVS V2.1.x: a taken username is reported on its field (the per-address limit bounds how often it can be asked)", async () => {
    const form = registration();
    await new Visitor(platform.url).post("/register", form);
    const again = await new Visitor(platform.url).post("/register", registration({ username: form.username }));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('href="#username"');
  });

  it.each([
    ["ASVS V2.1.1: a password under 12 characters", { password: "elevenchars" }, "密码至少需要12个字符"],
    ["ASVS V2.1.7: a common password, in any case", { password: "Password1234" }, "该密码过于常见"],
    ["ASVS V2.1.x: a password containing the username", { username: "wanghua88", password: "my-WANGHUA88-secret" }, "密码不能包含用户名"],
  ])("refuses %s with a plain field message and writes nothing", async (_label, overrides, message) => {
    const before = await userCount();
    const res = await new Visitor(platform.url).post("/register", registration(overrides));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('href="#password"');
    expect(page).toContain(message);
    expect(await userCount()).toBe(before);
  });
});

describe("sign-in", () => {
  it.each([
    ["empty", { username: "", password: "" }, 400],
    ["too long", { username: "u".repeat(33), password: "p".repeat(129) }, 400],
    ["script tags", { username: "<script>", password: "<script>" }, 401],
  ])("answers %s input with an error page, never a 500", async (_label, form, status) => {
    const res = await new Visitor(platform.url).post("/sign-in", form);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain('data-testid="error-summary"');
  });

  it("refuses wrong types (a file for the password) with a field error", async () => {
    const form = new FormData();
    form.set("username", "bidder1");
    form.set("password", new Blob(["secret"]), "p.txt");
    const res = await new Visitor(platform.url).post("/sign-in", form);
    expect(res.status).toBe(400);
  });

  it("signs a demo user in and out; the old cookie stops working at once", async () => {
    const v = await signedIn("bidder2");
    expect((await v.get("/account")).status).toBe(200);
    const stolen = new Visitor(platform.url);
    for (const [k, val] of v.cookies) stolen.cookies.set(k, val);
    expect((await v.post("/sign-out", {})).status).toBe(302);
    const after = await stolen.get("/account");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("rate-limits sign-in after 5 failures, even with the right password, until the window passes", async () => {
    const v = new Visitor(platform.url);
    for (let i = 0; i < 5; i++) expect((await v.post("/sign-in", { username: "bidder3", password: "wrong-password" })).status).toBe(401);
    const limited = await v.post("/sign-in", { username: "bidder3", password: DEMO_PASSWORD });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('data-testid="error-summary"');
    clock.advance(15 * 60 * 1000 + 1);
    expect((await v.post("/sign-in", { username: "bidder3", password: DEMO_PASSWORD })).status).toBe(302);
  });
});

describe("sessions and permissions", () => {
  it("an admin's revocation signs the user out on their next request", async () => {
    const bidder = await signedIn("bidder4");
    expect((await bidder.get("/api/v1/me")).status).toBe(200);
    const admin = await signedIn("admin");
    const me = (await (await bidder.get("/api/v1/me")).json()) as { id: string };
    const revoke = await admin.post(`/api/v1/admin/users/${me.id}/revoke-sessions`, {});
    expect(revoke.status).toBe(200);
    expect(await revoke.json()).toEqual({ revoked: 1, tokensRevoked: 0 });
    const after = await bidder.get("/api/v1/me");
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
  });

  it("the account and admin API answer in the API's JSON shape: who I am, the user list, and a revocation's not-found cases", async () => {
    const bidder = await signedIn("bidder2");
    const me = await bidder.get("/api/v1/me");
    expect(me.headers.get("content-type")).toMatch(/^application\/json/);
    const self = (await me.json()) as Record<string, string>;
    expect(Object.keys(self).sort()).toEqual(["displayName", "id", "role", "username"]);
    expect(self).toMatchObject({ username: "bidder2", role: "bidder" });

    const admin = await signedIn("admin");
    const list = await admin.get("/api/v1/admin/users");
    expect(list.status).toBe(200);
    const { users: listed } = (await list.json()) as { users: { id: string; username: string }[] };
    expect(listed.find((u) => u.username === "bidder2")?.id).toBe(self.id);

    const notFound = async (res: Response) => {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    };
    await notFound(await admin.post("/api/v1/admin/users/not-a-uuid/revoke-sessions", {}));
    // A method the API does not serve is refused before the route is looked at (ADR 018).
    const put = await admin.request(`/api/v1/admin/users/${self.id}/revoke-sessions`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
    expect((await bidder.get("/api/v1/me")).status).toBe(200);
    // A bidder is refused before anything else is looked at.
    const refused = await bidder.post("/api/v1/admin/users/not-a-uuid/revoke-sessions", {});
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("the admin page revokes a user's sessions too", async () => {
    const bidder = await signedIn("bidder5");
    const admin = await signedIn("admin");
    const me = (await (await bidder.get("/api/v1/me")).json()) as { id: string };
    expect((await admin.post("/admin/users", { intent: "revoke", userId: me.id })).status).toBe(200);
    expect((await bidder.get("/account")).status).toBe(302);
  });

  it("refuses a bidder the admin page with a friendly 403 page", async () => {
    const bidder = await signedIn("bidder1");
    const res = await bidder.get("/admin/users");
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain('data-status="403"');
    expect(page).not.toMatch(/at \w+ \(|Error:/); // no stack trace
  });

  it("refuses a bidder the admin API with a 403 JSON error", async () => {
    const bidder = await signedIn("bidder1");
    const res = await bidder.get("/api/v1/admin/users");
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("answers an anonymous API call with 401 JSON and an anonymous page visit with a sign-in redirect", async () => {
    const v = new Visitor(platform.url);
    const api = await v.get("/api/v1/me");
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const page = await v.get("/account");
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/sign-in?next=%2Faccount");
  });

  it("does not follow a sign-in 'next' to another site", async () => {
    const v = new Visitor(platform.url);
    const res = await v.post("/sign-in", { username: "judge.chaoyang", password: DEMO_PASSWORD, next: "//evil.example/" });
    // The judge's own home instead.
    expect(res.headers.get("location")).toBe("/court/cases");
  });
});

describe("the server", () => {
  it("reports health with the database reachable", async () => {
    const res = await fetch(`${platform.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("sends security headers with a script nonce", async () => {
    const res = await fetch(`${platform.url}/`);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("shows a friendly 404 page for an unknown address", async () => {
    const res = await fetch(`${platform.url}/no-such-page`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('data-status="404"');
  });

  it("switches the language to English and back", async () => {
    const v = new Visitor(platform.url);
    expect(await (await v.get("/")).text()).toContain('lang="zh-CN"');
    expect((await v.post("/lang", { lang: "en", next: "/sign-in" })).headers.get("location")).toBe("/sign-in");
    expect(await (await v.get("/sign-in")).text()).toContain('lang="en"');
  });

  it("writes an audit event for each registration, in the same transaction", async () => {
    const [before] = await platform.database.db.select({ n: count() }).from(auditEvents);
    await new Visitor(platform.url).post("/register", registration());
    await new Visitor(platform.url).post("/register", registration({ phone: "bad" }));
    const [after] = await platform.database.db.select({ n: count() }).from(auditEvents);
    // One registration; the refused one wrote nothing.
    expect(after!.n - before!.n).toBe(1);
  });
});

describe("forms without JavaScript", () => {
  it("sends a referrer policy under which browsers keep the Origin of same-site form posts", async () => {
    const res = await fetch(`${platform.url}/sign-in`);
    // "no-referrer" would make Chromium send `Origin: null`, which the action CSRF check refuses.
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
