// Where signing in lands each role, who the menu offers "my cases" to, and what a lot page says once it is sold:
// over real HTTP against the real server and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { users } from "../../db/schema/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { makeBidder, makeCourt, makePublishedLot, makeSoldLot } from "../fixtures/auction.ts";
import { makeAdmin, makeAgency, makeAppraisalCase, makePartyAccount, makePlatform } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, signedInVisitor, Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const PASSWORD = "test-password";

const accounts = {} as Record<"judge" | "clerk" | "agency" | "platform" | "admin" | "bidder" | "party", SessionUser>;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const { judge, clerk } = await makeCourt(db, clock);
  const theCase = await makeAppraisalCase(db, clock);
  Object.assign(accounts, {
    judge,
    clerk,
    agency: (await makeAgency(db, clock)).member,
    platform: (await makePlatform(db, clock)).member,
    admin: await makeAdmin(db, clock),
    bidder: await makeBidder(db, clock),
    // A bidder account the court has linked to the applicant of a case.
    party: await makePartyAccount(db, theCase.caseId, "applicant", { now: clock.now() }),
  });
  await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(inArray(users.id, Object.values(accounts).map((u) => u.id)));
});
afterAll(() => platform?.stop());

async function signIn(account: SessionUser, next?: string): Promise<{ location: string | null; visitor: Visitor }> {
  const visitor = new Visitor(platform.url);
  const res = await visitor.post("/sign-in", { username: account.username, password: PASSWORD, ...(next === undefined ? {} : { next }) });
  expect(res.status, `sign-in of ${account.username}`).toBe(302);
  return { location: res.headers.get("location"), visitor };
}

describe("signing in lands each role on its own home", () => {
  const HOMES = { judge: "/court/cases", clerk: "/court/cases", agency: "/agency", platform: "/platform", admin: "/admin/users", bidder: "/", party: "/" } as const;

  it("with no page asked for: court staff on their cases, an agency and an inquiry platform on their portals, the admin on the accounts, a bidder on the home page", async () => {
    for (const [role, home] of Object.entries(HOMES)) {
      const { location, visitor } = await signIn(accounts[role as keyof typeof HOMES]);
      expect(location, role).toBe(home);
      // The home is a page the role may open, and a signed-in visit to the sign-in page goes there too.
      expect((await visitor.get(home)).status, `${role} opens ${home}`).toBe(200);
      expect((await visitor.get("/sign-in")).headers.get("location"), role).toBe(home);
    }
  });

  it("a bidder sent to sign in goes on to where they were going", async () => {
    const { location } = await signIn(accounts.bidder, "/lots?q=%E8%BD%BF%E8%BD%A6&sort=price");
    expect(location).toBe("/lots?q=%E8%BD%BF%E8%BD%A6&sort=price");
    const judge = await signIn(accounts.judge, "/court/deadlines");
    expect(judge.location).toBe("/court/deadlines");
  });

  it("ASVS V5.1.5: an address that leads off the site is not followed; the role's home is", async () => {
    for (const next of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", ""]) {
      expect((await signIn(accounts.judge, next)).location, JSON.stringify(next)).toBe("/court/cases");
    }
  });
});

describe('the menu offers "my cases" only to parties of a case', () => {
  const myCasesLink = /<a[^>]+href="\/my\/cases"/;

  it("an account the court linked to a case party has the entry; a bidder with no case has not, nor has court staff", async () => {
    const party = await signedInVisitor(platform.url, accounts.party.username, PASSWORD);
    expect(await pageText(await party.get("/lots"))).toMatch(myCasesLink);
    const bidder = await signedInVisitor(platform.url, accounts.bidder.username, PASSWORD);
    expect(await pageText(await bidder.get("/lots"))).not.toMatch(myCasesLink);
    const judge = await signedInVisitor(platform.url, accounts.judge.username, PASSWORD);
    expect(await pageText(await judge.get("/lots"))).not.toMatch(myCasesLink);
  });

  it("an account that only shares a party's identity number, with no link the court confirmed, has no entry", async () => {
    const db = platform.database.db;
    const { caseId } = await makeAppraisalCase(db, clock);
    const unlinked = await makePartyAccount(db, caseId, "debtor", { now: clock.now(), linked: false });
    await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(inArray(users.id, [unlinked.id]));
    const visitor = await signedInVisitor(platform.url, unlinked.username, PASSWORD);
    expect(await pageText(await visitor.get("/lots"))).not.toMatch(myCasesLink);
  });
});

describe("B9: the special warnings before bidding", () => {
  it("an announced lot shows them; a sold lot no longer does", async () => {
    const db = platform.database.db;
    const announced = await makePublishedLot(db, clock);
    expect(await pageText(await new Visitor(platform.url).get(`/lots/${announced.lotId}`))).toContain('data-testid="special-warnings"');
    const { lot } = await makeSoldLot(db, clock);
    const sold = await pageText(await new Visitor(platform.url).get(`/lots/${lot.lotId}`));
    expect(sold).toContain('data-testid="result"');
    expect(sold).not.toContain('data-testid="special-warnings"');
  });
});
