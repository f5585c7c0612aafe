// The court's procedure page dispatches each form's `intent` to one step. Driven over HTTP like a browser
// without JavaScript: a step acts only on the page's own procedure and its rows, an intent the page does not
// have is refused with the error summary, and the A16 step (no other page test posts it) records its fact.
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, commissions, users } from "../../db/schema/index.ts";
import { acceptCommission, agreeAgencies, startProcedure, sweepAppraisalDeadlines } from "../../appraisal/index.ts";
import { hashPassword, type SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { makePricingCase } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z")); // 10:00 in Beijing
const PASSWORD = "procedure-steps-test-password";
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
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
  path: "",
  commissionId: "",
};

async function commission() {
  const [row] = await platform.database.db.select().from(commissions).where(eq(commissions.id, world.commissionId));
  return row!;
}

async function auditCount() {
  const [row] = await platform.database.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const made = await makePricingCase(db, clock, { agencies: 3, category: "commercial" });
  const procedure = await startProcedure(db, clock, made.judge, made.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人共同申请委托评估" });
  const { commissionId } = await agreeAgencies(db, clock, made.judge, procedure.id, made.agencies.map((a) => a.agency.id));
  await acceptCommission(db, clock, made.agencies[0]!.member, commissionId);
  Object.assign(world, { made, path: `/court/procedures/${procedure.id}`, commissionId });
});
afterAll(() => platform?.stop());

describe("the court's procedure page: one step per intent", () => {
  it("an intent the page does not have, or none, re-renders the page with its error summary (400) and writes nothing", async () => {
    const judge = await signedIn(world.made.judge);
    const before = await auditCount();
    // Names an object has by inheritance are no steps either.
    for (const intent of ["", "nope", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const res = await judge.post(world.path, { intent });
      expect(res.status, intent).toBe(400);
      const html = await page(res);
      expect(html, intent).toContain('data-testid="error-summary"');
      expect(html, intent).toContain(zhCN.validation.invalid);
    }
    const res = await judge.post(world.path, { reportId: UNKNOWN_ID });
    expect(res.status).toBe(400);
    expect(await auditCount()).toBe(before);
  });

  it("A16, A18, A19, A21: a step acts only on this procedure's rows: an unknown or malformed commission, report or objection id is not found (404) and writes nothing", async () => {
    const judge = await signedIn(world.made.judge);
    const before = await auditCount();
    for (const id of [UNKNOWN_ID, "not-an-id"]) {
      expect((await judge.post(world.path, { intent: "materials", commissionId: id })).status, `materials ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "deliver", reportId: id })).status, `deliver ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "mark-defect", reportId: id, [`defectKind-${id}`]: "facts", [`defectNote-${id}`]: "x" })).status, `mark-defect ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "extend-defect", reportId: id })).status, `extend-defect ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "pass-defect-on", reportId: id })).status, `pass-defect-on ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "forward", objectionId: id })).status, `forward ${id}`).toBe(404);
      expect((await judge.post(world.path, { intent: "decide", objectionId: id, [`decision-${id}`]: "rejected" })).status, `decide ${id}`).toBe(404);
    }
    expect(await auditCount()).toBe(before);
  });

  it("A16: once the agency's report is overdue, the court records that it returned the materials; once only, and audited", async () => {
    const db = platform.database.db;
    clock.set(new Date((await commission()).reportDueAt!.getTime() + 1));
    await sweepAppraisalDeadlines(db, clock);
    expect(await commission()).toMatchObject({ status: "overdue", materialsReturnedAt: null });
    const clerk = await signedIn(world.made.clerk);
    expect(await page(await clerk.get(world.path))).toContain('name="intent" value="materials"');

    const done = await clerk.post(world.path, { intent: "materials", commissionId: world.commissionId });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`${world.path}?done=materials`);
    expect((await commission()).materialsReturnedAt).toEqual(clock.now());
    const [audited] = await db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, world.commissionId), eq(auditEvents.action, "appraisal.materials_returned")));
    expect(audited!.n).toBe(1);
    const after = await page(await clerk.get(`${world.path}?done=materials`));
    expect(after).toContain(zhCN.appraisal.notice.materials);
    expect(after).not.toContain('name="intent" value="materials"');

    const again = await clerk.post(world.path, { intent: "materials", commissionId: world.commissionId });
    expect(again.status).toBe(409);
    expect(await page(again)).toContain(zhCN.errors.CONFLICT);
  });
});
