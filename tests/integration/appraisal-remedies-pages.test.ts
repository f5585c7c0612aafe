// The pages for A18 defects, A19 service by posting and A20 review, driven over HTTP like a browser
// without JavaScript: the court marks and records, the agency sees the defect with its due time and
// answers, the party asks for review. A bad form gets its field error and writes nothing.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, commissions, reportObjections, users, valuationReports } from "../../db/schema/index.ts";
import {
  acceptCommission,
  agreeAgencies,
  decideObjection,
  defectDueAt as defectDueAtRule,
  fileObjection,
  markReportDefect,
  resumeProcedure,
  reviewDueAt,
  startProcedure,
  submitAppraisalReport,
  suspendProcedure,
} from "../../appraisal/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { ERRORS } from "../../core/errors.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { appraisalReportInput, makePricingCase } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const DAY = 24 * 60 * 60 * 1000;
const START = new Date("2026-11-26T02:00:00Z"); // 10:00 in Beijing
const clock = new TestClock(START);
const PASSWORD = "remedies-test-password";
let platform: TestPlatform;

async function signedIn(user: Pick<SessionUser, "id" | "username">) {
  await platform.database.db.update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.id));
  const v = new Visitor(platform.url);
  expect((await v.post("/sign-in", { username: user.username, password: PASSWORD })).status).toBe(302);
  return v;
}

async function page(res: Response) {
  return (await res.text()).replaceAll("<!-- -->", "");
}

const world = {
  made: null as unknown as Awaited<ReturnType<typeof makePricingCase>>,
  procedureId: "",
  commissionId: "",
  reportId: "",
};

async function report() {
  const [row] = await platform.database.db.select().from(valuationReports).where(eq(valuationReports.id, world.reportId));
  return row!;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const made = await makePricingCase(db, clock, { agencies: 3, category: "commercial" });
  const procedure = await startProcedure(db, clock, made.judge, made.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, made.judge, procedure.id, made.agencies.map((a) => a.agency.id));
  await acceptCommission(db, clock, made.agencies[0]!.member, commissionId);
  clock.advance(5 * DAY);
  const submitted = await submitAppraisalReport(db, clock, made.agencies[0]!.member, commissionId, appraisalReportInput(clock.now()));
  Object.assign(world, { made, procedureId: procedure.id, commissionId, reportId: submitted.id });
});
afterAll(() => platform?.stop());

describe("A18 on the court's and the agency's pages", () => {
  it("A18: the judge's defect form refuses a missing kind and note and writes nothing; a good one marks the defect and the agency's page shows it with its due time; the agency's explanation closes it", async () => {
    const judge = await signedIn(world.made.judge);
    const path = `/court/procedures/${world.procedureId}`;
    expect(await page(await judge.get(path))).toContain('data-testid="mark-defect"');

    const bad = await judge.post(path, { intent: "mark-defect", reportId: world.reportId, [`defectKind-${world.reportId}`]: "", [`defectNote-${world.reportId}`]: "" });
    expect(bad.status).toBe(400);
    expect(await report()).toMatchObject({ defectMarkedAt: null });

    const good = await judge.post(path, { intent: "mark-defect", reportId: world.reportId, [`defectKind-${world.reportId}`]: "signatory", [`defectNote-${world.reportId}`]: "签字评估师非选定机构人员" });
    expect(good.status).toBe(302);
    const marked = await report();
    expect(marked).toMatchObject({ defectKind: "signatory", defectNote: "签字评估师非选定机构人员" });
    const courtPage = await page(await judge.get(path));
    expect(courtPage).toContain('data-testid="report-defect"');
    expect(courtPage).toContain(`dateTime="${marked.defectDueAt!.toISOString()}"`);

    const agency = await signedIn(world.made.agencies[0]!.member);
    const agencyPath = `/agency/commissions/${world.commissionId}`;
    const agencyPage = await page(await agency.get(agencyPath));
    expect(agencyPage).toContain('data-testid="defect-section"');
    expect(agencyPage).toContain("签字评估师非选定机构人员");
    expect(agencyPage).toContain(`dateTime="${marked.defectDueAt!.toISOString()}"`);

    const empty = await agency.post(agencyPath, { intent: "explain-defect", reportId: world.reportId, [`explanation-${world.reportId}`]: " " });
    expect(empty.status).toBe(400);
    expect(await report()).toMatchObject({ defectAnsweredAt: null });
    const explained = await agency.post(agencyPath, { intent: "explain-defect", reportId: world.reportId, [`explanation-${world.reportId}`]: "签字评估师系本机构注册人员" });
    expect(explained.status).toBe(302);
    expect(await report()).toMatchObject({ defectExplanation: "签字评估师系本机构注册人员" });
    expect(await page(await agency.get(agencyPath))).not.toContain('data-testid="defect-section"');
  });
});

describe("A19 and A20 on the court's and the party's pages", () => {
  it("A19: a posting time in the future is refused and writes nothing; an empty time records the posting now, deemed served 15 days later", async () => {
    const clerk = await signedIn(world.made.clerk);
    const path = `/court/procedures/${world.procedureId}`;
    expect(await page(await clerk.get(path))).toContain('data-testid="post-report"');
    const future = await clerk.post(path, { intent: "post", reportId: world.reportId, [`postedAt-${world.reportId}`]: "2099-01-01T10:00" });
    expect(future.status).toBe(400);
    expect(await page(future)).toContain("公告时间不能晚于现在");
    expect(await report()).toMatchObject({ postedAt: null, deliveredAt: null });

    const now = await clerk.post(path, { intent: "post", reportId: world.reportId, [`postedAt-${world.reportId}`]: "" });
    expect(now.status).toBe(302);
    const posted = await report();
    expect(posted.postedAt).toEqual(clock.now());
    expect(posted.deliveredAt).toEqual(new Date("2026-12-16T16:00:00Z")); // posted 1 December: the end of 16 December, Beijing
    expect(await page(await clerk.get(path))).toContain('data-testid="report-posted"');
  });

  it("A20, A24: the party whose procedural objection was rejected gets a review form until day 10, suspended or not; empty grounds write nothing; the judge then records the outcome", async () => {
    const db = platform.database.db;
    const objection = await fileObjection(db, clock, world.made.applicant, world.reportId, { kind: "procedural", grounds: "未依法公告" });
    await decideObjection(db, clock, world.made.judge, objection.id, { decision: "rejected" });
    // A20: the court's page says until when the party may ask, in place of fixing the price, which is refused.
    const judge = await signedIn(world.made.judge);
    const courtPath = `/court/procedures/${world.procedureId}`;
    const windowPage = await page(await judge.get(courtPath));
    expect(windowPage).toContain('data-testid="review-hold" data-kind="review_window"');
    expect(windowPage).toContain(`<time dateTime="${reviewDueAt(CN_SPC_2016, clock.now()).toISOString()}">`);
    expect(windowPage).toContain("当事人可以对驳回其异议的决定申请复议，申请期限至");
    expect(windowPage).not.toContain('data-testid="fix-price"');
    const refused = await judge.post(courtPath, { intent: "fix" });
    expect(refused.status).toBe(409);
    expect(await page(refused)).toContain(ERRORS.REVIEW_WINDOW_OPEN.zh);
    const party = await signedIn(world.made.applicant);
    const path = `/my/cases/${world.made.caseId}`;
    // A24: the review period runs through a suspension, so the form stays offered then.
    await suspendProcedure(db, clock, world.made.judge, world.procedureId, { reason: "案件中止执行" });
    expect(await page(await party.get(path))).toContain('data-testid="review-form"');
    await resumeProcedure(db, clock, world.made.judge, world.procedureId);
    expect(await page(await party.get(path))).toContain('data-testid="review-form"');

    const empty = await party.post(path, { intent: "review", objectionId: objection.id, [`reviewGrounds-${objection.id}`]: "" });
    expect(empty.status).toBe(400);
    const [before] = await db.select().from(reportObjections).where(eq(reportObjections.id, objection.id));
    expect(before!.reviewRequestedAt).toBeNull();
    const asked = await party.post(path, { intent: "review", objectionId: objection.id, [`reviewGrounds-${objection.id}`]: "公告程序违法" });
    expect(asked.status).toBe(302);
    const partyPage = await page(await party.get(path));
    expect(partyPage).toContain('data-testid="objection-review"');
    expect(partyPage).not.toContain('data-testid="review-form"');

    const pendingPage = await page(await judge.get(courtPath));
    expect(pendingPage).toContain('data-testid="review-outcome"');
    expect(pendingPage).toContain('data-testid="review-hold" data-kind="review_pending"');
    const bad = await judge.post(courtPath, { intent: "review-outcome", objectionId: objection.id, [`reviewOutcome-${objection.id}`]: "" });
    expect(bad.status).toBe(400);
    const good = await judge.post(courtPath, { intent: "review-outcome", objectionId: objection.id, [`reviewOutcome-${objection.id}`]: "rejected", [`reviewNote-${objection.id}`]: "" });
    expect(good.status).toBe(302);
    const [after] = await db.select().from(reportObjections).where(eq(reportObjections.id, objection.id));
    expect(after).toMatchObject({ reviewOutcome: "rejected" });
    expect(await page(await judge.get(courtPath))).not.toContain('data-testid="review-outcome"');
  });
});

describe("A18: an unanswered defect on the court's page", () => {
  it("A18: once the agency's 3 days pass unanswered the judge's page offers a new deadline (once) and the next-ranked agency; each step is audited, a clerk is refused and nothing is offered before the deadline", async () => {
    const db = platform.database.db;
    const made = await makePricingCase(db, clock, { agencies: 3, category: "commercial" });
    const procedure = await startProcedure(db, clock, made.judge, made.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" });
    const { commissionId } = await agreeAgencies(db, clock, made.judge, procedure.id, made.agencies.map((a) => a.agency.id));
    await acceptCommission(db, clock, made.agencies[0]!.member, commissionId);
    clock.advance(DAY);
    const submitted = await submitAppraisalReport(db, clock, made.agencies[0]!.member, commissionId, appraisalReportInput(clock.now()));
    const { defectDueAt } = await markReportDefect(db, clock, made.judge, submitted.id, { kind: "facts", note: "建筑面积与登记不符" });
    const path = `/court/procedures/${procedure.id}`;
    expect(await page(await (await signedIn(made.judge)).get(path))).not.toContain('data-testid="defect-remedies"');

    // Days later: signed in afresh (a session does not last that long).
    clock.set(new Date(defectDueAt.getTime() + 1));
    const judge = await signedIn(made.judge);
    const overdue = await page(await judge.get(path));
    expect(overdue).toContain('data-testid="defect-remedies"');
    expect(overdue).toContain(zhCN.appraisal.defect.overdueLead);
    expect(overdue).toContain('data-testid="extend-defect"');
    expect(overdue).toContain('data-testid="pass-defect-on"');
    const clerk = await signedIn(made.clerk);
    expect((await clerk.post(path, { intent: "extend-defect", reportId: submitted.id })).status).toBe(403);

    const extended = await judge.post(path, { intent: "extend-defect", reportId: submitted.id });
    expect(extended.status).toBe(302);
    expect(extended.headers.get("location")).toBe(`${path}?done=defectExtended`);
    const [row] = await db.select().from(valuationReports).where(eq(valuationReports.id, submitted.id));
    expect(row).toMatchObject({ defectExtendedAt: clock.now(), defectDueAt: defectDueAtRule(CN_SPC_2016, clock.now()) });
    const afterExtension = await page(await judge.get(`${path}?done=defectExtended`));
    expect(afterExtension).toContain(zhCN.appraisal.notice.defectExtended);
    expect(afterExtension).not.toContain('data-testid="defect-remedies"');
    expect(afterExtension).toContain(`dateTime="${row!.defectDueAt!.toISOString()}"`);

    // The new deadline passes too: only the next-ranked agency is offered; a second extension is refused on the page.
    clock.set(new Date(row!.defectDueAt!.getTime() + 1));
    const later = await signedIn(made.judge);
    const again = await page(await later.get(path));
    expect(again).not.toContain('data-testid="extend-defect"');
    const refused = await later.post(path, { intent: "extend-defect", reportId: submitted.id });
    expect(refused.status).toBe(409);
    expect(await page(refused)).toContain(ERRORS.DEFECT_EXTENDED_ONCE.zh);
    const passed = await later.post(path, { intent: "pass-defect-on", reportId: submitted.id });
    expect(passed.status).toBe(302);
    expect(passed.headers.get("location")).toBe(`${path}?done=defectPassedOn`);
    const [first] = await db.select().from(commissions).where(eq(commissions.id, commissionId));
    expect(first).toMatchObject({ status: "overdue" });
    const [audited] = await db.select({ actorId: auditEvents.actorId }).from(auditEvents).where(and(eq(auditEvents.entityId, submitted.id), eq(auditEvents.action, "appraisal.report_defect_passed_on")));
    expect(audited).toEqual({ actorId: made.judge.id });
    const afterPass = await page(await later.get(`${path}?done=defectPassedOn`));
    expect(afterPass).toContain(zhCN.appraisal.notice.defectPassedOn);
    expect(afterPass).not.toContain('data-testid="defect-remedies"');
  });
});
