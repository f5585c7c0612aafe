// Bounded input over real HTTP: bodies limited while they stream (anonymous, signed-in, uploads), methods the
// site does not serve refused before anything else (ADR 018).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { apiTokens } from "../../db/schema/index.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { loadConfig } from "../../server/config.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { streamBody } from "../support/streams.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
let judge: Visitor;

const KIB = 1024;
const MIB = 1024 * KIB;
const ANY_ID = "00000000-0000-4000-8000-000000000001";
const FORM = { "content-type": "application/x-www-form-urlencoded" };

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
  judge = new Visitor(platform.url);
  expect((await judge.post("/sign-in", { username: "judge.chaoyang", password: DEMO_PASSWORD })).status).toBe(302);
});
afterAll(() => platform?.stop());

const own = () => ({ origin: platform.url });
const signedIn = () => ({ ...own(), cookie: judge.cookieHeader });

describe("ASVS V12.1.1, V13.1.x: every body is limited while it streams", () => {
  it("the limits are 64 KiB anonymous, 512 KiB signed in and 51 MiB for uploads (a 50 MB video and its form) by default, configurable", () => {
    const base = { SESSION_SECRET: "x".repeat(32), DRAW_SEED_KEY: "d".repeat(32) };
    expect(loadConfig(base).bodyLimits).toEqual({ anonymous: 64 * KIB, signedIn: 512 * KIB, upload: 51 * MIB });
    expect(loadConfig({ ...base, BODY_LIMIT_ANONYMOUS_KIB: "8", BODY_LIMIT_SIGNED_IN_KIB: "100", BODY_LIMIT_UPLOAD_MIB: "5" }).bodyLimits).toEqual({
      anonymous: 8 * KIB,
      signedIn: 100 * KIB,
      upload: 5 * MIB,
    });
  });

  it("an anonymous chunked page body over 64 KiB is cut with 413 PAYLOAD_TOO_LARGE long before the client has sent it all", async () => {
    const total = 100 * MIB;
    const res = await streamBody(`${platform.url}/sign-in`, { headers: { ...own(), ...FORM }, total });
    expect(res.status).toBe(413);
    expect(res.body).toContain("提交的内容过大");
    expect(res.body).toContain("What was sent is too large");
    // What the client managed to write is the limit plus what the sockets' buffers hold, not the body.
    expect(res.written).toBeLessThan(total / 4);
  });

  it("a chunked JSON body over the limit gets the API's JSON error", async () => {
    const res = await streamBody(`${platform.url}/api/v1/cases`, { headers: { ...signedIn(), "content-type": "application/json" }, total: 10 * MIB });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  it("a declared Content-Length over the limit is refused before a byte of the body is sent", async () => {
    const res = await streamBody(`${platform.url}/register`, { headers: { ...own(), ...FORM }, total: 0, declaredLength: 1024 * MIB });
    expect(res.status).toBe(413);
    expect(res.written).toBe(0);
  });

  it("a client that sends the whole of an oversized body before reading still gets its 413, not a reset connection", async () => {
    const send = async (size: number) => {
      const res = await fetch(`${platform.url}/sign-in`, { method: "POST", headers: { ...own(), "content-type": "multipart/form-data; boundary=x" }, body: "x".repeat(size) });
      await res.text();
      return res.status;
    };
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => send(80 * KIB + i * 50 * KIB)));
    expect(statuses).toEqual(statuses.map(() => 413));
  });

  it("a body answered before it was read (a 401, a 415) leaves the connection usable for the next request", async () => {
    const pair = async (i: number) => {
      const api = await fetch(`${platform.url}/api/v1/cases`, { method: "POST", headers: { ...signedIn(), ...FORM }, body: "a=".padEnd(100 * KIB + i * 10 * KIB, "b") });
      await api.text();
      const next = await fetch(`${platform.url}/api/v1/me`, { headers: signedIn() });
      await next.text();
      return [api.status, next.status];
    };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => pair(i)));
    expect(answers).toEqual(answers.map(() => [415, 200]));
  });

  it("a signed-in request may send more than an anonymous one, up to 512 KiB", async () => {
    const passes = await streamBody(`${platform.url}/court/cases`, { headers: { ...signedIn(), ...FORM }, total: 200 * KIB });
    expect(passes.status).not.toBe(413);
    expect(passes.status).toBeLessThan(500);
    const cut = await streamBody(`${platform.url}/court/cases`, { headers: { ...signedIn(), ...FORM }, total: 20 * MIB });
    expect(cut.status).toBe(413);
    expect(cut.written).toBeLessThan(20 * MIB);
  });

  it("an upload route takes a file's worth when signed in, and is answered unread when anonymous", async () => {
    const passes = await streamBody(`${platform.url}/court/lots/${ANY_ID}`, { headers: { ...signedIn(), ...FORM }, total: 2 * MIB });
    expect(passes.status).not.toBe(413);
    expect(passes.status).toBeLessThan(500);
    const cut = await streamBody(`${platform.url}/court/lots/${ANY_ID}`, { headers: { ...signedIn(), ...FORM }, total: 100 * MIB });
    expect(cut.status).toBe(413);
    // Anonymous: sent to sign in before the body is read (the 64 KiB limit would cut it if anything read it).
    const anonymous = await streamBody(`${platform.url}/court/lots/${ANY_ID}`, { headers: { ...own(), ...FORM }, total: 100 * MIB });
    expect(anonymous.status).toBe(302);
    expect(anonymous.written).toBeLessThan(25 * MIB);
  });

  it("four parallel 100 MiB chunked bodies are all refused and the server's memory does not grow with them", async () => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const total = 100 * MIB;
    const answers = await Promise.all([
      streamBody(`${platform.url}/sign-in`, { headers: { ...own(), ...FORM }, total }),
      streamBody(`${platform.url}/register`, { headers: { ...own(), ...FORM }, total }),
      streamBody(`${platform.url}/court/cases`, { headers: { ...signedIn(), ...FORM }, total }),
      streamBody(`${platform.url}/court/lots/${ANY_ID}`, { headers: { ...signedIn(), ...FORM }, total }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413]);
    const after = process.memoryUsage();
    // The server runs in this process: had it buffered the bodies, the heap and buffers would hold 400 MiB.
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    expect(grown).toBeLessThan(80 * MIB);
    for (const a of answers.slice(0, 3)) expect(a.written).toBeLessThan(total / 4);
  });
});

describe("ASVS V14.5.1: methods the site does not use get 405", () => {
  for (const method of ["TRACE", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"]) {
    it(`${method} gets 405 METHOD_NOT_ALLOWED with an Allow header, on pages and the API`, async () => {
      // fetch refuses to send TRACE at all: a plain Node request sends what a client could.
      const page = await streamBody(`${platform.url}/court/cases`, { method, headers: signedIn(), total: 0 });
      expect(page.status).toBe(405);
      expect(page.headers.allow).toBe("GET, HEAD, POST");
      expect(page.body).toContain("This address does not accept this kind of request");
      const api = await streamBody(`${platform.url}/api/v1/cases`, { method, headers: { ...signedIn(), "content-type": "application/json" }, total: 0 });
      expect(api.status).toBe(405);
      expect(JSON.parse(api.body)).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
    });
  }

  it("GET, HEAD and POST still reach the site", async () => {
    expect((await fetch(`${platform.url}/lots`)).status).toBe(200);
    expect((await fetch(`${platform.url}/lots`, { method: "HEAD" })).status).toBe(200);
    expect((await judge.post("/lang", { lang: "en", next: "/" })).status).toBe(302);
  });
});

describe("ASVS V13.1.5, DESIGN §4: a body that is not a readable form is a 4xx page, not a 500", () => {
  const routes = [
    { path: "/sign-in", who: "anonymous" },
    { path: "/register", who: "anonymous" },
    { path: "/lang", who: "anonymous" }, // a resource route: its refusal is the code, as JSON
    { path: "/court/cases", who: "judge" },
    { path: "/account/tokens", who: "judge" },
    { path: "/court/cases.data", who: "judge" },
  ];
  const send = (path: string, who: string, type: string | null, body: string) => {
    const headers: Record<string, string> = who === "judge" ? signedIn() : own();
    if (type) headers["content-type"] = type;
    return fetch(`${platform.url}${path}`, { method: "POST", headers, body, redirect: "manual" });
  };

  for (const { path, who } of routes) {
    it(`${path}: another content type is 415, a broken multipart body 400, each with the error page in the reader's language`, async () => {
      // The judge chose English above; anonymous visitors read the default, Chinese.
      const unreadable = (who === "judge" ? en : zhCN).errors.page.badRequest.title;
      for (const type of ["text/plain", "application/json", "application/xml", null]) {
        const res = await send(path, who, type, "username=a&password=b");
        expect(res.status, `${path} as ${type}`).toBe(415);
        if (path === "/lang") expect(await res.json()).toEqual({ code: "UNSUPPORTED_MEDIA_TYPE" });
        else if (!path.endsWith(".data")) expect(await res.text()).toContain(unreadable);
      }
      for (const [type, body] of [
        ["multipart/form-data", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--"],
        ["multipart/form-data; boundary=x", "--x\r\nno headers at all"],
        ["multipart/form-data; boundary=x", "\u0000\u0001garbage"],
      ] as const) {
        const res = await send(path, who, type, body);
        expect(res.status, `${path} as ${type}: ${JSON.stringify(body)}`).toBe(400);
        if (path === "/lang") expect(await res.json()).toEqual({ code: "VALIDATION_FAILED" });
        else if (!path.endsWith(".data")) expect(await res.text()).toContain(unreadable);
      }
    });
  }
});

describe("ASVS V5.1.3: control characters are refused at the boundary, before the database", () => {
  it("a NUL in an API token's name is 400 naming the field, and no token is made", async () => {
    const tokens = async () => (await platform.database.db.select({ n: count() }).from(apiTokens))[0]!.n;
    const before = await tokens();
    for (const name of ["case\u0000system", "case\u0007system", "\u0000"]) {
      const res = await judge.post("/account/tokens", { intent: "create", name, expiresInDays: "90", scopes: "cases:read" });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
    expect(await tokens()).toBe(before);
  });

  it("a NUL in a username at sign-in is refused as a bad field, not looked up", async () => {
    const res = await new Visitor(platform.url).post("/sign-in", { username: "judge\u0000chaoyang", password: DEMO_PASSWORD });
    expect(res.status).toBe(400);
  });
});
