import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connectSocket, type Socket } from "socket.io-client";
import { systemClock } from "../../core/clock.ts";
import { listPublicLots } from "../../auction/index.ts";
import type { AckResult, ClientToServerEvents, ServerToClientEvents } from "../../core/live-events.ts";
import { seedDemoData } from "../../server/demo-seed.ts";
import { seedDemoLots } from "../../server/demo-lots.ts";
import { startTestPlatform, TEST_SESSION_SECRET, type TestPlatform } from "../support/platform.ts";

// A fast first load (ADR 025): pages, data and scripts travel compressed; hashed build assets are kept by browsers for
// good; what must not be transformed (parts of files, PDFs, Socket.IO) still arrives as it was.

let platform: TestPlatform;
let lotPath: string;
let soldLotId: string;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent, before any decoding. */
  body: Buffer;
}

/** A request whose answer is read as it came over the wire (fetch would decode it). */
function raw(path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, platform.url), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function decoded(answer: RawAnswer): Buffer {
  const encoding = answer.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(answer.body);
  if (encoding === "gzip") return gunzipSync(answer.body);
  return answer.body;
}

/** The page's entry script, as the page names it. */
async function entryScript(): Promise<string> {
  const page = decoded(await raw(lotPath, { "accept-encoding": "gzip" })).toString("utf8");
  const src = /\/assets\/entry\.client-[\w-]+\.js/.exec(page)?.[0];
  expect(src, "the page names its entry script").toBeDefined();
  return src!;
}

beforeAll(async () => {
  platform = await startTestPlatform(systemClock);
  await seedDemoData(platform.database.db, systemClock);
  await seedDemoLots(platform.database.db, TEST_SESSION_SECRET);
  const lots = await listPublicLots(platform.database.db, systemClock);
  lotPath = `/lots/${lots.find((l) => l.phase === "bidding")!.id}`;
  soldLotId = lots.find((l) => l.phase === "sold")!.id;
});
afterAll(() => platform?.stop());

describe("compressed answers", () => {
  it("sends the lot page compressed with brotli, or gzip, as the browser accepts, and not cached for good", async () => {
    const plain = await raw(lotPath);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    for (const [accepts, encoding] of [
      ["gzip, deflate, br, zstd", "br"],
      ["gzip, deflate", "gzip"],
    ] as const) {
      const page = await raw(lotPath, { "accept-encoding": accepts });
      expect(page.status).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.headers["content-encoding"]).toBe(encoding);
      expect(page.headers["vary"]).toMatch(/Accept-Encoding/i);
      expect(page.body.length).toBeLessThan(plain.body.length / 2);
      expect(decoded(page).toString("utf8")).toContain("<!DOCTYPE html>");
      expect(String(page.headers["cache-control"] ?? "")).not.toMatch(/immutable|max-age=[1-9]/);
    }
  });

  it("sends hashed scripts compressed, with the same bytes once decoded, and lets browsers keep them for a year without asking", async () => {
    const src = await entryScript();
    const plain = await raw(src);
    expect(plain.status).toBe(200);
    for (const encoding of ["br", "gzip"]) {
      const script = await raw(src, { "accept-encoding": encoding });
      expect(script.status).toBe(200);
      expect(script.headers["content-encoding"]).toBe(encoding);
      expect(script.headers["content-type"]).toMatch(/javascript/);
      expect(script.headers["vary"]).toMatch(/Accept-Encoding/i);
      expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(script.body.length).toBeLessThan(plain.body.length / 3);
      expect(decoded(script).equals(plain.body)).toBe(true);
    }
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("answers a range request with the file's own bytes, uncompressed (206)", async () => {
    const src = await entryScript();
    const whole = (await raw(src)).body;
    const part = await raw(src, { "accept-encoding": "gzip, deflate, br", range: "bytes=1000-9999" });
    expect(part.status).toBe(206);
    expect(part.headers["content-encoding"]).toBeUndefined();
    expect(part.headers["content-range"]).toBe(`bytes 1000-9999/${whole.length}`);
    expect(part.body.equals(whole.subarray(1000, 10_000))).toBe(true);
  });

  it("sends a PDF as it is: already compressed", async () => {
    const pdf = await raw(`/lots/${soldLotId}/confirmation.pdf`, { "accept-encoding": "gzip, deflate, br" });
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-encoding"]).toBeUndefined();
    expect(pdf.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("leaves Socket.IO working, over long polling and over WebSocket", async () => {
    for (const transport of ["polling", "websocket"] as const) {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(`${platform.url}/live`, { transports: [transport], extraHeaders: { "accept-encoding": "gzip, deflate, br" } });
      try {
        const answer = await new Promise<AckResult<{ now: string }>>((resolve, reject) => {
          socket.on("connect_error", reject);
          socket.timeout(5_000).emit("time:sync", (err, res) => (err ? reject(err) : resolve(res)));
        });
        expect(answer, transport).toMatchObject({ ok: true });
      } finally {
        socket.disconnect();
      }
    }
  });
});
