// The live socket layer's own guards, over real Socket.IO clients: the handshake's Origin must be the site's
// whole origin (scheme, host and port), each client address holds a bounded number of sockets, and lot:join
// and session:whoami are rate-limited per socket. Limits come from the configuration (README "Configuration").
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { io as connect } from "socket.io-client";
import { TestClock } from "../../core/clock.ts";
import { loadConfig } from "../../server/config.ts";
import { loadBuild, startPlatform, type Platform } from "../../server/platform.ts";
import { createTestDatabase } from "../support/database.ts";
import { TEST_DRAW_SEED_KEY, TEST_SESSION_SECRET } from "../support/platform.ts";
import { connected, type LiveClient } from "../support/server-process.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: Platform;
let closeDatabase: () => Promise<void>;
const open: LiveClient[] = [];

function client(headers: Record<string, string> = {}): LiveClient {
  const socket: LiveClient = connect(`${platform.url}/live`, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
  open.push(socket);
  return socket;
}

/** Settles true when the handshake is accepted, false when refused. */
const admitted = (socket: LiveClient) =>
  connected(socket).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  const database = await createTestDatabase();
  closeDatabase = () => database.close();
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    SESSION_SECRET: TEST_SESSION_SECRET,
    DRAW_SEED_KEY: TEST_DRAW_SEED_KEY,
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    LIVE_CONNECTIONS_PER_ADDRESS: "3",
    LIVE_JOINS_PER_MINUTE: "5",
    LIVE_WHOAMI_PER_MINUTE: "4",
  });
  platform = await startPlatform({ config, database, clock, source: await loadBuild(), log: pino({ level: "silent" }) });
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await platform?.close();
  await closeDatabase?.();
});

describe("ASVS V4.2.2 (cross-site WebSocket hijacking): the handshake's Origin is compared whole", () => {
  it("refuses another scheme or another port of this host, another site and Origin: null; admits the site's own and clients that send none", async () => {
    const own = new URL(platform.url);
    for (const origin of [`https://${own.host}`, `${own.protocol}//${own.hostname}:1`, `${own.protocol}//${own.hostname}`, "https://evil.example", "null"]) {
      expect(await admitted(client({ origin })), origin).toBe(false);
    }
    expect(await admitted(client({ origin: platform.url }))).toBe(true);
    expect(await admitted(client())).toBe(true);
  });

  it("behind a trusted proxy (TRUST_PROXY) the scheme and host are the ones the browser used", async () => {
    const proxied = { "x-forwarded-proto": "https", "x-forwarded-host": "auction.court.example" };
    expect(await admitted(client({ ...proxied, origin: "https://auction.court.example" }))).toBe(true);
    expect(await admitted(client({ ...proxied, origin: "http://auction.court.example" }))).toBe(false);
    expect(await admitted(client({ ...proxied, origin: platform.url }))).toBe(false);
  });
});

describe("ASVS V11.1.4, V13.1.x: bounded sockets and requests", () => {
  it("caps the sockets one client address holds open (LIVE_CONNECTIONS_PER_ADDRESS); other addresses are not affected, and a closed socket frees its place", async () => {
    const from = (address: string) => client({ "x-forwarded-for": address });
    const first = [from("203.0.113.7"), from("203.0.113.7"), from("203.0.113.7")];
    for (const s of first) expect(await admitted(s)).toBe(true);
    expect(await admitted(from("203.0.113.7"))).toBe(false);
    expect(await admitted(from("203.0.113.8"))).toBe(true);
    first[0]!.disconnect();
    // The server counts the close when it sees it.
    const deadline = Date.now() + 5_000;
    let again = false;
    while (!again && Date.now() < deadline) again = await admitted(from("203.0.113.7"));
    expect(again).toBe(true);
  });

  it("rate-limits lot:join per socket (LIVE_JOINS_PER_MINUTE): over the limit the answer is RATE_LIMITED, before any read", async () => {
    const socket = client();
    await connected(socket);
    const lotId = "00000000-0000-4000-8000-000000000009";
    for (let i = 0; i < 5; i++) expect(await socket.emitWithAck("lot:join", { lotId })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await socket.emitWithAck("lot:join", { lotId })).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    // Another socket has its own allowance.
    const other = client();
    await connected(other);
    expect(await other.emitWithAck("lot:join", { lotId })).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("rate-limits session:whoami per socket (LIVE_WHOAMI_PER_MINUTE)", async () => {
    const socket = client();
    await connected(socket);
    for (let i = 0; i < 4; i++) expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: false, code: "RATE_LIMITED" });
  });
});
