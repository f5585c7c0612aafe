import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { isAppError } from "../../core/errors.ts";
import { attemptCounters, users } from "../../db/schema/index.ts";
import { hashPassword, LOGIN_WINDOW_MS, REGISTER_LIMIT, registerBidder, signIn } from "../../identity/index.ts";
import { makeBidder, residentId } from "../fixtures/auction.ts";
import { startTestPlatform, TEST_SESSION_SECRET, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const PASSWORD = "test-password";
let platform: TestPlatform;
let address = 0;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
});
afterAll(() => platform?.stop());
// Every test starts in a fresh window: the HTTP tests all come from 127.0.0.1.
beforeEach(() => clock.advance(2 * LOGIN_WINDOW_MS));

/** A fresh address for each use-case test, so the per-address limit of one test does not touch another. */
const nextIp = () => `198.51.100.${++address}`;

/** The outcome of a sign-in: "signed_in" or the refusal's code. */
async function attempt(username: string, password: string, ip: string, device?: string): Promise<string> {
  try {
    await signIn(platform.database.db, clock, { username, password, ip, device, secret: TEST_SESSION_SECRET });
    return "signed_in";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

const tally = (outcomes: string[]) => Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));

describe("ASVS V2.2.1: the sign-in limits are counted atomically in PostgreSQL", () => {
  it("ASVS V2.2.1: of 40 parallel wrong passwords on one account, exactly 5 are checked and 35 refused", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => attempt(bidder.username, "wrong-password!", nextIp())));
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 5, RATE_LIMITED: 35 });
    const [row] = await platform.database.db.select().from(attemptCounters).where(eq(attemptCounters.key, `sign-in:user:${bidder.username}`));
    expect(row!.attempts).toBe(40);
  });

  it("ASVS V2.2.1: of 40 parallel wrong passwords from one address on 40 accounts, exactly 20 are checked", async () => {
    const ip = nextIp();
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(`nobody-${address}-${i}`, "wrong-password!", ip)));
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 20, RATE_LIMITED: 20 });
  });

  it("ASVS V2.2.1: 30 wrong passwords and the right one in parallel: at most 5 reach the password, the right one only among them", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const right = attempt(bidder.username, PASSWORD, nextIp());
    const wrong = Array.from({ length: 30 }, () => attempt(bidder.username, "wrong-password!", nextIp()));
    const outcomes = await Promise.all([right, ...wrong]);
    const counts = tally(outcomes);
    expect((counts.INVALID_CREDENTIALS ?? 0) + (counts.signed_in ?? 0)).toBe(5);
    expect(counts.RATE_LIMITED).toBe(26);
  });

  it("ASVS V2.2.1: the right password sent while wrong ones are still being checked, after the limit, does not sign in", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const wrong = Array.from({ length: 30 }, () => attempt(bidder.username, "wrong-password!", nextIp()));
    // Wait until the account's counter has passed the limit, while the wrong ones may still be in argon2.
    const key = `sign-in:user:${bidder.username}`;
    for (let tries = 0; tries < 5000; tries++) {
      const [row] = await platform.database.db.select().from(attemptCounters).where(eq(attemptCounters.key, key));
      if (row && row.attempts >= 5) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await attempt(bidder.username, PASSWORD, nextIp())).toBe("RATE_LIMITED");
    expect(tally(await Promise.all(wrong))).toEqual({ INVALID_CREDENTIALS: 5, RATE_LIMITED: 25 });
  });

  it("ASVS V2.2.1: a right password takes its attempt back, so the counters count failures", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const ip = nextIp();
    for (let i = 0; i < 4; i++) expect(await attempt(bidder.username, "wrong-password!", ip)).toBe("INVALID_CREDENTIALS");
    for (let i = 0; i < 3; i++) expect(await attempt(bidder.username, PASSWORD, ip)).toBe("signed_in");
    expect(await attempt(bidder.username, "wrong-password!", ip)).toBe("INVALID_CREDENTIALS");
    expect(await attempt(bidder.username, PASSWORD, ip)).toBe("RATE_LIMITED");
    clock.advance(LOGIN_WINDOW_MS + 1);
    expect(await attempt(bidder.username, PASSWORD, ip)).toBe("signed_in");
  });

  it("ASVS V2.1.x: an existing account whose password is shorter than the new rule still signs in", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    await platform.database.db.update(users).set({ passwordHash: await hashPassword("short-pw") }).where(eq(users.id, bidder.id));
    expect(await attempt(bidder.username, "short-pw", nextIp())).toBe("signed_in");
  });
});

describe("ASVS V2.2.1: a lockout does not lock out the holder's known devices (ADR 014)", () => {
  /** A browser that has signed in to the account once, and so carries its known-device cookie. */
  async function knownBrowser(username: string) {
    const v = new Visitor(platform.url);
    expect((await v.post("/sign-in", { username, password: PASSWORD })).status).toBe(302);
    expect(v.cookies.get("device")).toBeTruthy();
    expect((await v.post("/sign-out", {})).status).toBe(302);
    return v;
  }

  it("ASVS V2.2.1: a known device signs in with the right password while unknown devices are locked out", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const holder = await knownBrowser(bidder.username);
    const attacker = new Visitor(platform.url);
    const wrong = await Promise.all(Array.from({ length: 12 }, () => attacker.post("/sign-in", { username: bidder.username, password: "wrong-password!" })));
    expect(wrong.filter((r) => r.status === 429)).toHaveLength(7);
    expect((await attacker.post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(429);
    expect((await new Visitor(platform.url).post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(429);
    expect((await holder.post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(302);
  });

  it("ASVS V2.2.1: a known device has its own limit of 5 failures", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const holder = await knownBrowser(bidder.username);
    const wrong = await Promise.all(Array.from({ length: 8 }, () => holder.post("/sign-in", { username: bidder.username, password: "wrong-password!" })));
    expect(wrong.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await holder.post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(429);
  });

  it("ASVS V2.2.1: a device cookie of another account, or a forged one, is an unknown device", async () => {
    const bidder = await makeBidder(platform.database.db, clock);
    const other = await makeBidder(platform.database.db, clock);
    const otherBrowser = await knownBrowser(other.username);
    for (let i = 0; i < 5; i++) await new Visitor(platform.url).post("/sign-in", { username: bidder.username, password: "wrong-password!" });
    expect((await otherBrowser.post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(429);
    const forged = new Visitor(platform.url);
    forged.cookies.set("device", `${"A".repeat(22)}.${"B".repeat(43)}`);
    expect((await forged.post("/sign-in", { username: bidder.username, password: PASSWORD })).status).toBe(429);
  });
});

describe("ASVS V2.2.1 / I1: registration is limited per address, counted atomically", () => {
  it("ASVS V2.2.1: of 15 parallel registrations from one address, 10 are answered and 5 refused", async () => {
    const ip = nextIp();
    const outcomes = await Promise.all(
      Array.from({ length: 15 }, async (_, i) => {
        try {
          const input = { kind: "person" as const, username: `limited-${address}-${i}`, password: "a-long-passphrase", legalName: "限流测试", identityNumber: residentId(), phone: "13900000000" };
          await registerBidder(platform.database.db, clock, { ...input, ip });
          return "registered";
        } catch (error) {
          if (isAppError(error)) return error.code;
          throw error;
        }
      }),
    );
    expect(tally(outcomes)).toEqual({ registered: REGISTER_LIMIT.max, RATE_LIMITED: 15 - REGISTER_LIMIT.max });
  });

  it("ASVS V2.2.1: the register page answers a limited address with 429 and a plain message", async () => {
    const v = new Visitor(platform.url);
    const form = (i: number) => ({ kind: "person", legalName: "限流测试", identityNumber: residentId(), phone: "13900000000", username: `page-limited-${address}-${i}`, password: "a-long-passphrase" });
    clock.advance(REGISTER_LIMIT.windowMs);
    for (let i = 0; i < REGISTER_LIMIT.max; i++) expect((await v.post("/register", form(i))).status).toBe(302);
    const limited = await v.post("/register", form(99));
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain("尝试次数过多");
  });
});
