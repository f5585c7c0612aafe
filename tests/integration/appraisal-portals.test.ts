// The pages of appraisal agencies, inquiry platforms and the pool admin, driven over HTTP like a
// browser without JavaScript. Each page renders for its role and is forbidden to others; a bad form
// gets its field errors and writes nothing; the happy path of each form does what it says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { and, count, eq } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { endOfDays } from "../../core/ruleset.ts";
import {
  agencyConflicts,
  agencySublists,
  cases,
  commissionExtensions,
  commissions,
  inquiryPlatforms,
  inquiryRequests,
  platformListings,
  poolAgencies,
  reportObjections,
  users,
  valuationReports,
} from "../../db/schema/index.ts";
import { agreeAgencies, deliverReport, fileObjection, forwardObjection, startOnlineInquiry, startProcedure } from "../../appraisal/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { creditCode, makeBidder, residentId } from "../fixtures/auction.ts";
import { makeAdmin, makeAgency, makePlatform, makePricingCase, PDF_BYTES } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const DAY = 24 * 60 * 60 * 1000;
const START = new Date("2026-11-26T02:00:00Z"); // 10:00 in Beijing
const clock = new TestClock(START);
const PASSWORD = "portal-test-password";
let platform: TestPlatform;

/** Gives a fixture account a real password, then signs it in. */
async function signedIn(user: Pick<SessionUser, "id" | "username">) {
  await platform.database.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const v = new Visitor(platform.url);
  const res = await v.post("/sign-in", { username: user.username, password: PASSWORD });
  expect(res.status).toBe(302);
  return v;
}

/** The page's text with React's comment markers removed. */
async function page(res: Response) {
  return (await res.text()).replaceAll("<!-- -->", "");
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

function reportForm(over: Record<string, string> = {}, file: { name: string; type: string; bytes: Uint8Array } | null = { name: "评估报告.pdf", type: "application/pdf", bytes: PDF_BYTES }) {
  const form = new FormData();
  const values = { intent: "report", valuationMethod: "市场法", valueFen: "1,234,567.89", valuationDate: "2026-11-25", validUntil: "2027-05-25", ...over };
  for (const [k, v] of Object.entries(values)) form.set(k, v);
  if (file) form.set("file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  else form.set("file", new File([], "", { type: "application/octet-stream" }));
  return form;
}

async function rows(table: typeof valuationReports | typeof commissionExtensions | typeof agencyConflicts | typeof poolAgencies | typeof inquiryPlatforms, where?: ReturnType<typeof eq>) {
  const [row] = await platform.database.db.select({ n: count() }).from(table).where(where);
  return row!.n;
}

const world = {
  judge: null as unknown as SessionUser,
  caseNumber: "",
  assetTitle: "",
  agencies: [] as Awaited<ReturnType<typeof makeAgency>>[],
  commissionId: "",
  partyApplicant: null as unknown as SessionUser,
  otherAgency: null as unknown as Awaited<ReturnType<typeof makeAgency>>,
  platforms: [] as Awaited<ReturnType<typeof makePlatform>>[],
  requestId: "",
  admin: null as unknown as SessionUser,
  bidder: null as unknown as SessionUser,
};

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  // An appraisal both parties asked for (A11), three agreed agencies (A13); the first is commissioned (A14).
  const made = await makePricingCase(db, clock, { agencies: 3, category: "commercial" });
  world.judge = made.judge;
  world.agencies = made.agencies;
  world.partyApplicant = made.applicant;
  const [c] = await db.select({ caseNumber: cases.caseNumber }).from(cases).where(eq(cases.id, made.caseId));
  world.caseNumber = c!.caseNumber;
  world.assetTitle = "朝阳区某商铺";
  const procedure = await startProcedure(db, clock, made.judge, made.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" });
  world.commissionId = (await agreeAgencies(db, clock, made.judge, procedure.id, made.agencies.map((a) => a.agency.id))).commissionId;
  world.otherAgency = await makeAgency(db, clock);
  // An online inquiry of another asset of the same court goes to every listed platform at once (A7).
  world.platforms = [await makePlatform(db, clock, ["residential", "commercial"]), await makePlatform(db, clock, ["residential", "commercial"])];
  const inquiryCase = await makePricingCase(db, clock, { agencies: 0, category: "residential" });
  await startOnlineInquiry(db, clock, inquiryCase.judge, inquiryCase.assetId, { ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" });
  const [request] = await db.select({ id: inquiryRequests.id }).from(inquiryRequests).where(eq(inquiryRequests.platformId, world.platforms[0]!.platform.id));
  world.requestId = request!.id;
  world.admin = await makeAdmin(db, clock);
  world.bidder = await makeBidder(db, clock);
});
afterAll(() => platform?.stop());

describe("who may see the pages", () => {
  it("each portal renders for its role; other roles get 403, anonymous visitors are sent to sign in", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const list = await agency.get("/agency");
    expect(list.status).toBe(200);
    const listHtml = await page(list);
    expect(listHtml).toContain(`data-commission-id="${world.commissionId}"`);
    expect(listHtml).toContain(world.caseNumber);
    expect(listHtml).toContain('href="/agency"'); // the nav link "评估委托"

    const platformUser = await signedIn(world.platforms[0]!.member);
    const requests = await page(await platformUser.get("/platform"));
    expect(requests).toContain(`data-request-id="${world.requestId}"`);

    const admin = await signedIn(world.admin);
    expect((await admin.get("/admin/agencies")).status).toBe(200);
    expect((await admin.get("/admin/platforms")).status).toBe(200);

    const bidder = await signedIn(world.bidder);
    for (const path of ["/agency", `/agency/commissions/${world.commissionId}`, "/agency/conflicts", "/platform", `/platform/requests/${world.requestId}`, "/admin/agencies", "/admin/platforms"]) {
      expect((await bidder.get(path)).status, path).toBe(403);
    }
    expect((await agency.get("/platform")).status).toBe(403);
    expect((await platformUser.get("/agency")).status).toBe(403);
    expect((await agency.get("/admin/agencies")).status).toBe(403);
    const anonymous = await new Visitor(platform.url).get("/agency");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/sign-in?next=%2Fagency");
  });

  it("an agency sees only its own commissions, a platform only its own requests (403 for others', 404 for unknown ids)", async () => {
    const other = await signedIn(world.otherAgency.member);
    expect(await page(await other.get("/agency"))).toContain('data-testid="no-commissions"');
    expect((await other.get(`/agency/commissions/${world.commissionId}`)).status).toBe(403);
    expect((await other.get("/agency/commissions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await other.get("/agency/commissions/not-a-uuid")).status).toBe(404);
    expect((await other.post(`/agency/commissions/${world.commissionId}`, { intent: "accept" })).status).toBe(403);
    const secondPlatform = await signedIn(world.platforms[1]!.member);
    expect((await secondPlatform.get(`/platform/requests/${world.requestId}`)).status).toBe(403);
  });
});

describe("the agency's conflicts (A13)", () => {
  it("a bad declaration gets field errors and writes nothing; a good one is listed, masked", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    expect(await page(await agency.get("/agency/conflicts"))).toContain('data-testid="no-conflicts"');
    const before = await rows(agencyConflicts);
    const bad = await agency.post("/agency/conflicts", { identityNumber: "123", relationship: "" });
    expect(bad.status).toBe(400);
    const badHtml = await page(bad);
    expect(badHtml).toContain('href="#identityNumber"');
    expect(badHtml).toContain('href="#relationship"');
    expect(await rows(agencyConflicts)).toBe(before);

    const id = residentId();
    const good = await agency.post("/agency/conflicts", { identityNumber: id, relationship: "本机构股东的配偶" });
    expect(good.status).toBe(302);
    expect(good.headers.get("location")).toBe("/agency/conflicts?done=declared");
    const html = await page(await agency.get("/agency/conflicts"));
    expect(html).toContain("本机构股东的配偶");
    expect(html).toContain(`${id.slice(0, 3)}***********${id.slice(-4)}`);
    expect(html).not.toContain(id);
  });
});

describe("the inquiry platform's pages (A7, A8)", () => {
  it("A8: the platform asks for its one extension before the deadline; a second ask is refused and writes nothing", async () => {
    const user = await signedIn(world.platforms[0]!.member);
    const before = await page(await user.get(`/platform/requests/${world.requestId}`));
    expect(before).toContain('data-testid="extension-rule"');
    expect(before).toContain('data-testid="ask-extension"');
    const asked = await user.post(`/platform/requests/${world.requestId}`, { intent: "extension" });
    expect(asked.status).toBe(302);
    const [row] = await platform.database.db.select().from(inquiryRequests).where(eq(inquiryRequests.id, world.requestId));
    expect(row!.extensionRequestedAt).not.toBeNull();
    const again = await user.post(`/platform/requests/${world.requestId}`, { intent: "extension" });
    expect(again.status).toBe(409);
    expect(await page(again)).toContain('data-testid="error-summary"');
    const [after] = await platform.database.db.select().from(inquiryRequests).where(eq(inquiryRequests.id, world.requestId));
    expect(after!.extensionRequestedAt).toEqual(row!.extensionRequestedAt);
  });

  it("a bad report gets field errors and writes nothing; a good one is stored and shown with its SHA-256", async () => {
    const user = await signedIn(world.platforms[0]!.member);
    const reports = () => rows(valuationReports, eq(valuationReports.inquiryRequestId, world.requestId));
    const bad = await user.post(`/platform/requests/${world.requestId}`, reportForm({ valueFen: "abc", valuationMethod: "" }, { name: "x.pdf", type: "application/pdf", bytes: PNG }));
    expect(bad.status).toBe(400);
    const html = await page(bad);
    for (const field of ["valueFen", "valuationMethod", "file"]) expect(html).toContain(`href="#${field}"`);
    expect(html).toContain("文件须为 PDF 格式。");
    expect(await reports()).toBe(0);

    const good = await user.post(`/platform/requests/${world.requestId}`, reportForm());
    expect(good.status).toBe(302);
    expect(good.headers.get("location")).toBe(`/platform/requests/${world.requestId}?done=report`);
    expect(await reports()).toBe(1);
    const shown = await page(await user.get(`/platform/requests/${world.requestId}?done=report`));
    expect(shown).toContain("¥1,234,567.89");
    expect(shown).toContain('data-testid="submitted-report"');
    expect(shown).not.toContain('data-testid="upload-report"');
  });
});

describe("the admin's agency pool (A12)", () => {
  it("lists the pool with filters; a district code is no sub-list and is shown as a filter error", async () => {
    const admin = await signedIn(world.admin);
    const all = await page(await admin.get("/admin/agencies"));
    for (const a of world.agencies) expect(all).toContain(`data-agency-id="${a.agency.id}"`);
    const onSublist = await page(await admin.get("/admin/agencies?specialty=real_estate&region=110100&status=active"));
    expect(onSublist).toContain(`data-agency-id="${world.agencies[0]!.agency.id}"`);
    const none = await page(await admin.get("/admin/agencies?specialty=equity&region=310000"));
    expect(none).not.toContain(`data-agency-id="${world.agencies[0]!.agency.id}"`);
    const badRegion = await admin.get("/admin/agencies?region=110105");
    expect(badRegion.status).toBe(200);
    expect(await page(badRegion)).toContain('href="#region"');
  });

  it("adding an agency: bad fields get errors and write nothing; a good one lands on its page with its sub-list", async () => {
    const admin = await signedIn(world.admin);
    const before = await rows(poolAgencies);
    const bad = await admin.post("/admin/agencies", { name: "", creditCode: "123", regionCode: "11", specialty: "real_estate", sublistRegion: "110105" });
    expect(bad.status).toBe(400);
    const html = await page(bad);
    for (const field of ["name", "creditCode", "regionCode", "sublistRegion"]) expect(html).toContain(`href="#${field}"`);
    expect(await rows(poolAgencies)).toBe(before);

    const code = creditCode();
    const good = await admin.post("/admin/agencies", { name: "北京新立房地产评估有限公司", creditCode: code, regionCode: "110105", specialty: "real_estate", sublistRegion: "110100" });
    expect(good.status).toBe(302);
    const location = good.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/agencies\/[0-9a-f-]{36}\?done=added$/);
    const agencyPage = await page(await admin.get(location));
    expect(agencyPage).toContain("北京新立房地产评估有限公司");
    expect(agencyPage).toContain("110100");
  });

  it("A12: sub-lists, suspension and reinstatement; removal bars re-entry for 5 years and re-adding is refused", async () => {
    const admin = await signedIn(world.admin);
    const { agency } = await makeAgency(platform.database.db, clock, { sublists: [] });
    const path = `/admin/agencies/${agency.id}`;
    const addSublist = await admin.post(path, { intent: "addSublist", specialty: "land", sublistRegion: "110000" });
    expect(addSublist.status).toBe(302);
    const sublists = await platform.database.db.select().from(agencySublists).where(eq(agencySublists.agencyId, agency.id));
    expect(sublists.map((s) => `${s.specialty}/${s.regionCode}`)).toEqual(["land/110000"]);
    const badSublist = await admin.post(path, { intent: "addSublist", specialty: "land", sublistRegion: "110105" });
    expect(badSublist.status).toBe(400);
    expect(await page(badSublist)).toContain('href="#sublistRegion"');

    const noReason = await admin.post(path, { intent: "suspend", suspendReason: "" });
    expect(noReason.status).toBe(400);
    expect(await page(noReason)).toContain('href="#suspendReason"');
    const status = async () => (await platform.database.db.select().from(poolAgencies).where(eq(poolAgencies.agencyId, agency.id)))[0]!;
    expect((await status()).status).toBe("active");
    expect((await admin.post(path, { intent: "suspend", suspendReason: "年度检查未通过" })).status).toBe(302);
    expect((await status()).status).toBe("suspended");
    expect(await page(await admin.get(path))).toContain('data-testid="reinstate"');
    expect((await admin.post(path, { intent: "reinstate" })).status).toBe(302);
    expect((await status()).status).toBe("active");

    expect(await page(await admin.get(path))).toContain('data-testid="remove-warning"');
    expect((await admin.post(path, { intent: "remove", removeReason: "出具虚假评估报告" })).status).toBe(302);
    const removed = await status();
    expect(removed.status).toBe("removed");
    expect(removed.barredUntil!.toISOString()).toBe("2031-11-26T02:00:00.000Z");
    expect(await page(await admin.get(path))).toContain('data-testid="removed"');

    const again = await admin.post("/admin/agencies", { name: agency.name, creditCode: agency.creditCode, regionCode: "110105" });
    expect(again.status).toBe(409);
    expect(await page(again)).toContain('href="#creditCode"');
    expect((await status()).status).toBe("removed");
  });

  it("opens a member account for an agency; a bad one gets errors, never echoes the password, and writes nothing", async () => {
    const admin = await signedIn(world.admin);
    const path = `/admin/agencies/${world.agencies[1]!.agency.id}`;
    const members = () => platform.database.db.select({ n: count() }).from(users).where(eq(users.agencyId, world.agencies[1]!.agency.id));
    const before = (await members())[0]!.n;
    const bad = await admin.post(path, { intent: "member", username: "x", password: "tiny-pw", displayName: "", staffIdentityNumber: "110105" });
    expect(bad.status).toBe(400);
    const html = await page(bad);
    for (const field of ["username", "password", "displayName", "staffIdentityNumber"]) expect(html).toContain(`href="#${field}"`);
    expect(html).not.toContain("tiny-pw");
    expect((await members())[0]!.n).toBe(before);
    const good = await admin.post(path, { intent: "member", username: `appraiser-${Date.now()}`, password: "a-long-enough-password", displayName: "李评估", staffIdentityNumber: residentId() });
    expect(good.status).toBe(302);
    expect((await members())[0]!.n).toBe(before + 1);
    expect(await page(await admin.get(path))).toContain("李评估");
  });
});

describe("the admin's platform registry (A6)", () => {
  it("shows late reports against the limit; adds a platform (a bad one writes nothing), changes its categories and opens an account", async () => {
    const admin = await signedIn(world.admin);
    const list = await page(await admin.get("/admin/platforms"));
    expect(list).toContain(`data-platform-id="${world.platforms[0]!.platform.id}"`);
    expect(list).toContain('data-late="0"');
    expect(list).toContain("0 / 5");

    const before = await rows(inquiryPlatforms);
    const bad = await admin.post("/admin/platforms", { intent: "add", name: "", creditCode: "1" });
    expect(bad.status).toBe(400);
    const badHtml = await page(bad);
    for (const field of ["name", "creditCode", "categories"]) expect(badHtml).toContain(`href="#${field}"`);
    expect(await rows(inquiryPlatforms)).toBe(before);

    const form = new URLSearchParams({ intent: "add", name: "某某拍卖询价平台", creditCode: creditCode() });
    form.append("categories", "vehicle");
    form.append("categories", "machinery");
    const added = await admin.request("/admin/platforms", { method: "POST", body: form });
    expect(added.status).toBe(302);
    const platformId = /platform=([0-9a-f-]{36})/.exec(added.headers.get("location")!)![1]!;
    const [listing] = await platform.database.db.select().from(platformListings).where(eq(platformListings.platformId, platformId));
    expect(listing!.categories).toEqual(["machinery", "vehicle"]);

    const change = new URLSearchParams({ intent: "categories", platformId });
    change.append("categories", "residential");
    expect((await admin.request("/admin/platforms", { method: "POST", body: change })).status).toBe(302);
    const [changed] = await platform.database.db.select().from(platformListings).where(eq(platformListings.platformId, platformId));
    expect(changed!.categories).toEqual(["residential"]);

    const user = await admin.post("/admin/platforms", { intent: "user", platformId, username: `pricer-${Date.now()}`, password: "a-long-enough-password", displayName: "王询价", staffIdentityNumber: residentId() });
    expect(user.status).toBe(302);
    expect(await page(await admin.get(`/admin/platforms?platform=${platformId}`))).toContain("王询价");
  });
});

describe("one commission, from the offer to an answered objection (A14–A16, A21)", () => {
  const path = () => `/agency/commissions/${world.commissionId}`;
  const commission = async () => (await platform.database.db.select().from(commissions).where(eq(commissions.id, world.commissionId)))[0]!;

  it("the page shows the case, the asset, the rank and the deadline to answer", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const html = await page(await agency.get(path()));
    expect(html).toContain(world.caseNumber);
    expect(html).toContain(world.assetTitle);
    expect(html).toContain('data-testid="accept"');
    expect(html).toContain('data-status="offered"');
  });

  it("declining without a reason gets a field error and changes nothing", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const res = await agency.post(path(), { intent: "decline", declineReason: "  " });
    expect(res.status).toBe(400);
    expect(await page(res)).toContain('href="#declineReason"');
    expect((await commission()).status).toBe("offered");
  });

  it("A15: accepting sets the report deadline 30 days on; the extension rule and its last day are shown", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const res = await agency.post(path(), { intent: "accept" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${path()}?done=accepted`);
    const c = await commission();
    expect(c.status).toBe("accepted");
    expect(c.reportDueAt!.toISOString()).toBe(endOfDays(START, 30).toISOString());
    const html = await page(await agency.get(`${path()}?done=accepted`));
    expect(html).toContain('data-testid="success-banner"');
    expect(html).toContain('data-testid="extension-rule"');
    expect(html).toContain('data-testid="report-section"');
  });

  it("A15: an extension asked 1 ms after the last instant (5 days before the deadline) is refused on its field and writes nothing; at that instant it is granted", async () => {
    const due = (await commission()).reportDueAt!;
    const latest = new Date(due.getTime() - 5 * DAY);
    clock.set(new Date(latest.getTime() + 1));
    // Signed in at the new time: a session from weeks ago would have expired.
    const agency = await signedIn(world.agencies[0]!.member);
    const late = await agency.post(path(), { intent: "extension", days: "5", extensionReason: "需补充现场勘验" });
    expect(late.status).toBe(422);
    const lateHtml = await page(late);
    expect(lateHtml).toContain('href="#days"');
    // The use case's message for the days field (its text once the appraisal messages are translated).
    expect(lateHtml).toMatch(/延期申请应在报告期限届满五日前提出|appraisal\.error\.EXTENSION_TOO_LATE/);
    expect(await page(await agency.get(path()))).toContain('data-testid="extension-closed"');
    expect(await rows(commissionExtensions, eq(commissionExtensions.commissionId, world.commissionId))).toBe(0);

    clock.set(latest);
    const tooLong = await agency.post(path(), { intent: "extension", days: "16", extensionReason: "需补充现场勘验" });
    expect(tooLong.status).toBe(422);
    expect(await page(tooLong)).toContain('href="#days"');
    const noReason = await agency.post(path(), { intent: "extension", days: "5", extensionReason: "" });
    expect(noReason.status).toBe(400);
    expect(await page(noReason)).toContain('href="#extensionReason"');
    expect(await rows(commissionExtensions, eq(commissionExtensions.commissionId, world.commissionId))).toBe(0);

    const granted = await agency.post(path(), { intent: "extension", days: "5", extensionReason: "需补充现场勘验" });
    expect(granted.status).toBe(302);
    const c = await commission();
    expect(c.extensionsUsed).toBe(1);
    expect(c.reportDueAt!.getTime()).toBe(due.getTime() + 5 * DAY);
    expect(await page(await agency.get(path()))).toContain('data-testid="extensions"');
  });

  it("bad uploads (not a PDF, wrong extension, wrong MIME, empty, none, too large) get a clear message on the file and write nothing", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const reports = () => rows(valuationReports, eq(valuationReports.commissionId, world.commissionId));
    const cases: [FormData, string][] = [
      [reportForm({}, { name: "report.pdf", type: "application/pdf", bytes: PNG }), "文件须为 PDF 格式。"],
      [reportForm({}, { name: "report.txt", type: "application/pdf", bytes: PDF_BYTES }), "文件扩展名与文件内容不符。"],
      [reportForm({}, { name: "report.pdf", type: "image/png", bytes: PDF_BYTES }), "文件类型与文件内容不符。"],
      [reportForm({}, { name: "report.pdf", type: "application/pdf", bytes: new Uint8Array() }), "所选文件是空的。"],
      [reportForm({}, null), 'href="#file"'],
    ];
    for (const [form, message] of cases) {
      const res = await agency.post(path(), form);
      expect(res.status).toBe(400);
      const html = await page(res);
      expect(html).toContain('href="#file"');
      expect(html).toContain(message);
      // The failure travels with the form, so the upload script can show it in place.
      expect(html).toContain('data-failure="');
    }
    // One byte over 20 MB is refused by its size.
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(PDF_BYTES);
    const tooBig = await agency.post(path(), reportForm({}, { name: "report.pdf", type: "application/pdf", bytes: big }));
    expect(tooBig.status).toBe(400);
    expect(await page(tooBig)).toContain("PDF 文件不得超过20 MB。");
    // A body far over the limit is refused by its length, before it is read.
    const huge = new Uint8Array(22 * 1024 * 1024);
    huge.set(PDF_BYTES);
    const refused = await agency.post(path(), reportForm({}, { name: "report.pdf", type: "application/pdf", bytes: huge })).catch((e: unknown) => e);
    if (refused instanceof Response) {
      expect(refused.status).toBe(413);
      expect(await page(refused)).toContain("PDF 文件不得超过20 MB。");
    } else {
      // The server may close the connection instead of reading 22 MB it will refuse anyway.
      expect(String(refused)).toMatch(/fetch failed|socket|ECONNRESET|EPIPE/);
    }
    expect(await reports()).toBe(0);
    expect((await commission()).status).toBe("accepted");
  });

  it("A14, A23: bad report fields (amount, dates, validity over a year) get field errors in one round and write nothing", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const res = await agency.post(path(), reportForm({ valuationMethod: "", valueFen: "-5", valuationDate: "2026-02-30", validUntil: "" }));
    expect(res.status).toBe(400);
    const html = await page(res);
    for (const field of ["valuationMethod", "valueFen", "valuationDate", "validUntil"]) expect(html).toContain(`href="#${field}"`);
    // The validity rule is named in the same round as a blank method and a missing file.
    const overAYear = await agency.post(path(), reportForm({ valuationMethod: "", valuationDate: "2026-12-01", validUntil: "2027-12-02" }, null));
    expect(overAYear.status).toBe(400);
    const overHtml = await page(overAYear);
    for (const field of ["valuationMethod", "validUntil", "file"]) expect(overHtml).toContain(`href="#${field}"`);
    expect(overHtml).toContain(zhCN.appraisal.error.validityTooLong);
    expect(await rows(valuationReports, eq(valuationReports.commissionId, world.commissionId))).toBe(0);
  });

  it("A14: the report is uploaded with its method, value in yuan (stored in fen), valuation date and validity", async () => {
    const agency = await signedIn(world.agencies[0]!.member);
    const res = await agency.post(path(), reportForm({ valuationDate: "2026-12-15", validUntil: "2027-06-15" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${path()}?done=report`);
    const [report] = await platform.database.db.select().from(valuationReports).where(eq(valuationReports.commissionId, world.commissionId));
    expect(report!.valueFen).toBe(123_456_789n);
    expect(report!.valuationMethod).toBe("市场法");
    expect(report!.validUntil.toISOString()).toBe("2027-06-15T15:59:59.999Z");
    expect((await commission()).status).toBe("reported");
    const html = await page(await agency.get(`${path()}?done=report`));
    expect(html).toContain(report!.sha256.slice(0, 16));
    expect(html).toContain("¥1,234,567.89");
    expect(html).not.toContain('data-testid="upload-report"');
  });

  it("A21: a technical objection the court forwarded is shown to the agency; an empty answer is refused, an answer is recorded", async () => {
    const db = platform.database.db;
    const [report] = await db.select().from(valuationReports).where(eq(valuationReports.commissionId, world.commissionId));
    await deliverReport(db, clock, world.judge, report!.id);
    const { id: objectionId } = await fileObjection(db, clock, world.partyApplicant, report!.id, { kind: "technical", grounds: "可比案例选取不当，成交价格偏低。" });
    const agency = await signedIn(world.agencies[0]!.member);
    // Not forwarded yet: the agency does not see it.
    expect(await page(await agency.get(path()))).not.toContain("可比案例选取不当");
    await forwardObjection(db, clock, world.judge, objectionId);
    const html = await page(await agency.get(path()));
    expect(html).toContain("可比案例选取不当");
    expect(html).toContain('data-testid="answer-objection"');
    // Who objected stays with the court.
    expect(html).not.toContain(world.partyApplicant.displayName);

    const field = `answer-${objectionId}`;
    const empty = await agency.post(path(), { intent: "answer", objectionId, [field]: "" });
    expect(empty.status).toBe(400);
    expect(await page(empty)).toContain(`href="#${field}"`);
    const status = async () => (await db.select().from(reportObjections).where(eq(reportObjections.id, objectionId)))[0]!;
    expect((await status()).status).toBe("forwarded");
    const other = await signedIn(world.otherAgency.member);
    expect((await other.post(path(), { intent: "answer", objectionId, [field]: "与我无关" })).status).toBe(403);

    const answered = await agency.post(path(), { intent: "answer", objectionId, [field]: "可比案例均为同商圈近六个月成交。" });
    expect(answered.status).toBe(302);
    const o = await status();
    expect(o.status).toBe("answered");
    expect(o.answer).toBe("可比案例均为同商圈近六个月成交。");
    const after = await page(await agency.get(`${path()}?done=answer`));
    expect(after).toContain("可比案例均为同商圈近六个月成交。");
    expect(after).not.toContain('data-testid="answer-objection"');
  });

  it("a declined offer passes to the next-ranked agency (A13)", async () => {
    const db = platform.database.db;
    const made = await makePricingCase(db, clock, { agencies: 3 });
    const p = await startProcedure(db, clock, made.judge, made.assetId, { method: "appraisal", basisKind: "law_requires", basis: "依法应当委托评估" });
    const { commissionId } = await agreeAgencies(db, clock, made.judge, p.id, made.agencies.map((a) => a.agency.id));
    const first = await signedIn(made.agencies[0]!.member);
    const res = await first.post(`/agency/commissions/${commissionId}`, { intent: "decline", declineReason: "与被执行人存在业务往来" });
    expect(res.status).toBe(302);
    const next = await db.select().from(commissions).where(and(eq(commissions.procedureId, p.id), eq(commissions.rank, 2)));
    expect(next[0]!.status).toBe("offered");
    const second = await signedIn(made.agencies[1]!.member);
    expect(await page(await second.get("/agency"))).toContain(`data-commission-id="${next[0]!.id}"`);
  });
});
