// Party links (auction/party-links.ts, ADR 016): a party's rights on a case come only from a link the court
// confirmed — a one-time code the party redeems, or a claim the court confirms. An account that merely registered
// with a party's ID number, or with a company's public credit code, gets nothing: not the case, not its reports,
// not objections, negotiation figures or entropy for the draw, on pages or through the API.
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { verifyChain, verifyEventTypes } from "../../core/audit.ts";
import type { Db } from "../../db/client.ts";
import { auditEvents, drawEntropy, negotiationFigures, partyLinkCodes, partyLinks, reportObjections, users } from "../../db/schema/index.ts";
import {
  acceptCommission,
  addEntropy,
  agreeAgencies,
  deliverReport,
  fileObjection,
  openDraw,
  partyCases,
  partyOf,
  startNegotiation,
  startProcedure,
  submitAppraisalReport,
  submitNegotiationFigure,
} from "../../appraisal/index.ts";
import { addParty, claimParty, createAsset, decidePartyClaim, issuePartyLinkCode, LINK_CODE_TTL_MS, PARTY_LINK_LIMIT, redeemPartyLinkCode, revokePartyLink } from "../../auction/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { assetInput, creditCode, makeBidder, makeCourt, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { appraisalReportInput, makePricingCase, makeProcedure } from "../fixtures/appraisal.ts";
import { Visitor } from "../support/http.ts";
import { startTestPlatform, type TestPlatform, testDrawSeedKeys } from "../support/platform.ts";
import { codeOf } from "../support/refusals.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const PASSWORD = "party-links-test-password";
let platform: TestPlatform;
let db: Db;

/**
 * A case in pricing with everything a party can act on: a delivered appraisal report (objections), a negotiation
 * asking for figures, and a draw open for entropy. Its applicant and debtor act through linked accounts; a company
 * applicant and a person debtor more have no account yet.
 */
const world = {
  caseId: "",
  caseNumber: "",
  court: { judge: undefined as unknown as SessionUser, clerk: undefined as unknown as SessionUser },
  reportId: "",
  appraisalId: "",
  negotiationId: "",
  drawId: "",
  /** Parties with no account: a company (its credit code is public) and a person. */
  company: { id: "", name: "北京某某商贸有限公司", identityNumber: creditCode() },
  person: { id: "", name: "钱某某", identityNumber: residentId() },
};

async function signedIn(user: SessionUser): Promise<Visitor> {
  await db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const visitor = new Visitor(platform.url);
  const res = await visitor.post("/sign-in", { username: user.username, password: PASSWORD });
  expect(res.status, `sign-in of ${user.username}`).toBe(302);
  return visitor;
}

async function rows(table: typeof drawEntropy | typeof negotiationFigures | typeof reportObjections): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table);
  return row!.n;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  db = platform.database.db;
  const c = await makePricingCase(db, clock, { category: "commercial", agencies: 4 });
  Object.assign(world, { caseId: c.caseId, court: { judge: c.judge, clerk: c.clerk } });
  const [found] = await platform.database.sql<{ caseNumber: string }[]>`select case_number as "caseNumber" from cases where id = ${c.caseId}`;
  world.caseNumber = found!.caseNumber;
  // A delivered report, open to objections.
  const appraisal = await startProcedure(db, clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, c.clerk, appraisal.id, c.agencies.slice(0, 3).map((a) => a.agency.id));
  await acceptCommission(db, clock, c.agencies[0]!.member, commissionId);
  const report = await submitAppraisalReport(db, clock, c.agencies[0]!.member, commissionId, appraisalReportInput(clock.now()));
  await deliverReport(db, clock, c.clerk, report.id);
  world.reportId = report.id;
  world.appraisalId = appraisal.id;
  // A negotiation asking the parties for their figures.
  const second = await createAsset(db, clock, c.judge, c.caseId, assetInput(clock.now(), "commercial"));
  world.negotiationId = (await startNegotiation(db, clock, c.judge, second.id, { dueAt: new Date(clock.now().getTime() + 5 * DAY), basis: "通知双方当事人议价" })).procedureId;
  // A draw open for the parties' entropy.
  const third = await createAsset(db, clock, c.judge, c.caseId, assetInput(clock.now(), "commercial"));
  const drawProcedure = await makeProcedure(db, clock, c.judge, third.id, "appraisal");
  world.drawId = (await openDraw(db, clock, testDrawSeedKeys, c.clerk, drawProcedure.id, { regionScope: "city", entropyCutoffAt: new Date(clock.now().getTime() + DAY) })).drawId;
  world.company.id = (await addParty(db, clock, c.clerk, c.caseId, { role: "applicant", name: world.company.name, identityNumber: world.company.identityNumber, claimFen: null })).id;
  world.person.id = (await addParty(db, clock, c.clerk, c.caseId, { role: "debtor", name: world.person.name, identityNumber: world.person.identityNumber, claimFen: null })).id;
});
afterAll(() => platform?.stop());

/** Everything a party may do on the world's case, tried by `user` through the use cases; each must be refused. */
async function expectNoPartyRights(user: SessionUser) {
  const before = { entropy: await rows(drawEntropy), figures: await rows(negotiationFigures), objections: await rows(reportObjections) };
  expect(await partyOf(db, user, world.caseId)).toBeNull();
  expect((await partyCases(db, user)).map((c) => c.caseId)).not.toContain(world.caseId);
  expect(await codeOf(addEntropy(db, clock, user, world.drawId, "entropy"))).toBe("NOT_A_PARTY");
  expect(await codeOf(submitNegotiationFigure(db, clock, user, world.negotiationId, { amountFen: "100000000" }))).toBe("NOT_A_PARTY");
  expect(await codeOf(fileObjection(db, clock, user, world.reportId, { kind: "technical", grounds: "参数取值不当" }))).toBe("FORBIDDEN");
  expect({ entropy: await rows(drawEntropy), figures: await rows(negotiationFigures), objections: await rows(reportObjections) }).toEqual(before);
}

/** The same over HTTP: pages and the JSON API answer as to a stranger, and nothing is written. */
async function expectNoPartyPages(user: SessionUser) {
  const visitor = await signedIn(user);
  const before = { entropy: await rows(drawEntropy), figures: await rows(negotiationFigures), objections: await rows(reportObjections) };
  const list = await visitor.get("/my/cases");
  expect(list.status).toBe(200);
  expect(await list.text()).not.toContain(world.caseNumber);
  expect((await visitor.get(`/my/cases/${world.caseId}`)).status).toBe(404);
  expect((await visitor.post(`/my/cases/${world.caseId}`, { intent: "figure", procedureId: world.negotiationId, [`amountFen-${world.negotiationId}`]: "1000000" })).status).toBe(404);
  expect((await visitor.post(`/my/cases/${world.caseId}`, { intent: "object", reportId: world.reportId, kind: "technical", grounds: "参数取值不当" })).status).toBe(404);
  expect([403, 404]).toContain((await visitor.get(`/reports/${world.reportId}/report.pdf`)).status);
  const entropy = await visitor.post(`/draws/${world.drawId}`, { value: "entropy" });
  expect(entropy.status).toBeGreaterThanOrEqual(400);
  expect((await visitor.get(`/api/v1/procedures/${world.appraisalId}`)).status).toBe(403);
  expect({ entropy: await rows(drawEntropy), figures: await rows(negotiationFigures), objections: await rows(reportObjections) }).toEqual(before);
}

describe("ASVS V4.1.3, V4.2.1: a matching identity number alone grants nothing", () => {
  // Accounts registered with the numbers of the two parties that have none: real names verified (the simulated
  // service checks a name against a number; both are known to anyone who has the case's papers).
  const impostors = { person: undefined as unknown as SessionUser, company: undefined as unknown as SessionUser };
  beforeAll(async () => {
    impostors.person = await makeBidder(db, clock, { identityNumber: world.person.identityNumber, name: world.person.name });
    impostors.company = await makeBidder(db, clock, { kind: "company", identityNumber: world.company.identityNumber, name: world.company.name });
  });

  it("V4.2.1: an account registered with a party's resident ID number has no right on the case: no case, no entropy, no figure, no objection", async () => {
    await expectNoPartyRights(impostors.person);
  });

  it("V4.2.1: an account registered with a company party's public credit code has no right on the case either", async () => {
    await expectNoPartyRights(impostors.company);
  });

  it("V4.1.3: neither reaches the case, its report, objections, negotiation or the draw's entropy through the pages, nor the procedure through the JSON API", async () => {
    for (const impostor of [impostors.person, impostors.company]) await expectNoPartyPages(impostor);
  });
});

describe("ASVS V2.3.1: the court's one-time link code", () => {
  it("V2.3.1: a code links the party's own verified account once; used again, by anyone, it is LINK_CODE_INVALID", async () => {
    const party = { id: (await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "孙某", identityNumber: residentId(), claimFen: null })).id };
    const [row] = await platform.database.sql<{ identity_number: string }[]>`select identity_number from case_parties where id = ${party.id}`;
    const account = await makeBidder(db, clock, { identityNumber: row!.identity_number });
    const { code, expiresAt } = await issuePartyLinkCode(db, clock, world.court.clerk, party.id);
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(expiresAt).toEqual(new Date(clock.now().getTime() + LINK_CODE_TTL_MS));
    // Typed in lower case with spaces, it still works.
    await redeemPartyLinkCode(db, clock, account, { code: code.toLowerCase().replaceAll("-", " ") });
    expect(await partyOf(db, account, world.caseId)).toMatchObject({ id: party.id });
    expect(await codeOf(redeemPartyLinkCode(db, clock, account, { code }))).toBe("LINK_CODE_INVALID");
    // Only the hash is stored.
    const stored = await db.select().from(partyLinkCodes).where(eq(partyLinkCodes.partyId, party.id));
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(code.replaceAll("-", ""));
    expect(stored[0]).toMatchObject({ usedBy: account.id });
  });

  it("V2.3.1: a code expires 7 days after it is issued (by the clock): a millisecond before it works, at 7 days it does not", async () => {
    const identityNumber = residentId();
    const party = await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "周某", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { identityNumber });
    const late = await issuePartyLinkCode(db, clock, world.court.judge, party.id);
    const start = clock.now();
    try {
      clock.set(new Date(start.getTime() + LINK_CODE_TTL_MS));
      expect(await codeOf(redeemPartyLinkCode(db, clock, account, { code: late.code }))).toBe("LINK_CODE_INVALID");
      expect(await partyOf(db, account, world.caseId)).toBeNull();
      clock.set(start);
      const timely = await issuePartyLinkCode(db, clock, world.court.judge, party.id);
      clock.set(new Date(start.getTime() + LINK_CODE_TTL_MS - 1));
      await redeemPartyLinkCode(db, clock, account, { code: timely.code });
      expect(await partyOf(db, account, world.caseId)).toMatchObject({ id: party.id });
    } finally {
      clock.set(start);
    }
  });

  it("V2.3.1: issuing a new code voids the party's earlier unused one", async () => {
    const identityNumber = residentId();
    const party = await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "吴某", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { identityNumber });
    const first = await issuePartyLinkCode(db, clock, world.court.clerk, party.id);
    const second = await issuePartyLinkCode(db, clock, world.court.clerk, party.id);
    expect(await codeOf(redeemPartyLinkCode(db, clock, account, { code: first.code }))).toBe("LINK_CODE_INVALID");
    await redeemPartyLinkCode(db, clock, account, { code: second.code });
  });

  it("V4.1.3: only the judge or clerk of the case's court issues a code: a bidder, a party, another court's judge are FORBIDDEN; an unknown party NOT_FOUND", async () => {
    const other = await makeCourt(db, clock);
    const bidder = await makeBidder(db, clock);
    for (const actor of [bidder, other.judge, other.clerk]) expect(await codeOf(issuePartyLinkCode(db, clock, actor, world.person.id))).toBe("FORBIDDEN");
    expect(await codeOf(issuePartyLinkCode(db, clock, world.court.judge, "00000000-0000-4000-8000-0000000000aa"))).toBe("NOT_FOUND");
    const [issued] = await db.select({ n: count() }).from(partyLinkCodes).where(eq(partyLinkCodes.partyId, world.person.id));
    expect(issued!.n).toBe(0);
  });

  it("ADR 016: a code links only the account whose verified identity is the party's (PARTY_IDENTITY_MISMATCH, the code stays usable); an unverified account → REAL_NAME_UNVERIFIED", async () => {
    const identityNumber = residentId();
    const party = await addParty(db, clock, world.court.clerk, world.caseId, { role: "applicant", name: "郑某", identityNumber, claimFen: null });
    const { code } = await issuePartyLinkCode(db, clock, world.court.clerk, party.id);
    const someoneElse = await makeBidder(db, clock);
    expect(await codeOf(redeemPartyLinkCode(db, clock, someoneElse, { code }))).toBe("PARTY_IDENTITY_MISMATCH");
    expect(await partyOf(db, someoneElse, world.caseId)).toBeNull();
    const unverified = await makeBidder(db, clock, { identityNumber, unverified: true });
    expect(await codeOf(redeemPartyLinkCode(db, clock, unverified, { code }))).toBe("REAL_NAME_UNVERIFIED");
    expect(await partyOf(db, unverified, world.caseId)).toBeNull();
  });

  it(`ASVS V2.2.1: redeeming is limited per account (${PARTY_LINK_LIMIT.max} an hour): guessing codes ends in RATE_LIMITED`, async () => {
    const guesser = await makeBidder(db, clock);
    for (let i = 0; i < PARTY_LINK_LIMIT.max; i++) expect(await codeOf(redeemPartyLinkCode(db, clock, guesser, { code: `ABCD-EFGH-JK${String(i).padStart(2, "2")}` }))).toBe("LINK_CODE_INVALID");
    expect(await codeOf(redeemPartyLinkCode(db, clock, guesser, { code: "ABCD-EFGH-JKMN" }))).toBe("RATE_LIMITED");
  });
});

describe("ASVS V4.1.3: claims the court confirms or refuses, and links the court revokes", () => {
  it("V4.1.3: a claim is pending and grants nothing; confirmed by the court it grants the party's rights; revoked, it grants nothing again", async () => {
    const identityNumber = residentId();
    const party = await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "冯某", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { identityNumber });
    expect(await claimParty(db, clock, account, { caseNumber: world.caseNumber })).toEqual({ caseId: world.caseId, claimed: 1 });
    const [link] = await db.select().from(partyLinks).where(and(eq(partyLinks.partyId, party.id), eq(partyLinks.userId, account.id)));
    expect(link).toMatchObject({ status: "pending", source: "claim" });
    await expectNoPartyRights(account);
    // A claim again while one is pending asks nothing new.
    expect(await codeOf(claimParty(db, clock, account, { caseNumber: world.caseNumber }))).toBe("CONFLICT");

    await decidePartyClaim(db, clock, world.court.clerk, link!.id, "confirm");
    expect(await partyOf(db, account, world.caseId)).toMatchObject({ id: party.id, role: "debtor" });
    await addEntropy(db, clock, account, world.drawId, "冯某的随机数");

    await revokePartyLink(db, clock, world.court.judge, link!.id);
    expect(await partyOf(db, account, world.caseId)).toBeNull();
    expect(await codeOf(submitNegotiationFigure(db, clock, account, world.negotiationId, { amountFen: "100000000" }))).toBe("NOT_A_PARTY");
    const actions = (await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, world.caseId))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auction.party_claimed", "auction.party_linked", "auction.party_link_revoked", "auction.party_link_code_issued"]));
  });

  it("V4.1.3: a refused claim grants nothing, and only the case's court decides claims (another court's judge → FORBIDDEN)", async () => {
    const identityNumber = creditCode();
    await addParty(db, clock, world.court.clerk, world.caseId, { role: "applicant", name: "某某资产管理有限公司", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { kind: "company", identityNumber, name: "某某资产管理有限公司" });
    await claimParty(db, clock, account, { caseNumber: world.caseNumber });
    const [link] = await db.select().from(partyLinks).where(eq(partyLinks.userId, account.id));
    const other = await makeCourt(db, clock);
    expect(await codeOf(decidePartyClaim(db, clock, other.judge, link!.id, "confirm"))).toBe("FORBIDDEN");
    expect(await codeOf(decidePartyClaim(db, clock, account, link!.id, "confirm"))).toBe("FORBIDDEN");
    await decidePartyClaim(db, clock, world.court.judge, link!.id, "refuse");
    expect(await codeOf(decidePartyClaim(db, clock, world.court.judge, link!.id, "confirm"))).toBe("CONFLICT");
    await expectNoPartyRights(account);
    const [refused] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auction.party_claim_refused"), eq(auditEvents.entityId, world.caseId)));
    expect(refused).toMatchObject({ actorId: world.court.judge.id });
  });

  it("P5: every link event is written in the audit chain, in the same transaction, and fits its action's schema", async () => {
    expect(await verifyChain(db)).toMatchObject({ ok: true });
    expect(await verifyEventTypes(db)).toMatchObject({ illFormed: [] });
    const actions = (await db.selectDistinct({ action: auditEvents.action }).from(auditEvents)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["auction.party_link_code_issued", "auction.party_linked", "auction.party_claimed", "auction.party_claim_refused", "auction.party_link_revoked"]));
  });

  it("ADR 016: a claim needs a verified real name, and a case where no party has the account's number is NOT_FOUND, as an unknown case is", async () => {
    const unverified = await makeBidder(db, clock, { identityNumber: residentId(), unverified: true });
    expect(await codeOf(claimParty(db, clock, unverified, { caseNumber: world.caseNumber }))).toBe("REAL_NAME_UNVERIFIED");
    const stranger = await makeBidder(db, clock);
    expect(await codeOf(claimParty(db, clock, stranger, { caseNumber: world.caseNumber }))).toBe("NOT_FOUND");
    expect(await codeOf(claimParty(db, clock, stranger, { caseNumber: "（2026）京0105执999999号" }))).toBe("NOT_FOUND");
    const [made] = await db.select({ n: count() }).from(partyLinks).where(eq(partyLinks.userId, stranger.id));
    expect(made!.n).toBe(0);
  });
});

describe("the pages: registering, verifying, linking, and the court's side", () => {
  let serial = 0;
  /** A visitor who registers through /register with `identityNumber` and signs in, as anyone on the internet can. */
  async function selfRegistered(kind: "person" | "company", identityNumber: string, legalName: string): Promise<{ visitor: Visitor; user: SessionUser }> {
    const username = `self-${Date.now() % 100000}-${++serial}`;
    const visitor = new Visitor(platform.url);
    const registered = await visitor.post("/register", { kind, username, password: PASSWORD, legalName, identityNumber, phone: "13912345678" });
    expect(registered.status).toBe(302);
    expect((await visitor.post("/sign-in", { username, password: PASSWORD })).status).toBe(302);
    const [u] = await db.select().from(users).where(eq(users.username, username));
    return { visitor, user: { ...u!, sessionId: "page" } };
  }

  it("ASVS V4.2.1, C2: someone who registers with a party's ID number and passes the (simulated) real-name check on its page still reaches nothing of the case", async () => {
    const identityNumber = residentId();
    await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "蒋某", identityNumber, claimFen: null });
    const { visitor, user } = await selfRegistered("person", identityNumber, "蒋某");
    const form = await (await visitor.get("/account/real-name")).text();
    expect(form).toContain('data-testid="simulated-notice"');
    const verified = await visitor.post("/account/real-name", {});
    expect(verified.status).toBe(302);
    expect(await (await visitor.get("/account/real-name?done=1")).text()).toContain("模拟认证");
    await expectNoPartyRights(user);
    expect((await visitor.get(`/my/cases/${world.caseId}`)).status).toBe(404);
  });

  it("ASVS V2.3.1, V4.1.3: the clerk makes a link code on the case page, shown once; the party redeems it on its page and then follows the case; the court ends the link", async () => {
    const identityNumber = residentId();
    const party = await addParty(db, clock, world.court.clerk, world.caseId, { role: "applicant", name: "沈某", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { identityNumber, name: "沈某" });
    const clerk = await signedIn(world.court.clerk);
    const issued = await clerk.post(`/court/cases/${world.caseId}`, { intent: "link-code", partyId: party.id });
    expect(issued.status).toBe(200);
    const page = await issued.text();
    const code = /data-testid="new-link-code".*?<code class="token">([^<]+)<\/code>/s.exec(page)?.[1];
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    // Shown once: the case page afterwards says a code is out, never the code.
    const later = await (await clerk.get(`/court/cases/${world.caseId}`)).text();
    expect(later).not.toContain(code!);
    expect(later).toContain('data-testid="party-links"');

    const party1 = await signedIn(account);
    expect((await party1.get(`/my/cases/${world.caseId}`)).status).toBe(404);
    const wrong = await party1.post("/account/party-link", { intent: "redeem", code: "ABCD-EFGH-JKMN" });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('href="#code"');
    const redeemed = await party1.post("/account/party-link", { intent: "redeem", code: code! });
    expect(redeemed.status).toBe(302);
    expect(redeemed.headers.get("location")).toBe(`/my/cases/${world.caseId}`);
    expect((await party1.get(`/my/cases/${world.caseId}`)).status).toBe(200);
    expect(await (await party1.get("/account/party-link")).text()).toContain(world.caseNumber);

    const [link] = await db.select().from(partyLinks).where(and(eq(partyLinks.partyId, party.id), eq(partyLinks.userId, account.id)));
    const judge = await signedIn(world.court.judge);
    const revoked = await judge.post(`/court/cases/${world.caseId}`, { intent: "link-revoke", linkId: link!.id });
    expect(revoked.status).toBe(302);
    expect((await party1.get(`/my/cases/${world.caseId}`)).status).toBe(404);
  });

  it("ASVS V4.1.3: a party asks on its page to be linked; the court confirms on the case page; another court's judge cannot", async () => {
    const identityNumber = residentId();
    await addParty(db, clock, world.court.clerk, world.caseId, { role: "debtor", name: "韩某", identityNumber, claimFen: null });
    const account = await makeBidder(db, clock, { identityNumber, name: "韩某" });
    const visitor = await signedIn(account);
    const unknown = await visitor.post("/account/party-link", { intent: "claim", caseNumber: "（2026）京0105执999998号" });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('href="#caseNumber"');
    const claimed = await visitor.post("/account/party-link", { intent: "claim", caseNumber: world.caseNumber });
    expect(claimed.headers.get("location")).toBe("/account/party-link?done=claimed");
    expect((await visitor.get(`/my/cases/${world.caseId}`)).status).toBe(404);
    const [link] = await db.select().from(partyLinks).where(eq(partyLinks.userId, account.id));
    const courtPage = await (await (await signedIn(world.court.clerk)).get(`/court/cases/${world.caseId}`)).text();
    expect(courtPage).toContain('data-status="pending"');
    const other = await makeCourt(db, clock);
    expect((await (await signedIn(other.judge)).post(`/court/cases/${world.caseId}`, { intent: "claim-confirm", linkId: link!.id })).status).toBe(403);
    const confirmed = await (await signedIn(world.court.clerk)).post(`/court/cases/${world.caseId}`, { intent: "claim-confirm", linkId: link!.id });
    expect(confirmed.status).toBe(302);
    expect((await visitor.get(`/my/cases/${world.caseId}`)).status).toBe(200);
  });

  it("C2, C6: a bidder without a verified real name is told on the application page to verify first, with a link back", async () => {
    const account = await makeBidder(db, clock, { unverified: true });
    const visitor = await signedIn(account);
    const lot = await makePublishedLot(db, clock);
    const page = await (await visitor.get(`/lots/${lot.lotId}/apply`)).text();
    expect(page).toContain('data-testid="verify-first"');
    expect(page).toContain(`/account/real-name?next=${encodeURIComponent(`/lots/${lot.lotId}/apply`)}`);
    const refused = await visitor.post(`/lots/${lot.lotId}/apply`, { acceptWarnings: "on", declareNotBarred: "on" });
    expect(refused.status).toBe(403);
  });
});
