// The auction's web pages, driven over HTTP like a browser without JavaScript: court staff set up
// and publish a lot, the public finds it, bidders register, pay the deposit and bid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { bidderProfiles, bids, lots, payments, referencePrices, registrations, users } from "../../db/schema/index.ts";
import { closeLot } from "../../auction/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { creditCode, residentId } from "../fixtures/auction.ts";
import { startTestPlatform, TEST_SESSION_SECRET, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";
import { simulatedGateway } from "../../server/payment-gateway.ts";
import { deliverSimulatedWebhooks } from "../../server/simulated-bank-jobs.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z")); // 10:00 in Beijing
let platform: TestPlatform;

async function signedIn(username: string) {
  const v = new Visitor(platform.url);
  const res = await v.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(res.status).toBe(302);
  return v;
}

/** The page's text with React's comment markers removed, so adjacent text nodes read as one. */
async function page(res: Response) {
  return (await res.text()).replaceAll("<!-- -->", "");
}

const idFrom = (res: Response, pattern: RegExp) => {
  const match = pattern.exec(res.headers.get("location") ?? "");
  expect(match, `location ${res.headers.get("location")}`).not.toBeNull();
  return match![1]!;
};

async function bidCount(lotId: string) {
  const [row] = await platform.database.db.select({ n: count() }).from(bids).where(eq(bids.lotId, lotId));
  return row!.n;
}

/** The payments a bidder has started, on any lot. */
async function paymentCount(username: string) {
  const [row] = await platform.database.db
    .select({ n: count() })
    .from(payments)
    .innerJoin(registrations, eq(registrations.id, payments.registrationId))
    .innerJoin(users, eq(users.id, registrations.userId))
    .where(eq(users.username, username));
  return row!.n;
}

/** The hidden client bid id the server put in the bid form. */
const clientBidIdIn = (html: string) => /name="clientBidId" value="([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
});
afterAll(() => platform?.stop());

// One lot's life, step by step; each test builds on the one before.
const state = {
  caseId: "",
  assetId: "",
  lotId: "",
  lotTitle: "朝阳区建国路88号商铺",
  bidder1Code: "",
  bidder2Code: "",
};
// What the judge types: bidding starts 32 days after the announcement, in Beijing time.
const START_LOCAL = "2026-12-28T10:00";
const START = new Date("2026-12-28T02:00:00Z");
const END_LOCAL = "2026-12-29T10:00";
const holderId = residentId();

function lotForm(overrides: Record<string, string> = {}) {
  return {
    title: state.lotTitle,
    startingPriceFen: "700,000",
    depositFen: "70,000",
    incrementFen: "1,000",
    biddingStartsAt: START_LOCAL,
    biddingEndsAt: END_LOCAL,
    balanceDueDays: "10",
    panelDecision: "（2026）京0105执7001号合议庭决定",
    depositAccount: "北京市朝阳区人民法院网络司法拍卖专用账户，中国工商银行北京朝阳支行，0200000000000000001",
    transferTaxes: "过户产生的税费由买卖双方按照法律规定各自承担。",
    courtContact: "执行局王法官，010-65000000；监督电话 010-65000001",
    partiesNotifiedAt: "2026-11-20T09:00",
    ...overrides,
  };
}

describe("court staff set up and publish a lot through the pages", () => {
  it("a clerk registers a case in their own court, naming its judge in charge; naming none, or another court's judge, is refused on the field and writes nothing", async () => {
    const { db } = platform.database;
    const idOf = async (username: string) => (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
    const clerk = await signedIn("clerk.chaoyang");
    const form = await page(await clerk.get("/court/cases"));
    expect(form).toContain('name="judgeId"');
    expect(form).toContain("王立法");
    expect(form).not.toContain("陈公正"); // another court's judge is not offered
    const caseNumber = "（2026）京0105执7002号";
    for (const judgeId of ["", await idOf("judge.pudong")]) {
      const refused = await clerk.post("/court/cases", { caseNumber, enforcementBasis: "（2025）京0105民初101号民事判决书", judgeId });
      expect(refused.status).toBe(400);
      expect(await page(refused)).toContain('href="#judgeId"');
    }
    expect(await page(await clerk.get("/court/cases"))).not.toContain(caseNumber);
    const created = await clerk.post("/court/cases", { caseNumber, enforcementBasis: "（2025）京0105民初101号民事判决书", judgeId: await idOf("judge.chaoyang") });
    expect(created.status).toBe(302);
    const list = await page(await clerk.get("/court/cases"));
    expect(list).toContain(caseNumber);
  });

  it("a judge registers a case, a party and an asset (half-width brackets in the case number are accepted)", async () => {
    const judge = await signedIn("judge.chaoyang");
    const created = await judge.post("/court/cases", { caseNumber: "(2026)京0105执7001号", enforcementBasis: "（2025）京0105民初100号民事判决书" });
    expect(created.status).toBe(302);
    state.caseId = idFrom(created, /^\/court\/cases\/([0-9a-f-]{36})$/);

    const list = await page(await judge.get("/court/cases"));
    expect(list).toContain("（2026）京0105执7001号");

    const duplicate = await judge.post("/court/cases", { caseNumber: "（2026）京0105执7001号", enforcementBasis: "另一份判决书" });
    expect(duplicate.status).toBe(409);
    expect(await page(duplicate)).toContain('href="#caseNumber"');

    const party = await judge.post(`/court/cases/${state.caseId}`, { intent: "party", role: "applicant", name: "中国某某银行北京分行", identityNumber: creditCode(), claimFen: "2,000,000" });
    expect(party.status).toBe(302);
    const badParty = await judge.post(`/court/cases/${state.caseId}`, { intent: "party", role: "judge", name: "", identityNumber: "1", claimFen: "abc" });
    expect(badParty.status).toBe(400);
    const badPartyPage = await page(badParty);
    for (const field of ["role", "name", "identityNumber", "claimFen"]) expect(badPartyPage).toContain(`href="#${field}"`);

    const asset = await judge.post(`/court/cases/${state.caseId}`, {
      intent: "asset",
      category: "commercial",
      title: state.lotTitle,
      regionCode: "110105",
      description: "建筑面积120平方米，用途为商业。",
      encumbrances: "抵押一项（中国某某银行北京分行）",
      occupancy: "空置",
      lease: "无",
      taxes: "无",
      knownDefects: "外墙局部渗水",
      seizedAt: "2026-11-01",
    });
    expect(asset.status).toBe(302);
    state.assetId = idFrom(asset, /^\/court\/assets\/([0-9a-f-]{36})$/);
    const casePage = await page(await judge.get(`/court/cases/${state.caseId}`));
    expect(casePage).toContain("中国某某银行北京分行");
    expect(casePage).toContain("¥2,000,000.00");
    expect(casePage).toContain(state.lotTitle);
  });

  it("A3: records a negotiated reference price in yuan; the set-up form shows the limits (B3: 70%)", async () => {
    const judge = await signedIn("judge.chaoyang");
    const before = await page(await judge.get(`/court/assets/${state.assetId}`));
    expect(before).not.toContain('data-testid="set-up-lot"');
    const bad = await judge.post(`/court/assets/${state.assetId}`, { method: "negotiation", amountFen: "1e99", documentTitle: "议价笔录", validFrom: "2026-11-20", validUntil: "2026-02-30" });
    expect(bad.status).toBe(400);
    const badPage = await page(bad);
    expect(badPage).toContain('href="#amountFen"');
    expect(badPage).toContain('href="#validUntil"');

    const recorded = await judge.post(`/court/assets/${state.assetId}`, { method: "negotiation", amountFen: "1,000,000", documentTitle: "议价笔录（2026）第3号", validFrom: "2026-11-20", validUntil: "2027-06-30" });
    expect(recorded.status).toBe(302);
    const assetPage = await page(await judge.get(`/court/assets/${state.assetId}`));
    expect(assetPage).toContain("¥1,000,000.00");
    expect(assetPage).toContain('data-testid="set-up-lot"');

    const form = await page(await judge.get(`/court/assets/${state.assetId}/lots/new`));
    expect(form).toContain("¥700,000.00"); // the lowest starting price
    expect(form).toContain("¥35,000.00"); // deposit 5%…
    expect(form).toContain("¥140,000.00"); // …to 20% of it
  });

  it("B3, B5, C1: rule errors are shown on their fields (the announcement lead on the start time) and nothing is written", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    const res = await clerk.post(`/court/assets/${state.assetId}/lots/new`, lotForm({ startingPriceFen: "600,000", depositFen: "200,000", biddingStartsAt: "2026-12-05T10:00", biddingEndsAt: "2026-12-06T10:00" }));
    expect(res.status).toBe(422);
    const html = await page(res);
    expect(html).toContain('data-testid="error-summary"');
    expect(html).toContain('href="#startingPriceFen"');
    expect(html).toContain(zhCN.lot.error.startingBelowFloor);
    expect(html).toContain('href="#depositFen"');
    expect(html).toContain(zhCN.lot.error.depositAboveMax);
    expect(html).toContain('href="#biddingStartsAt"');
    expect(html).toContain(zhCN.lot.error.announcementTooLate);
    // What was typed is kept for correcting.
    expect(html).toContain('value="600,000"');
    const [row] = await platform.database.db.select({ n: count() }).from(lots).where(eq(lots.assetId, state.assetId));
    expect(row!.n).toBe(0);
  });

  it("B3, C1, D2: a malformed field and the rules over the others are reported in one round, in the form's order", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    // The start time typed wrong; the starting price under the floor, the deposit over its maximum, the balance days out of range.
    const res = await clerk.post(`/court/assets/${state.assetId}/lots/new`, lotForm({ startingPriceFen: "600,000", depositFen: "200,000", biddingStartsAt: "", balanceDueDays: "45" }));
    expect(res.status).toBe(400);
    const html = await page(res);
    const summary = html.slice(html.indexOf('data-testid="error-summary"'), html.indexOf("</ul>", html.indexOf('data-testid="error-summary"')));
    const linked = [...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1]);
    expect(linked).toEqual(["startingPriceFen", "depositFen", "biddingStartsAt", "balanceDueDays"]);
    expect(summary).toContain(zhCN.lot.error.startingBelowFloor);
    expect(summary).toContain(zhCN.lot.error.depositAboveMax);
    expect(summary).toContain(zhCN.validation.required);
    expect(summary).toContain(zhCN.lot.error.balanceDueDays);
    const [row] = await platform.database.db.select({ n: count() }).from(lots).where(eq(lots.assetId, state.assetId));
    expect(row!.n).toBe(0);
  });

  it("A23: a reference price's period over a year is refused in words, in the same round as the other fields' errors", async () => {
    const judge = await signedIn("judge.chaoyang");
    const before = await platform.database.db.select({ n: count() }).from(referencePrices).where(eq(referencePrices.assetId, state.assetId));
    const form = { method: "negotiation", amountFen: "", documentTitle: "当事人议价协议", validFrom: "2026-11-26", validUntil: "2027-11-27" };
    const res = await judge.post(`/court/assets/${state.assetId}`, form);
    expect(res.status).toBe(400);
    const html = await page(res);
    const summary = html.slice(html.indexOf('data-testid="error-summary"'), html.indexOf("</ul>", html.indexOf('data-testid="error-summary"')));
    expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(["amountFen", "validUntil"]);
    expect(summary).toContain(zhCN.validation.referenceValidityTooLong);
    // Within a year it is the amount alone; an end before the start is said as such.
    // (The page's own texts travel in its data script: what it shows is read without it.)
    const order = await pageText(await judge.post(`/court/assets/${state.assetId}`, { ...form, amountFen: "500,000", validUntil: "2026-11-20" }));
    expect(order).toContain(zhCN.validation.validUntil);
    expect(order).not.toContain(zhCN.validation.referenceValidityTooLong);
    const after = await platform.database.db.select({ n: count() }).from(referencePrices).where(eq(referencePrices.assetId, state.assetId));
    expect(after).toEqual(before);
  });

  it.each([
    ["letters", "abc"],
    ["a negative amount", "-1"],
    ["an exponent", "1e99"],
    ["a fraction of a fen", "12.345"],
  ])("refuses %s as a starting price with a field error (400)", async (_label, amount) => {
    const clerk = await signedIn("clerk.chaoyang");
    const res = await clerk.post(`/court/assets/${state.assetId}/lots/new`, lotForm({ startingPriceFen: amount }));
    expect(res.status).toBe(400);
    const html = await page(res);
    expect(html).toContain('href="#startingPriceFen"');
    expect(html).toContain(zhCN.validation.amountYuan);
    const [row] = await platform.database.db.select({ n: count() }).from(lots).where(eq(lots.assetId, state.assetId));
    expect(row!.n).toBe(0);
  });

  it("saves the corrected draft, adds a priority holder; a clerk may not publish (B11), the judge does", async () => {
    const clerk = await signedIn("clerk.chaoyang");
    const saved = await clerk.post(`/court/assets/${state.assetId}/lots/new`, lotForm());
    expect(saved.status).toBe(302);
    state.lotId = idFrom(saved, /^\/court\/lots\/([0-9a-f-]{36})$/);

    // A draft is not public.
    expect((await new Visitor(platform.url).get(`/lots/${state.lotId}`)).status).toBe(404);

    // B3, C1: revising the draft, a malformed end time and the rules over the other fields come back in one round.
    const draft = { intent: "draft", startingPriceFen: "600,000", depositFen: "200,000", incrementFen: "1,000", biddingStartsAt: START_LOCAL, biddingEndsAt: "soon", balanceDueDays: "10", partiesNotifiedAt: "2026-11-20T09:00" };
    const revised = await clerk.post(`/court/lots/${state.lotId}`, draft);
    expect(revised.status).toBe(400);
    const revisedHtml = await page(revised);
    const summary = revisedHtml.slice(revisedHtml.indexOf('data-testid="error-summary"'), revisedHtml.indexOf("</ul>", revisedHtml.indexOf('data-testid="error-summary"')));
    expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(["startingPriceFen", "depositFen", "biddingEndsAt"]);
    expect(summary).toContain(zhCN.lot.error.startingBelowFloor);
    expect(summary).toContain(zhCN.lot.error.depositAboveMax);

    const holder = await clerk.post(`/court/lots/${state.lotId}`, { intent: "holder", name: "李承租", identityNumber: holderId, rank: "1", kind: "tenant", basis: "承租人" });
    expect(holder.status).toBe(302);
    const draftPage = await page(await clerk.get(`/court/lots/${state.lotId}`));
    expect(draftPage).toContain("李承租");
    expect(draftPage).not.toContain('data-testid="publish"');
    expect((await clerk.post(`/court/lots/${state.lotId}`, { intent: "publish" })).status).toBe(403);
    expect((await clerk.get(`/court/lots/${state.lotId}/publish`)).status).toBe(403);

    const judge = await signedIn("judge.chaoyang");
    // The second step: the announcement as the public will read it, its amounts in figures and in 大写.
    expect(await page(await judge.get(`/court/lots/${state.lotId}`))).toContain(`href="/court/lots/${state.lotId}/publish"`);
    const preview = await page(await judge.get(`/court/lots/${state.lotId}/publish`));
    expect(preview).toContain('data-testid="announcement-preview"');
    expect(preview).toContain("人民币柒拾万元整");
    expect(preview).toContain('name="intent" value="publish"');
    const published = await judge.post(`/court/lots/${state.lotId}`, { intent: "publish" });
    expect(published.status).toBe(302);
    expect(published.headers.get("location")).toBe(`/court/lots/${state.lotId}?done=published`);
    expect(await page(await judge.get(`/court/lots/${state.lotId}?done=published`))).toContain(zhCN.courtLot.notice.published);
  });

  it("B7: a published announcement is revised with a reason; every version stays listed", async () => {
    const judge = await signedIn("judge.chaoyang");
    const noReason = await judge.post(`/court/lots/${state.lotId}`, { intent: "revise", depositAccount: "新账户", transferTaxes: "买受人承担", courtContact: "010-65000000", reason: "" });
    expect(noReason.status).toBe(400);
    expect(await page(noReason)).toContain('href="#reason"');
    const revised = await judge.post(`/court/lots/${state.lotId}`, {
      intent: "revise",
      depositAccount: "北京市朝阳区人民法院网络司法拍卖专用账户，中国工商银行北京朝阳支行，0200000000000000001",
      transferTaxes: "过户产生的全部税费由买受人承担。",
      courtContact: "执行局王法官，010-65000000；监督电话 010-65000001",
      reason: "更正税费承担方式",
    });
    expect(revised.status).toBe(302);
    const lotPage = await page(await new Visitor(platform.url).get(`/lots/${state.lotId}`));
    expect(lotPage).toContain(zhCN.lot.announcement.history);
    expect(lotPage).toContain("更正税费承担方式");
    expect(lotPage).toContain("过户产生的全部税费由买受人承担。");
  });
});

describe("the public finds the lot", () => {
  it("B1: the public lot list shows it to anyone, by phase, category, place by name and court, and refuses a malformed filter", async () => {
    const visitor = new Visitor(platform.url);
    const home = await page(await visitor.get("/"));
    expect(home).toContain('href="/lots"');
    const all = await page(await visitor.get("/lots"));
    expect(all).toContain(state.lotTitle);
    expect(all).toContain("北京市朝阳区人民法院");
    expect(all).toContain("¥700,000.00");
    expect(await page(await visitor.get(`/lots?phase=announced&category=commercial&province=${encodeURIComponent("北京市")}`))).toContain(state.lotTitle);
    expect(await page(await visitor.get("/lots?phase=sold"))).not.toContain(state.lotTitle);
    expect(await page(await visitor.get(`/lots?province=${encodeURIComponent("上海市")}`))).not.toContain(state.lotTitle);
    const bad = await visitor.get("/lots?category=castle&phase=draft");
    expect(bad.status).toBe(400);
    const badPage = await page(bad);
    expect(badPage).toContain('href="#category"');
    expect(badPage).toContain('href="#phase"');
  });

  it("B8, B9, B12, P16: the lot page shows the disclosures, all six warnings and the priority holder by kind and rank only", async () => {
    const html = await page(await new Visitor(platform.url).get(`/lots/${state.lotId}`));
    expect(html).toContain("（2026）京0105执7001号");
    expect(html).toContain("（2025）京0105民初100号民事判决书");
    expect(html).toContain("议价笔录（2026）第3号");
    expect(html).toContain("外墙局部渗水");
    expect(html).toContain(zhCN.lot.rules.extensionText);
    for (const key of ["capacity", "proxy", "defects", "acceptance", "identityPublished", "depositForfeited"] as const) expect(html).toContain(zhCN.warnings[key]);
    expect(html).toContain(zhCN.priorityHolderKind.tenant);
    expect(html).not.toContain("李承租");
    expect(html).not.toContain(holderId);
    expect(html).toContain(zhCN.lot.time.startsIn);
    // Anonymous visitors are invited to sign in; no bid form.
    expect(html).not.toContain('data-testid="bid-form"');
  });
});

describe("bidders register, pay the deposit and bid through the HTML forms", () => {
  async function register(username: string) {
    const bidder = await signedIn(username);
    const lotPage = await page(await bidder.get(`/lots/${state.lotId}`));
    expect(lotPage).toContain(`href="/lots/${state.lotId}/apply"`);
    const form = await page(await bidder.get(`/lots/${state.lotId}/apply`));
    expect(form).toContain(zhCN.warnings.identityPublished);
    expect(form).toContain("¥70,000.00");
    expect(form).not.toContain('name="housingEligibilityDeclared"'); // a shop, not housing (B14)

    const missing = await bidder.post(`/lots/${state.lotId}/apply`, { acceptWarnings: "on" });
    expect(missing.status).toBe(400);
    expect(await page(missing)).toContain('href="#declareNotBarred"');

    const applied = await bidder.post(`/lots/${state.lotId}/apply`, { acceptWarnings: "on", declareNotBarred: "on" });
    expect(applied.status).toBe(302);
    expect(applied.headers.get("location")).toBe(`/lots/${state.lotId}?applied=1`);
    const toPay = await page(await bidder.get(`/lots/${state.lotId}?applied=1`));
    expect(toPay).toContain(zhCN.deposit.simulatedNotice);
    expect(toPay).toContain(`href="/lots/${state.lotId}/deposit"`);

    // The confirmation step: the amount in figures and in 大写; a post that did not confirm that amount pays nothing.
    const confirm = await page(await bidder.get(`/lots/${state.lotId}/deposit`));
    expect(confirm).toContain("¥70,000.00");
    expect(confirm).toContain("人民币柒万元整");
    for (const unconfirmed of [{}, { amountFen: "700000" }] as Record<string, string>[]) {
      const back = await bidder.post(`/lots/${state.lotId}/deposit`, unconfirmed);
      expect(back.status).toBe(302);
      expect(back.headers.get("location")).toBe(`/lots/${state.lotId}/deposit`);
    }
    expect(await paymentCount(username)).toBe(0);

    // "Confirm" sends the bidder to the simulated bank's checkout; they pay in their own name and the bank tells the platform.
    const toBank = await bidder.post(`/lots/${state.lotId}/deposit`, { amountFen: "7000000" });
    expect(toBank.status).toBe(302);
    const checkout = toBank.headers.get("location")!;
    expect(checkout).toMatch(/^\/simulated-bank\//);
    const [profile] = await platform.database.db.select({ name: bidderProfiles.legalName }).from(bidderProfiles).innerJoin(users, eq(users.id, bidderProfiles.userId)).where(eq(users.username, username));
    const paid = await bidder.post(checkout, { intent: "pay", cardNumber: "4242424242424242", holderName: profile!.name });
    expect(paid.status).toBe(302);
    await deliverSimulatedWebhooks(simulatedGateway(platform.database.db, clock, TEST_SESSION_SECRET), platform.url);
    await expect.poll(async () => (await bidder.get(`/lots/${state.lotId}/deposit`)).headers.get("location")).toBe(`/lots/${state.lotId}?deposit=paid`);
    const withCode = await page(await bidder.get(`/lots/${state.lotId}?deposit=paid`));
    expect(withCode).toContain(zhCN.lot.yours.code);
    const code = /data-testid="your-code">([A-Z0-9-]+)</.exec(withCode)?.[1];
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    return code!;
  }

  it("C2, C4: two bidders apply and pay; each sees their own bidder code", async () => {
    state.bidder1Code = await register("bidder1");
    state.bidder2Code = await register("bidder2");
    expect(state.bidder1Code).not.toBe(state.bidder2Code);
  });

  it("D1: before bidding starts there is no bid form, and a posted bid is refused as not open", async () => {
    const bidder = await signedIn("bidder1");
    const html = await page(await bidder.get(`/lots/${state.lotId}`));
    expect(html).not.toContain('data-testid="bid-form"');
    const res = await bidder.post(`/lots/${state.lotId}/bid`, { amountFen: "700,000", clientBidId: "early-bid-0001" });
    expect(res.status).toBe(409);
    expect(await page(res)).toContain(zhCN.errors.LOT_NOT_OPEN);
    expect(await bidCount(state.lotId)).toBe(0);
  });

  it("D1, D4, D5: a bid from the form is accepted and shown by code; the same form sent again makes no second bid", async () => {
    clock.set(START);
    const bidder = await signedIn("bidder1");
    const html = await page(await bidder.get(`/lots/${state.lotId}`));
    expect(html).toContain('data-testid="bid-form"');
    expect(html).toContain('value="700000"'); // prefilled with the starting price
    const clientBidId = clientBidIdIn(html)!;
    expect(clientBidId).toMatch(/^[0-9a-f-]{36}$/);

    // The form's post is the confirmation step: the amount in figures and in 大写, and nothing written yet.
    const review = await bidder.post(`/lots/${state.lotId}/bid`, { amountFen: "700,000", clientBidId, review: "1" });
    expect(review.status).toBe(200);
    const confirmation = await page(review);
    expect(confirmation).toContain('data-testid="bid-confirmation"');
    expect(confirmation).toContain("¥700,000.00");
    expect(confirmation).toContain("人民币柒拾万元整");
    expect(confirmation).toContain(`value="${clientBidId}"`);
    expect(await bidCount(state.lotId)).toBe(0);

    // Its form posts the same amount and clientBidId without `review`: the bid.
    const form = { amountFen: /name="amountFen" value="([^"]+)"/.exec(confirmation)![1]!, clientBidId };
    const first = await bidder.post(`/lots/${state.lotId}/bid`, form);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`/lots/${state.lotId}?bid=accepted`);
    const again = await bidder.post(`/lots/${state.lotId}/bid`, form);
    expect(again.status).toBe(302);
    expect(await bidCount(state.lotId)).toBe(1);

    const after = await page(await new Visitor(platform.url).get(`/lots/${state.lotId}`));
    expect(after).toContain(`data-bidder-code="${state.bidder1Code}"`);
    expect(after).toContain("¥700,000.00");
    // P4: the public sees codes, never names.
    expect(after).not.toContain("张伟");
  });

  it("D1: a bid below the current price plus one increment shows BID_TOO_LOW on the amount field", async () => {
    const bidder = await signedIn("bidder2");
    const html = await page(await bidder.get(`/lots/${state.lotId}`));
    expect(html).toContain('value="701000"'); // current + increment
    const res = await bidder.post(`/lots/${state.lotId}/bid`, { amountFen: "700,500", clientBidId: clientBidIdIn(html)! });
    expect(res.status).toBe(422);
    const refused = await page(res);
    expect(refused).toContain(zhCN.errors.BID_TOO_LOW);
    expect(refused).toContain('href="#amountFen"');
    // A fresh form comes back to try again.
    expect(refused).toContain('data-testid="bid-form"');
    expect(await bidCount(state.lotId)).toBe(1);
  });

  it.each([
    ["letters", "abc", "amountYuan"],
    ["a negative amount", "-1", "amountYuan"],
    ["an exponent", "1e99", "amountYuan"],
    ["a fraction of a fen", "12.345", "amountYuan"],
    ["zero", "0", "amount"],
    ["an amount too large for the platform", "99999999999999999", "amount"],
  ] as const)("refuses %s as a bid with a field error (400) and writes nothing", async (_label, amount, message) => {
    const bidder = await signedIn("bidder2");
    const res = await bidder.post(`/lots/${state.lotId}/bid`, { amountFen: amount, clientBidId: `bad-amount-${Date.now()}` });
    expect(res.status).toBe(400);
    const html = await page(res);
    expect(html).toContain('href="#amountFen"');
    expect(html).toContain(zhCN.validation[message]);
    expect(await bidCount(state.lotId)).toBe(1);
  });

  it("D1, D6: the second bidder outbids; bidders see their own registrations and bids", async () => {
    const bidder = await signedIn("bidder2");
    const html = await page(await bidder.get(`/lots/${state.lotId}`));
    const res = await bidder.post(`/lots/${state.lotId}/bid`, { amountFen: "701,000", clientBidId: clientBidIdIn(html)! });
    expect(res.status).toBe(302);
    expect(await bidCount(state.lotId)).toBe(2);

    const mine = await page(await bidder.get("/my/registrations"));
    expect(mine).toContain(state.lotTitle);
    expect(mine).toContain(state.bidder2Code);
    const myBids = await page(await bidder.get("/my/bids"));
    expect(myBids).toContain("¥701,000.00");
    expect(myBids).not.toContain(state.bidder1Code);
  });

  it("P4: the judge's monitor shows the price and the history by code, and no bidder's identity", async () => {
    const judge = await signedIn("judge.chaoyang");
    const html = await page(await judge.get(`/court/lots/${state.lotId}`));
    expect(html).toContain('data-testid="monitor"');
    expect(html).toContain("¥701,000.00");
    expect(html).toContain(`data-bidder-code="${state.bidder1Code}"`);
    expect(html).toContain(`data-bidder-code="${state.bidder2Code}"`);
    for (const name of ["张伟", "刘芳"]) expect(html).not.toContain(name);
    const [row] = await platform.database.db.select({ n: count() }).from(registrations).where(eq(registrations.lotId, state.lotId));
    expect(row!.n).toBe(2); // both registered, yet neither shows
  });

  it("E5, I3: after the close the buyer is published with a masked identity and a link to the confirmation", async () => {
    const [lot] = await platform.database.db.select({ closesAt: lots.closesAt }).from(lots).where(eq(lots.id, state.lotId));
    clock.set(lot!.closesAt);
    expect(await closeLot(platform.database.db, clock, platform.publisher, state.lotId)).toMatchObject({ kind: "closed", outcome: "sold" });
    const html = await page(await new Visitor(platform.url).get(`/lots/${state.lotId}`));
    expect(html).toContain('data-testid="result"');
    expect(html).toContain("刘芳");
    expect(html).toContain("310*******");
    expect(html).toContain(state.bidder2Code);
    expect(html).toContain(`href="/lots/${state.lotId}/confirmation.pdf"`);
    // The losing bidder stays anonymous.
    expect(html).not.toContain("张伟");
    expect(await page(await new Visitor(platform.url).get("/lots?phase=sold"))).toContain(state.lotTitle);
    // Registration is over.
    const late = await signedIn("bidder3");
    const res = await late.post(`/lots/${state.lotId}/apply`, { acceptWarnings: "on", declareNotBarred: "on" });
    expect(res.status).toBe(409);
    expect(await page(res)).toContain(zhCN.errors.LOT_CLOSED);
  });
});

describe("who may do what", () => {
  it("a bidder gets the 403 page for the court's pages; anonymous visitors are sent to sign in", async () => {
    const bidder = await signedIn("bidder4");
    for (const path of ["/court/cases", `/court/cases/${state.caseId}`, `/court/assets/${state.assetId}`, `/court/lots/${state.lotId}`]) {
      const res = await bidder.get(path);
      expect(res.status, path).toBe(403);
      expect(await page(res)).toContain('data-status="403"');
    }
    const anonymous = await new Visitor(platform.url).get("/court/cases");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?next=/);
  });

  it("staff of another court cannot open this court's case", async () => {
    const other = await signedIn("judge.pudong");
    expect((await other.get(`/court/cases/${state.caseId}`)).status).toBe(403);
    expect(await page(await other.get("/court/cases"))).not.toContain("（2026）京0105执7001号");
  });

  it("an anonymous bid is sent to sign in and writes nothing; GET on the bid address goes to the lot", async () => {
    const before = await bidCount(state.lotId);
    const res = await new Visitor(platform.url).post(`/lots/${state.lotId}/bid`, { amountFen: "800,000", clientBidId: "anonymous-0001" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/sign-in\?next=/);
    expect(await bidCount(state.lotId)).toBe(before);
    const get = await new Visitor(platform.url).get(`/lots/${state.lotId}/bid`);
    expect(get.status).toBe(302);
    expect(get.headers.get("location")).toBe(`/lots/${state.lotId}`);
  });

  it("a judge may not bid, and unknown or malformed lot ids are not found", async () => {
    const judge = await signedIn("judge.chaoyang");
    expect((await judge.post(`/lots/${state.lotId}/bid`, { amountFen: "800,000", clientBidId: "judge-bid-0001" })).status).toBe(403);
    const visitor = new Visitor(platform.url);
    expect((await visitor.get("/lots/not-a-uuid")).status).toBe(404);
    expect((await visitor.get("/lots/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("the English interface shows the same lot in English", async () => {
    const v = new Visitor(platform.url);
    v.cookies.set("lang", "en");
    const html = await page(await v.get(`/lots/${state.lotId}`));
    expect(html).toContain('lang="en"');
    expect(html).toContain("Bid history");
    expect(html).toContain("¥701,000.00");
  });
});
