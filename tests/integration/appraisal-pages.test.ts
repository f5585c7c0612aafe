// The appraisal pages of court staff, the parties and the public, driven over HTTP like a browser without
// JavaScript: a judge starts an appraisal, opens the verifiable draw, the parties add entropy, the draw runs
// and anyone can check it; the report is delivered, objected to, explained and decided; the price is fixed
// and a lot can be set up from it. Also negotiation, directed and online inquiry, suspension and withdrawal,
// the deadlines page, the report download's permissions, and each page's refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import type { Db } from "../../db/client.ts";
import {
  agencyDraws,
  assets,
  commissions,
  drawEntropy,
  inquiryRequests,
  negotiationFigures,
  priceProcedures,
  referencePrices,
  reportObjections,
  users,
  valuationReports,
} from "../../db/schema/index.ts";
import { acceptCommission, answerObjection, drawSeed, publicDraw, submitAppraisalReport, submitInquiryReport } from "../../appraisal/index.ts";
import { addParty, createAsset, createCase, issuePartyLinkCode, redeemPartyLinkCode } from "../../auction/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { recomputeDraw } from "../../app/lib/recompute-draw.ts";
import { DEMO_PARTIES, DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { assetInput } from "../fixtures/auction.ts";
import { appraisalReportInput, PDF_BYTES } from "../fixtures/appraisal.ts";
import { startTestPlatform, testDrawSeedKeys, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const DAY = 24 * 60 * 60 * 1000;
const START = new Date("2026-11-26T02:00:00Z"); // 10:00 in Beijing
const clock = new TestClock(START);
let platform: TestPlatform;
let db: Db;

async function signedIn(username: string) {
  const v = new Visitor(platform.url);
  const res = await v.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(res.status, `sign-in ${username}`).toBe(302);
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

async function account(username: string): Promise<SessionUser> {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  return { id: u!.id, username, displayName: u!.displayName, role: u!.role, courtId: u!.courtId, agencyId: u!.agencyId, platformId: u!.platformId, sessionId: "test" };
}

async function procedureCount(assetId: string) {
  const [row] = await db.select({ n: count() }).from(priceProcedures).where(eq(priceProcedures.assetId, assetId));
  return row!.n;
}

/** A residential asset of the case, seized `seizedDaysAgo` days before now. */
async function newAsset(title: string, seizedDaysAgo = 6) {
  const judge = await account("judge.chaoyang");
  const asset = await createAsset(db, clock, judge, state.caseId, { ...assetInput(clock.now(), "residential"), title, seizedAt: new Date(clock.now().getTime() - seizedDaysAgo * DAY) });
  return asset.id;
}

const state = { caseId: "", assetId: "", procedureId: "", drawId: "", commissionId: "", reportId: "", objectionId: "", firstAgency: "", secondAgency: "" };

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  db = platform.database.db;
  await seedDemoData(db, clock);
  // A case of the Chaoyang court whose applicant and debtor sign in as party1 and party2.
  const judge = await account("judge.chaoyang");
  const theCase = await createCase(db, clock, judge, { caseNumber: "（2026）京0105执8801号", enforcementBasis: "（2025）京0105民初8801号民事判决书" });
  state.caseId = theCase.id;
  // The court links each party's account through a one-time code, which the party redeems (ADR 016).
  for (const p of DEMO_PARTIES) {
    const party = await addParty(db, clock, judge, theCase.id, { role: p.role, name: p.name, identityNumber: p.identityNumber, claimFen: null });
    const { code } = await issuePartyLinkCode(db, clock, judge, party.id);
    await redeemPartyLinkCode(db, clock, await account(p.username), { code });
  }
  state.assetId = await newAsset("朝阳区望京西园某号住宅");
});
afterAll(() => platform?.stop());

describe("court staff start a procedure from the asset page", () => {
  it("shows the procedures section with the A1 start deadline and one form per method", async () => {
    const judge = await signedIn("judge.chaoyang");
    const html = await page(await judge.get(`/court/assets/${state.assetId}`));
    expect(html).toContain(zhCN.appraisal.asset.title);
    expect(html).toContain(zhCN.appraisal.asset.none);
    expect(html).toContain('data-testid="start-due"');
    for (const form of ["start-negotiation", "start-directed", "start-online", "start-appraisal"]) expect(html).toContain(`data-testid="${form}"`);
    // Negotiation and the inquiries are the judge's to start (A3–A5); a clerk may start an appraisal.
    const clerk = await signedIn("clerk.chaoyang");
    const clerkPage = await page(await clerk.get(`/court/assets/${state.assetId}`));
    expect(clerkPage).toContain('data-testid="start-appraisal"');
    expect(clerkPage).not.toContain('data-testid="start-negotiation"');
    expect((await clerk.post(`/court/assets/${state.assetId}`, { intent: "negotiation", n_dueAt: "2026-12-10T18:00", n_basis: "议价" })).status).toBe(403);
    expect(await procedureCount(state.assetId)).toBe(0);
  });

  it("A11: a bad start form gets its field errors on its own fields and writes nothing", async () => {
    const judge = await signedIn("judge.chaoyang");
    const bad = await judge.post(`/court/assets/${state.assetId}`, { intent: "appraisal", a_basisKind: "whim", a_basis: "" });
    expect(bad.status).toBe(400);
    const html = await page(bad);
    expect(html).toContain('href="#a_basisKind"');
    expect(html).toContain('href="#a_basis"');
    const noDeadline = await judge.post(`/court/assets/${state.assetId}`, { intent: "negotiation", n_dueAt: "2026-02-30T10:00", n_basis: "双方同意议价" });
    expect(noDeadline.status).toBe(400);
    expect(await page(noDeadline)).toContain('href="#n_dueAt"');
    expect(await procedureCount(state.assetId)).toBe(0);
  });

  it("A11: the judge starts an appraisal because both parties ask; the procedure page shows its status and deadlines", async () => {
    const judge = await signedIn("judge.chaoyang");
    const started = await judge.post(`/court/assets/${state.assetId}`, { intent: "appraisal", a_basisKind: "both_parties_ask", a_basis: "双方当事人书面申请委托评估。" });
    expect(started.status).toBe(302);
    state.procedureId = idFrom(started, /^\/court\/procedures\/([0-9a-f-]{36})\?done=started$/);
    const html = await page(await judge.get(`/court/procedures/${state.procedureId}?done=started`));
    expect(html).toContain(zhCN.appraisal.notice.started);
    expect(html).toContain('data-status="open"');
    expect(html).toContain(zhCN.appraisal.basisKind.both_parties_ask);
    // A1: the start deadline is listed with its rule, met.
    expect(html).toMatch(/data-state="done" data-rule="A1"/);
    expect(html).toContain('data-testid="open-draw"');
    expect(html).toContain('data-testid="agree-agencies"');
    // Only one procedure runs per asset: the asset page says so instead of offering the forms.
    const assetPage = await page(await judge.get(`/court/assets/${state.assetId}`));
    expect(assetPage).toContain(zhCN.appraisal.asset.running);
    expect(assetPage).toContain(`/court/procedures/${state.procedureId}`);
    const again = await judge.post(`/court/assets/${state.assetId}`, { intent: "appraisal", a_basisKind: "law_requires", a_basis: "再次启动" });
    expect(again.status).toBe(409);
    expect(await page(again)).toContain(zhCN.errors.PROCEDURE_RUNNING);
    expect(await procedureCount(state.assetId)).toBe(1);
    // Nor can a price be recorded around the running procedure.
    expect(assetPage).not.toContain('name="amountFen"');
    const around = await judge.post(`/court/assets/${state.assetId}`, { method: "negotiation", amountFen: "1,000,000", documentTitle: "议价笔录", validFrom: "2026-11-20", validUntil: "2027-06-30" });
    expect(around.status).toBe(409);
    expect(await page(around)).toContain(zhCN.errors.PROCEDURE_RUNNING);
    const [prices] = await db.select({ n: count() }).from(referencePrices).where(eq(referencePrices.assetId, state.assetId));
    expect(prices!.n).toBe(0);
  });

  it("the procedure page is for its own court's staff: a bidder and another court's judge get 403, visitors sign in, unknown ids 404", async () => {
    const path = `/court/procedures/${state.procedureId}`;
    expect((await (await signedIn("bidder1")).get(path)).status).toBe(403);
    expect((await (await signedIn("party1")).get(path)).status).toBe(403);
    expect((await (await signedIn("judge.pudong")).get(path)).status).toBe(403);
    const anonymous = await new Visitor(platform.url).get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?next=/);
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.get(path)).status).toBe(200);
    expect((await clerk.get("/court/procedures/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await clerk.get("/court/procedures/not-an-id")).status).toBe(404);
    // Another court's judge cannot act on it either.
    const other = await signedIn("judge.pudong");
    expect((await other.post(path, { intent: "open-draw", regionScope: "city", entropyCutoffAt: "2026-11-27T10:00" })).status).toBe(403);
  });
});

describe("P6: the verifiable draw, from opening to the public check", () => {
  it("A13: the agreement form needs three agencies; the draw needs a cut-off in the future; nothing is written on refusal", async () => {
    const judge = await signedIn("judge.chaoyang");
    const path = `/court/procedures/${state.procedureId}`;
    const agree = await judge.post(path, { intent: "agree", rank1: "", rank2: "", rank3: "" });
    expect(agree.status).toBe(400);
    expect(await page(agree)).toContain('href="#rank1"');
    const past = await judge.post(path, { intent: "open-draw", regionScope: "city", entropyCutoffAt: "2026-11-25T10:00" });
    expect(past.status).toBe(400);
    expect(await page(past)).toContain('href="#entropyCutoffAt"');
    const noScope = await judge.post(path, { intent: "open-draw", regionScope: "planet", entropyCutoffAt: "2026-11-27T10:00" });
    expect(noScope.status).toBe(400);
    expect(await page(noScope)).toContain('href="#regionScope"');
    const [row] = await db.select({ n: count() }).from(agencyDraws).where(eq(agencyDraws.procedureId, state.procedureId));
    expect(row!.n).toBe(0);
  });

  it("A13: the judge opens the draw on the city sub-list; the page links to the public ceremony", async () => {
    const judge = await signedIn("judge.chaoyang");
    const opened = await judge.post(`/court/procedures/${state.procedureId}`, { intent: "open-draw", regionScope: "city", entropyCutoffAt: "2026-11-27T10:00" });
    expect(opened.status).toBe(302);
    const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.procedureId, state.procedureId));
    state.drawId = draw!.id;
    expect(draw!.entropyCutoffAt.toISOString()).toBe("2026-11-27T02:00:00.000Z");
    const html = await page(await judge.get(`/court/procedures/${state.procedureId}?done=drawOpened`));
    expect(html).toContain(`href="/draws/${state.drawId}"`);
    expect(html).toContain(zhCN.appraisal.draw.waiting);
    expect(html).not.toContain('data-testid="run-draw"');
  });

  it("P6: before the draw, anyone sees the numbered list with credit codes, its SHA-256 and the seed's commitment — never the seed", async () => {
    const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, state.drawId));
    const res = await new Visitor(platform.url).get(`/draws/${state.drawId}`);
    expect(res.status).toBe(200);
    const html = await page(res);
    const eligible = draw!.eligible as { agencyId: string; creditCode: string; name: string }[];
    // Beijing's real-estate city sub-list holds four demo agencies.
    expect(eligible).toHaveLength(4);
    for (const a of eligible) {
      expect(html).toContain(a.creditCode);
      expect(html).toContain(a.name);
    }
    expect(html).toContain(draw!.eligibleSha256);
    expect(html).toContain(draw!.seedSha256);
    // The seed is in neither the record nor the page until the draw (it is derived under the server's key).
    expect(draw!.seed).toBeNull();
    expect(html).not.toContain(drawSeed(testDrawSeedKeys.current, state.drawId));
    expect(html).toContain(zhCN.draw.seedSecret);
    expect(html).toContain("（2026）京0105执8801号");
    expect(html).toContain("2026-11-27T02:00:00.000Z"); // the cut-off, machine-readable
    expect(html).not.toContain('data-testid="entropy-form"');
    expect(html).not.toContain('data-testid="verification"');
    // A bidder who is no party sees no form either.
    expect(await page(await (await signedIn("bidder1")).get(`/draws/${state.drawId}`))).not.toContain('data-testid="entropy-form"');
  });

  it("P6: a party adds entropy once; an empty value gets a field error; a non-party is refused; nothing else is written", async () => {
    const debtor = await signedIn("party2");
    const path = `/draws/${state.drawId}`;
    expect(await page(await debtor.get(path))).toContain('data-testid="entropy-form"');
    const empty = await debtor.post(path, { value: "   " });
    expect(empty.status).toBe(400);
    expect(await page(empty)).toContain('href="#value"');
    const stranger = await signedIn("bidder1");
    const refused = await stranger.post(path, { value: "42" });
    expect(refused.status).toBe(403);
    expect(await page(refused)).toContain(zhCN.errors.NOT_A_PARTY);
    const judge = await signedIn("judge.chaoyang");
    expect((await judge.post(path, { value: "42" })).status).toBe(403);
    const [none] = await db.select({ n: count() }).from(drawEntropy).where(eq(drawEntropy.drawId, state.drawId));
    expect(none!.n).toBe(0);

    const added = await debtor.post(path, { value: "吴海燕 20261126" });
    expect(added.status).toBe(302);
    expect(added.headers.get("location")).toBe(`${path}?done=entropy#entropy`);
    const applicant = await signedIn("party1");
    expect((await applicant.post(path, { value: "12345" })).status).toBe(302);
    const twice = await debtor.post(path, { value: "再来一次" });
    expect(twice.status).toBe(409);
    expect(await page(twice)).toContain(zhCN.errors.ENTROPY_ALREADY_GIVEN);
    const html = await page(await debtor.get(path));
    expect(html).toContain("吴海燕 20261126");
    expect(html).toContain("12345");
    expect(html).toContain('data-testid="entropy-given"');
    expect(html).not.toContain("再来一次");
  });

  it("A13: the draw cannot run before the cut-off", async () => {
    const judge = await signedIn("judge.chaoyang");
    const early = await judge.post(`/court/procedures/${state.procedureId}`, { intent: "run-draw" });
    expect(early.status).toBe(409);
    expect(await page(early)).toContain(zhCN.errors.DRAW_NOT_DUE);
  });

  it("A13, A14, P6: at the cut-off the judge runs the draw; the public page shows the ranking, the seed and that it matches", async () => {
    clock.set(new Date("2026-11-27T02:00:00.000Z"));
    // At the cut-off instant contributions are closed.
    const late = await (await signedIn("party1")).get(`/draws/${state.drawId}`);
    expect(await page(late)).not.toContain('data-testid="entropy-form"');
    const judge = await signedIn("judge.chaoyang");
    const ran = await judge.post(`/court/procedures/${state.procedureId}`, { intent: "run-draw" });
    expect(ran.status).toBe(302);
    const html = await page(await new Visitor(platform.url).get(`/draws/${state.drawId}`));
    const [draw] = await db.select().from(agencyDraws).where(eq(agencyDraws.id, state.drawId));
    const ranking = draw!.result as string[];
    expect(ranking).toHaveLength(3);
    expect(html).toContain(draw!.seed);
    expect(html).toContain('data-matches="yes"');
    expect(html).toContain(zhCN.draw.verify.matches);
    for (const check of ["seedMatchesCommitment", "listMatchesHash", "resultMatches", "rankingsMatch"]) expect(html).toContain(`data-check="${check}" data-ok="yes"`);
    expect(html).toContain(`npm run draw:verify -- ${state.drawId}`);
    const positions = ranking.map((id) => html.indexOf(`data-agency-id="${id}"`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // A14: the first-ranked agency has the commission.
    const [offered] = await db.select().from(commissions).where(eq(commissions.procedureId, state.procedureId));
    expect(offered).toMatchObject({ rank: 1, agencyId: ranking[0], status: "offered" });
    state.commissionId = offered!.id;
    state.firstAgency = ranking[0]!;
    state.secondAgency = ranking[1]!;
    const courtPage = await page(await judge.get(`/court/procedures/${state.procedureId}?done=drawn`));
    expect(courtPage).toContain('data-testid="ranking"');
    expect(courtPage).toContain('data-testid="commissions"');
  });

  it("P6: the browser's recomputation (Web Crypto) gives the published result, and the ADR's worked examples (v2 and v1)", async () => {
    const published = await publicDraw(db, state.drawId);
    const again = await recomputeDraw({ algorithm: published.algorithm, seedHex: published.seed!, entropy: published.entropy, eligible: published.eligible, size: 3 });
    expect(again).toEqual({ listSha256: published.eligibleSha256, seedSha256: published.seedSha256, ranking: published.result });
    // docs/decisions/009-verifiable-draw.md
    const example = {
      seedHex: "326eaa548e7bb1b3e97ff8e26929630fa0c04a21179ec71afe5f6b62d0796b81",
      entropy: [
        { partyId: "p-2", value: "被执行人的数字" },
        { partyId: "p-1", value: "12345" },
      ],
      size: 3,
    };
    const names = ["甲评估", "乙评估", "丙评估", "丁评估", "戊评估"];
    const counts = [2, 0, 1, 3, 0];
    const v2 = await recomputeDraw({
      ...example,
      algorithm: "sha256-ctr-rotation-v2",
      eligible: names.map((name, i) => ({ agencyId: `a-${i + 1}`, creditCode: `9111000000000000${i + 1}X`, name, rotationCount: counts[i]! })),
    });
    expect(v2).toEqual({
      listSha256: "cedd9f1ad2c53538250f8d5c90181afbff0331dc4154881ca91dcada854b6046",
      seedSha256: "2addbb64f918f80dc4de3ae6a5c6042b1a4b127ea737a518b00c01e6033fa810",
      ranking: ["a-5", "a-2", "a-3"],
    });
    const v1 = await recomputeDraw({
      ...example,
      algorithm: "sha256-ctr-fisher-yates-v1",
      eligible: names.map((name, i) => ({ agencyId: `a-${i + 1}`, creditCode: `9111000000000000${i + 1}X`, name })),
    });
    expect(v1).toEqual({
      listSha256: "fadc7186df275bd865680ea332ad68924b111b1cfb9f35ce9793b60f596368ce",
      seedSha256: "2addbb64f918f80dc4de3ae6a5c6042b1a4b127ea737a518b00c01e6033fa810",
      ranking: ["a-3", "a-2", "a-4"],
    });
  });
});

describe("the report: download, delivery, objections and the price", () => {
  async function member(agencyId: string) {
    const [u] = await db.select({ username: users.username }).from(users).where(eq(users.agencyId, agencyId)).limit(1);
    return account(u!.username);
  }

  it("A14, A19: the agency's report is listed for the court; the PDF is for the court and the agency, for parties only once delivered", async () => {
    const agency = await member(state.firstAgency);
    await acceptCommission(db, clock, agency, state.commissionId);
    const report = await submitAppraisalReport(db, clock, agency, state.commissionId, appraisalReportInput(clock.now(), { valueFen: 200_000_000n }));
    state.reportId = report.id;
    const judge = await signedIn("judge.chaoyang");
    const html = await page(await judge.get(`/court/procedures/${state.procedureId}`));
    expect(html).toContain("¥2,000,000.00");
    expect(html).toContain(`href="/reports/${state.reportId}/report.pdf"`);
    expect(html).toContain('data-testid="deliver-report"');
    expect(html).toMatch(/data-state="running" data-rule="A19"/);

    const path = `/reports/${state.reportId}/report.pdf`;
    const own = await judge.get(path);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("application/pdf");
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PDF_BYTES);
    const agencyVisitor = await signedIn(agency.username);
    expect((await agencyVisitor.get(path)).status).toBe(200);
    const otherAgency = await signedIn((await member(state.secondAgency)).username);
    expect((await otherAgency.get(path)).status).toBe(403);
    expect((await (await signedIn("party2")).get(path)).status).toBe(403);
    expect((await (await signedIn("bidder1")).get(path)).status).toBe(403);
    expect((await (await signedIn("judge.pudong")).get(path)).status).toBe(403);
    const anonymous = await new Visitor(platform.url).get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?next=/);
    expect((await judge.get("/reports/00000000-0000-4000-8000-000000000000/report.pdf")).status).toBe(404);
  });

  it("A19: the judge delivers the report; the parties can read it and see the 5-day objection window", async () => {
    const judge = await signedIn("judge.chaoyang");
    const delivered = await judge.post(`/court/procedures/${state.procedureId}`, { intent: "deliver", reportId: state.reportId });
    expect(delivered.status).toBe(302);
    const debtor = await signedIn("party2");
    const pdf = await debtor.get(`/reports/${state.reportId}/report.pdf`);
    expect(pdf.status).toBe(200);
    const html = await page(await debtor.get(`/my/cases/${state.caseId}`));
    expect(html).toContain("¥2,000,000.00");
    expect(html).toContain('data-testid="objection-form"');
    expect(html).toContain(`href="/draws/${state.drawId}"`);
  });

  it("A20, A21: a bad objection gets its field errors and writes nothing; a technical objection is filed", async () => {
    const debtor = await signedIn("party2");
    const path = `/my/cases/${state.caseId}`;
    const bad = await debtor.post(path, { intent: "object", reportId: state.reportId, [`kind-${state.reportId}`]: "", [`grounds-${state.reportId}`]: " " });
    expect(bad.status).toBe(400);
    const badPage = await page(bad);
    expect(badPage).toContain(`href="#kind-${state.reportId}"`);
    expect(badPage).toContain(`href="#grounds-${state.reportId}"`);
    const [none] = await db.select({ n: count() }).from(reportObjections).where(eq(reportObjections.reportId, state.reportId));
    expect(none!.n).toBe(0);
    // A report of another case cannot be objected to from this page.
    expect((await debtor.post(path, { intent: "object", reportId: "00000000-0000-4000-8000-000000000000", "kind-x": "technical" })).status).toBe(404);

    const filed = await debtor.post(path, { intent: "object", reportId: state.reportId, [`kind-${state.reportId}`]: "technical", [`grounds-${state.reportId}`]: "可比案例选取不当，成交价格明显偏低。" });
    expect(filed.status).toBe(302);
    const [objection] = await db.select().from(reportObjections).where(eq(reportObjections.reportId, state.reportId));
    expect(objection).toMatchObject({ kind: "technical", status: "filed" });
    state.objectionId = objection!.id;
    expect(await page(await debtor.get(`${path}?done=objection`))).toContain(zhCN.appraisal.my.notice.objection);
  });

  it("A21: the judge forwards it, the appraiser explains, the judge decides; the party sees the answer and the decision", async () => {
    const judge = await signedIn("judge.chaoyang");
    const path = `/court/procedures/${state.procedureId}`;
    expect(await page(await judge.get(path))).toContain('data-testid="forward-objection"');
    expect((await judge.post(path, { intent: "forward", objectionId: state.objectionId })).status).toBe(302);
    await answerObjection(db, clock, await member(state.firstAgency), state.objectionId, { answer: "可比案例均为同小区近六个月成交，已按楼层和朝向修正。" });
    const html = await page(await judge.get(path));
    expect(html).toContain('data-testid="decide-objection"');
    expect(html).toContain(zhCN.appraisal.decision.technical_review);
    const noDecision = await judge.post(path, { intent: "decide", objectionId: state.objectionId });
    expect(noDecision.status).toBe(400);
    expect(await page(noDecision)).toContain(`href="#decision-${state.objectionId}"`);
    // The clerk cannot decide (a judge's decision).
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.post(path, { intent: "decide", objectionId: state.objectionId, [`decision-${state.objectionId}`]: "rejected" })).status).toBe(403);
    const decided = await judge.post(path, { intent: "decide", objectionId: state.objectionId, [`decision-${state.objectionId}`]: "rejected", [`note-${state.objectionId}`]: "评估机构的说明成立。" });
    expect(decided.status).toBe(302);
    const partyPage = await page(await (await signedIn("party2")).get(`/my/cases/${state.caseId}`));
    expect(partyPage).toContain("可比案例均为同小区近六个月成交");
    expect(partyPage).toContain(zhCN.appraisal.decision.rejected);
    expect(partyPage).toContain("评估机构的说明成立。");
  });

  it("A20, A23: the price waits for the objection window; then the judge fixes it and the lot-new page accepts it", async () => {
    let judge = await signedIn("judge.chaoyang");
    const path = `/court/procedures/${state.procedureId}`;
    const early = await judge.post(path, { intent: "fix" });
    expect(early.status).toBe(409);
    expect(await page(early)).toContain(zhCN.errors.OBJECTIONS_PENDING);
    clock.advance(6 * DAY);
    judge = await signedIn("judge.chaoyang");
    // The window is over: the objection form is gone for the party.
    expect(await page(await (await signedIn("party2")).get(`/my/cases/${state.caseId}`))).not.toContain('data-testid="objection-form"');
    const fixed = await judge.post(path, { intent: "fix" });
    expect(fixed.status).toBe(302);
    expect(fixed.headers.get("location")).toBe(`${path}?done=priced`);
    const html = await page(await judge.get(`${path}?done=priced`));
    expect(html).toContain('data-testid="fixed-price"');
    expect(html).toContain('data-status="priced"');
    expect(html).toContain(`href="/court/assets/${state.assetId}/lots/new"`);
    expect(html).toMatch(/data-rule="A25"/);
    const lotNew = await judge.get(`/court/assets/${state.assetId}/lots/new`);
    expect(lotNew.status).toBe(200);
    const form = await page(lotNew);
    expect(form).toContain("¥2,000,000.00");
    expect(form).toContain("¥1,400,000.00"); // B3: the lowest starting price, 70%
    expect(form).toContain('data-testid="lot-form"');
  });
});

describe("the other methods and the court's interventions", () => {
  it("A3: the judge asks for figures; a bad figure is refused; matching figures of both parties fix the price", async () => {
    const assetId = await newAsset("朝阳区某号车位");
    const judge = await signedIn("judge.chaoyang");
    const started = await judge.post(`/court/assets/${assetId}`, { intent: "negotiation", n_dueAt: "2026-12-10T18:00", n_basis: "双方同意议价。" });
    expect(started.status).toBe(302);
    const procedureId = idFrom(started, /^\/court\/procedures\/([0-9a-f-]{36})\?/);
    const path = `/my/cases/${state.caseId}`;
    const applicant = await signedIn("party1");
    expect(await page(await applicant.get(path))).toContain('data-testid="figure-form"');
    const bad = await applicant.post(path, { intent: "figure", procedureId, [`amountFen-${procedureId}`]: "abc" });
    expect(bad.status).toBe(400);
    expect(await page(bad)).toContain(`href="#amountFen-${procedureId}"`);
    const [none] = await db.select({ n: count() }).from(negotiationFigures).where(eq(negotiationFigures.procedureId, procedureId));
    expect(none!.n).toBe(0);
    const first = await applicant.post(path, { intent: "figure", procedureId, [`amountFen-${procedureId}`]: "300,000" });
    expect(first.headers.get("location")).toBe(`${path}?done=figure`);
    const courtPage = await page(await judge.get(`/court/procedures/${procedureId}`));
    expect(courtPage).toContain("¥300,000.00");
    const second = await (await signedIn("party2")).post(path, { intent: "figure", procedureId, [`amountFen-${procedureId}`]: "300000" });
    expect(second.headers.get("location")).toBe(`${path}?done=priced`);
    const after = await page(await judge.get(`/court/procedures/${procedureId}`));
    expect(after).toContain('data-status="priced"');
    expect(after).toContain('data-testid="set-up-lot"');
  });

  it("A4: a directed inquiry's answer is recorded with its letter; a missing file is named and nothing is written", async () => {
    const assetId = await newAsset("朝阳区某号储藏室");
    const judge = await signedIn("judge.chaoyang");
    const started = await judge.post(`/court/assets/${assetId}`, {
      intent: "directed",
      d_addresseeKind: "tax_authority",
      d_addressee: "国家税务总局北京市朝阳区税务局",
      d_priceKind: "tax_base_price",
      d_dueAt: "2026-12-20T18:00",
      d_basis: "议价不成，财产有计税基准价。",
    });
    expect(started.status).toBe(302);
    const procedureId = idFrom(started, /^\/court\/procedures\/([0-9a-f-]{36})\?/);
    const path = `/court/procedures/${procedureId}`;
    expect(await page(await judge.get(path))).toContain("国家税务总局北京市朝阳区税务局");
    const fields = { intent: "answer", valuationMethod: "计税基准价", valueFen: "150,000", valuationDate: "2026-12-01", validUntil: "2027-06-01" };
    const noFile = new FormData();
    for (const [k, v] of Object.entries(fields)) noFile.set(k, v);
    const missing = await judge.post(path, noFile);
    expect(missing.status).toBe(400);
    expect(await page(missing)).toContain('href="#file"');
    const [none] = await db.select({ n: count() }).from(valuationReports).where(eq(valuationReports.procedureId, procedureId));
    expect(none!.n).toBe(0);
    const withFile = new FormData();
    for (const [k, v] of Object.entries(fields)) withFile.set(k, v);
    withFile.set("file", new Blob([new Uint8Array(PDF_BYTES)], { type: "application/pdf" }), "答复函.pdf");
    const recorded = await judge.post(path, withFile);
    expect(recorded.status).toBe(302);
    const html = await page(await judge.get(path));
    expect(html).toContain('data-status="priced"');
    expect(html).toContain("¥150,000.00");
  });

  it("A8, A9, A10: the platforms' reports are listed; the judge marks an error (a note is required), sees the mean of the valid results and fixes it, offered only once it can be done", async () => {
    const assetId = await newAsset("朝阳区某号公寓");
    let judge = await signedIn("judge.chaoyang");
    const started = await judge.post(`/court/assets/${assetId}`, { intent: "online", o_ground: "parties_jointly_chose", o_basis: "双方当事人一致同意网络询价。" });
    const procedureId = idFrom(started, /^\/court\/procedures\/([0-9a-f-]{36})\?/);
    const path = `/court/procedures/${procedureId}`;
    const requests = await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedureId));
    expect(requests).toHaveLength(3);
    // Before the reports are in, fixing is not offered as a button: the page says when it can be done.
    const waiting = await page(await judge.get(path));
    expect(waiting).toContain('data-testid="fix-not-yet"');
    expect(waiting).not.toContain('data-testid="fix-price"');
    const values: Record<string, bigint> = { platform1: 100_000_000n, platform2: 110_000_000n, platform3: 130_000_000n };
    const reportOf: Record<string, string> = {};
    for (const [username, valueFen] of Object.entries(values)) {
      const user = await account(username);
      const request = requests.find((r) => r.platformId === user.platformId)!;
      reportOf[username] = (await submitInquiryReport(db, clock, user, request.id, appraisalReportInput(clock.now(), { valueFen }))).reportId;
    }
    for (const reportId of Object.values(reportOf)) expect((await judge.post(path, { intent: "deliver", reportId })).status).toBe(302);
    const listed = await page(await judge.get(path));
    for (const amount of ["¥1,000,000.00", "¥1,100,000.00", "¥1,300,000.00"]) expect(listed).toContain(amount);
    // A10: all three valid so far.
    expect(listed).toMatch(/data-testid="inquiry-mean"[^]*¥1,133,333\.33/);

    const field = `errorNote-${reportOf.platform3}`;
    const noNote = await judge.post(path, { intent: "mark-error", reportId: reportOf.platform3!, [field]: " " });
    expect(noNote.status).toBe(400);
    expect(await page(noNote)).toContain(`href="#${field}"`);
    expect((await judge.post(path, { intent: "mark-error", reportId: reportOf.platform3!, [field]: "建筑面积与不动产登记不符。" })).status).toBe(302);
    const marked = await page(await judge.get(path));
    expect(marked).toContain("建筑面积与不动产登记不符。");
    // A9: an uncorrected error takes the report out of the mean (the others have none, so no correction is asked).
    expect(marked).toMatch(/data-testid="inquiry-mean"[^]*¥1,050,000\.00/);

    clock.advance(6 * DAY);
    judge = await signedIn("judge.chaoyang");
    expect(await page(await judge.get(path))).toContain('data-testid="fix-price"');
    const fixed = await judge.post(path, { intent: "fix" });
    expect(fixed.headers.get("location")).toBe(`${path}?done=priced`);
    const html = await page(await judge.get(`${path}?done=priced`));
    expect(html).toContain('data-status="priced"');
    expect(html).toMatch(/data-testid="fixed-price"[^]*¥1,050,000\.00/);
  });

  it("P7, A24: an online inquiry asks every platform; the judge suspends (a reason is required), resumes and withdraws it; a clerk may not", async () => {
    const assetId = await newAsset("朝阳区某号商铺");
    const judge = await signedIn("judge.chaoyang");
    const started = await judge.post(`/court/assets/${assetId}`, { intent: "online", o_ground: "parties_jointly_chose", o_basis: "双方当事人一致同意网络询价。" });
    expect(started.status).toBe(302);
    const procedureId = idFrom(started, /^\/court\/procedures\/([0-9a-f-]{36})\?/);
    const path = `/court/procedures/${procedureId}`;
    const html = await page(await judge.get(path));
    for (const name of ["网拍大数据询价平台", "京东方略询价平台", "融e价询价平台"]) expect(html).toContain(name);
    expect(html.match(/data-rule="A8"/g)).toHaveLength(3);

    const noReason = await judge.post(path, { intent: "suspend", suspendReason: "" });
    expect(noReason.status).toBe(400);
    expect(await page(noReason)).toContain('href="#suspendReason"');
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.post(path, { intent: "suspend", suspendReason: "案件中止执行" })).status).toBe(403);
    const [still] = await db.select({ status: priceProcedures.status }).from(priceProcedures).where(eq(priceProcedures.id, procedureId));
    expect(still!.status).toBe("open");

    expect((await judge.post(path, { intent: "suspend", suspendReason: "案件中止执行" })).status).toBe(302);
    const suspended = await page(await judge.get(path));
    expect(suspended).toContain('data-status="suspended"');
    expect(suspended).toContain(zhCN.appraisal.deadline.suspended);
    expect(suspended).toContain('data-state="paused"');
    expect((await judge.post(path, { intent: "resume" })).status).toBe(302);
    expect(await page(await judge.get(path))).toContain('data-status="open"');
    expect((await judge.post(path, { intent: "withdraw", withdrawReason: "申请执行人撤回执行申请" })).status).toBe(302);
    const withdrawn = await page(await judge.get(path));
    expect(withdrawn).toContain('data-status="withdrawn"');
    expect(withdrawn).toContain("申请执行人撤回执行申请");
    expect(withdrawn).not.toContain('name="intent" value="suspend"');
  });
});

describe("deadlines at a glance and the parties' case list", () => {
  it("A1: the court's deadlines are listed soonest first, overdue ones marked; other roles are refused", async () => {
    // An asset seized 40 days ago with no pricing started: its A1 deadline has passed.
    const late = await newAsset("朝阳区某号仓库", 40);
    const judge = await signedIn("judge.chaoyang");
    const res = await judge.get("/court/deadlines");
    expect(res.status).toBe(200);
    const html = await page(res);
    expect(html).toContain('data-testid="deadlines"');
    expect(html).toMatch(/data-kind="procedure_start" data-overdue="yes" data-rule="A1"/);
    expect(html).toContain(`/court/assets/${late}`);
    expect(html).toContain('data-testid="overdue-count"');
    const due = [...html.matchAll(/<tr [^>]*data-kind="[^"]+"[^>]*>\s*<td><time datetime="([^"]+)"/gi)].map((m) => m[1]!);
    expect(due.length).toBeGreaterThan(0);
    expect([...due].sort()).toEqual(due);
    expect((await (await signedIn("bidder1")).get("/court/deadlines")).status).toBe(403);
    expect((await new Visitor(platform.url).get("/court/deadlines")).status).toBe(302);
    // Another court sees none of these.
    expect(await page(await (await signedIn("judge.pudong")).get("/court/deadlines"))).not.toContain(`/court/assets/${late}`);
  });

  it("a party sees its cases; others see none of them; the case page is the party's only", async () => {
    const debtor = await signedIn("party2");
    const list = await page(await debtor.get("/my/cases"));
    expect(list).toContain("（2026）京0105执8801号");
    expect(list).toContain(zhCN.partyRole.debtor);
    const stranger = await signedIn("bidder1");
    const none = await page(await stranger.get("/my/cases"));
    expect(none).toContain('data-testid="no-cases"');
    expect(none).not.toContain("（2026）京0105执8801号");
    expect((await stranger.get(`/my/cases/${state.caseId}`)).status).toBe(404);
    expect((await (await signedIn("judge.chaoyang")).get("/my/cases")).status).toBe(403);
    expect((await new Visitor(platform.url).get("/my/cases")).status).toBe(302);
    // The navigation offers it to bidders (parties act through their bidder accounts) and deadlines to court staff.
    expect(list).toContain('href="/my/cases"');
    expect(await page(await (await signedIn("clerk.chaoyang")).get("/court/cases"))).toContain('href="/court/deadlines"');
  });

  it("the appraisal workflow's steps left an intact audit chain", async () => {
    const { verifyChain } = await import("../../core/audit.ts");
    expect(await verifyChain(db)).toMatchObject({ ok: true });
    const [row] = await db.select({ n: count() }).from(assets).where(and(eq(assets.caseId, state.caseId)));
    expect(row!.n).toBe(6);
  });
});
