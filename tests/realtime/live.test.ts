import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { TestClock } from "../../core/clock.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "../../core/live-events.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const open: Client[] = [];

/** A real Socket.IO client on the /live namespace, over a real websocket. */
function client(headers: Record<string, string> = {}): Client {
  const socket: Client = connect(`${platform.url}/live`, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
  open.push(socket);
  return socket;
}

const connected = (socket: Client) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });

async function signedInCookie(username: string): Promise<{ visitor: Visitor; cookie: string }> {
  const visitor = new Visitor(platform.url);
  expect((await visitor.post("/sign-in", { username, password: DEMO_PASSWORD })).status).toBe(302);
  return { visitor, cookie: visitor.cookieHeader };
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(() => platform?.stop());

describe("live sockets", () => {
  it("lets an anonymous socket watch (server time) but refuses a signed-in-only event", async () => {
    const socket = client();
    await connected(socket);
    const time = await socket.emitWithAck("time:sync");
    expect(time).toEqual({ ok: true, data: { now: clock.now().toISOString() } });
    const whoami = await socket.emitWithAck("session:whoami");
    expect(whoami).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("authenticates a socket from the session cookie of its handshake", async () => {
    const { cookie } = await signedInCookie("bidder1");
    const socket = client({ cookie });
    await connected(socket);
    expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: true, data: { role: "bidder", displayName: "张伟" } });
  });

  it("stops honouring a socket's session once the user signs out", async () => {
    const { visitor, cookie } = await signedInCookie("bidder2");
    const socket = client({ cookie });
    await connected(socket);
    expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: true });
    await visitor.post("/sign-out", {});
    expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("treats a forged session cookie as anonymous", async () => {
    const socket = client({ cookie: "sid=forged-token.forged-mac" });
    await connected(socket);
    expect(await socket.emitWithAck("session:whoami")).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });

  it("refuses a handshake from another site's origin", async () => {
    const { cookie } = await signedInCookie("bidder3");
    const socket = client({ cookie, origin: "https://evil.example" });
    await expect(connected(socket)).rejects.toThrow();
  });

  it("accepts a handshake from the site's own origin", async () => {
    const socket = client({ origin: platform.url });
    await connected(socket);
    expect(socket.connected).toBe(true);
  });
});
