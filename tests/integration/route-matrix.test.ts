// The authorization matrix over real HTTP: every role × every route of app/routes.ts, pages and API, GET
// and (where the route takes writes) POST. The expectation of each cell is derived from the permission table
// (identity/permissions.ts, through `can`) and the table below, which names each route's permission and whose
// records its ids point at. A route without a row here fails the test, and so does any unexpected allow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { users } from "../../db/schema/index.ts";
import { can, hashPassword, type Permission, type SessionUser } from "../../identity/index.ts";
import { makeRouteWorld } from "../fixtures/route-world.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { fillPath, siteRoutes } from "../support/routes.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const PASSWORD = "route-matrix-password";
/** An id no record has: the route must answer 404 to those allowed to look, and refuse the others. */
const UNKNOWN = "00000000-0000-4000-8000-0000000000ff";

/**
 * The roles: a bidder; a party of the world's case; the judge and clerk of the court that holds the case; the judge
 * of another court (the one that holds the lot); the agency commissioned for the case's appraisal and another on
 * the pool; the inquiry platform asked about the case's asset and another; the platform's admin.
 */
const ROLES = ["anonymous", "bidder", "party", "judge", "clerk", "otherJudge", "agency", "otherAgency", "platform", "otherPlatform", "admin"] as const;
type RoleName = (typeof ROLES)[number];

/**
 * Whose records a route's ids point at, for the scope check: the world's court, its agency, its platform,
 * a case the party is a party to; `unknown` when the ids are of no record (everyone allowed gets 404).
 */
type Target = "court" | "lotCourt" | "agency" | "platform" | "case" | "unknown" | "none";
/**
 * `public`: anyone; a permission (with the target of its scope); `missing`: 404 for all; `method`: a GET of a
 * route that only takes writes, refused for all before anything runs (405, or 400 where the route has no loader).
 */
type Access = "public" | "missing" | "method" | { perm: Permission; target?: Target; or?: { perm: Permission; target: Target } };

interface RouteRule {
  get: Access;
  /** Only for routes with an action. */
  post?: Access;
}

const perm = (p: Permission, target: Target = "none", or?: { perm: Permission; target: Target }): Access => ({ perm: p, target, ...(or ? { or } : {}) });

/** Every route of app/routes.ts. GET of an API route that takes only writes answers 405. */
const TABLE: Record<string, RouteRule> = {
  "/": { get: "public" },
  "/register": { get: "public", post: "public" },
  "/sign-in": { get: "public", post: "public" },
  "/sign-out": { get: "public", post: "public" },
  "/account": { get: perm("account.view") },
  "/account/tokens": { get: perm("api.tokens"), post: perm("api.tokens") },
  "/account/proxy": { get: perm("account.proxy"), post: perm("account.proxy") },
  // A GET only redirects to the account page, where the list is; the account page asks for sign-in.
  "/account/sessions": { get: "public", post: perm("account.view") },
  "/account/real-name": { get: perm("account.real_name"), post: perm("account.real_name") },
  "/account/party-link": { get: perm("cases.claim_party"), post: perm("cases.claim_party") },
  "/notifications": { get: perm("account.view"), post: perm("account.view") },
  "/admin/users": { get: perm("users.manage"), post: perm("users.manage") },
  "/lang": { get: "public", post: "public" },
  "/lots": { get: "public" },
  "/lots/:lotId": { get: "public" },
  "/lots/:lotId/files/:fileId": { get: "missing" },
  // The lot's documents are public once it is announced (B7, B8); the world's appraisal report is not the basis of
  // the world's lot (its price was agreed by the parties), so no one gets it through the lot.
  "/lots/:lotId/announcement": { get: "public" },
  "/lots/:lotId/announcement.pdf": { get: "public" },
  "/lots/:lotId/notice": { get: "public" },
  "/lots/:lotId/notice.pdf": { get: "public" },
  "/lots/:lotId/basis/:reportId": { get: "missing" },
  // A GET goes back to the lot's page, for anyone.
  "/lots/:lotId/follow": { get: "public", post: perm("lots.follow") },
  // 预约看样: anyone sees the free places; booking and cancelling are a signed-in person's; the court sets viewings.
  "/lots/:lotId/viewings": { get: "public", post: perm("lots.viewing") },
  "/court/lots/:lotId/viewings": { get: perm("cases.manage", "lotCourt"), post: perm("cases.manage", "lotCourt") },
  // A26: court staff see a lot's fees; recording them is the judge's (asked by the use case).
  "/court/lots/:lotId/fees": { get: perm("cases.manage", "lotCourt"), post: perm("cases.manage", "lotCourt") },
  "/lots/:lotId/apply": { get: perm("lots.bid"), post: perm("lots.bid") },
  "/lots/:lotId/deposit": { get: perm("lots.bid"), post: perm("lots.bid") },
  // The bid form posts here; a GET goes back to the lot's page, for anyone.
  "/lots/:lotId/bid": { get: "public", post: perm("lots.bid") },
  "/my/registrations": { get: perm("lots.bid") },
  "/my/bids": { get: perm("lots.bid") },
  "/my/payments": { get: perm("lots.bid") },
  // Owing no balance, a bidder's GET goes on to their money page.
  "/lots/:lotId/balance": { get: perm("lots.bid"), post: perm("lots.bid") },
  "/cases/:caseId/fund-flow": { get: perm("cases.manage", "court", { perm: "cases.party", target: "case" }) },
  "/admin/reconciliation": { get: perm("escrow.reconcile") },
  "/admin/lots": { get: perm("lots.hold_for_fault"), post: perm("lots.hold_for_fault") },
  // The page's gate; creating a case then needs cases.create (judges and clerks of the court), asked by the use case.
  "/court/cases": { get: perm("cases.manage"), post: perm("cases.manage") },
  "/court/companies": { get: perm("companies.confirm"), post: perm("companies.confirm") },
  "/court/cases/:caseId": { get: perm("cases.manage", "court"), post: perm("cases.manage", "court") },
  // Court staff read the case's escrow and distribution; drafting and approving are the judge's (asked by the use case).
  "/court/cases/:caseId/distribution": { get: perm("cases.manage", "court"), post: perm("cases.manage", "court") },
  "/court/assets/:assetId": { get: perm("cases.manage", "court"), post: perm("cases.manage", "court") },
  "/court/assets/:assetId/lots/new": { get: perm("cases.manage", "court"), post: perm("cases.manage", "court") },
  "/court/lots/:lotId": { get: perm("cases.manage", "lotCourt"), post: perm("cases.manage", "lotCourt") },
  // The preview before publishing; a lot that is no longer a draft sends the judge back to the lot's page.
  "/court/lots/:lotId/publish": { get: perm("lots.publish", "lotCourt") },
  // Not closed yet: no confirmation exists.
  "/lots/:lotId/confirmation.pdf": { get: "missing" },
  "/api/openapi.json": { get: "public" },
  "/api/v1/cases": { get: "method", post: perm("cases.create") },
  "/api/v1/cases/:caseId/parties": { get: "method", post: perm("cases.manage", "court") },
  "/api/v1/cases/:caseId/assets": { get: "method", post: perm("cases.manage", "court") },
  "/api/v1/cases/:caseId/ledger": { get: perm("cases.manage", "court") },
  "/api/v1/cases/:caseId/distribution": { get: perm("cases.manage", "court"), post: perm("escrow.distribute", "court") },
  "/api/v1/cases/:caseId/distribution/approve": { get: "method", post: perm("escrow.distribute", "court") },
  "/api/v1/lots/:lotId/fees": { get: perm("cases.manage", "lotCourt"), post: perm("escrow.distribute", "lotCourt") },
  "/api/v1/assets/:assetId/reference-prices": { get: "method", post: perm("cases.manage", "court") },
  "/api/v1/lots": { get: "public", post: perm("cases.manage") },
  "/api/v1/lots/:lotId": { get: "public" },
  "/api/v1/lots/:lotId/publish": { get: "method", post: perm("lots.publish", "lotCourt") },
  "/api/v1/lots/:lotId/hold": { get: "method", post: perm("lots.hold", "lotCourt") },
  "/api/v1/lots/:lotId/resume": { get: "method", post: perm("lots.hold", "lotCourt") },
  "/api/v1/lots/:lotId/withdraw": { get: "method", post: perm("lots.hold", "lotCourt") },
  "/api/v1/lots/:lotId/revoke": { get: "method", post: perm("lots.hold", "lotCourt") },
  "/api/v1/lots/:lotId/ruling": { get: "method", post: perm("lots.publish", "lotCourt") },
  "/api/v1/lots/:lotId/handover": { get: "method", post: perm("lots.publish", "lotCourt") },
  "/api/v1/me": { get: perm("account.view") },
  // A party's tools read the cases it stands for a party in; another case is not found.
  "/api/v1/my/cases": { get: perm("cases.party") },
  "/api/v1/my/cases/:caseId": { get: perm("cases.party", "case") },
  "/api/v1/admin/users": { get: perm("users.manage") },
  "/api/v1/admin/users/:userId/revoke-sessions": { get: "method", post: perm("users.manage") },
  "/agency": { get: perm("agency.work") },
  "/agency/commissions/:commissionId": { get: perm("agency.work", "agency"), post: perm("agency.work", "agency") },
  "/agency/conflicts": { get: perm("agency.work"), post: perm("agency.work") },
  "/platform": { get: perm("platform.work") },
  "/platform/requests/:requestId": { get: perm("platform.work", "platform"), post: perm("platform.work", "platform") },
  "/admin/agencies": { get: perm("pool.manage"), post: perm("pool.manage") },
  "/admin/agencies/:agencyId": { get: perm("pool.manage"), post: perm("pool.manage") },
  "/admin/platforms": { get: perm("pool.manage"), post: perm("pool.manage") },
  "/api/v1/draws/:drawId": { get: "missing" },
  "/api/v1/draws/:drawId/verification": { get: "missing" },
  "/api/v1/commissions": { get: perm("agency.work") },
  "/api/v1/commissions/:commissionId/accept": { get: "method", post: perm("agency.work", "agency") },
  "/api/v1/commissions/:commissionId/decline": { get: "method", post: perm("agency.work", "agency") },
  "/api/v1/commissions/:commissionId/extensions": { get: "method", post: perm("agency.work", "agency") },
  "/api/v1/commissions/:commissionId/report": { get: "method", post: perm("agency.work", "agency") },
  "/api/v1/inquiry-requests": { get: perm("platform.work") },
  "/api/v1/inquiry-requests/:requestId/report": { get: "method", post: perm("platform.work", "platform") },
  "/api/v1/assets/:assetId/procedures": { get: perm("appraisal.manage", "court"), post: perm("appraisal.manage", "court") },
  "/api/v1/procedures/:procedureId": { get: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/delivery": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/posting": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/defect": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/defect-answer": { get: "method", post: perm("agency.work", "agency") },
  "/api/v1/reports/:reportId/defect-extension": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/defect-pass-on": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/reports/:reportId/corrected": { get: "method", post: perm("agency.work", "agency") },
  // A party of the report's case objects through its own tool.
  "/api/v1/reports/:reportId/objections": { get: "method", post: perm("cases.party", "case") },
  "/api/v1/objections/:objectionId/forward": { get: "method", post: perm("appraisal.manage", "unknown") },
  // The report's author answers: an agency's staff or an inquiry platform's.
  "/api/v1/objections/:objectionId/answer": { get: "method", post: perm("agency.work", "unknown", { perm: "platform.work", target: "unknown" }) },
  "/api/v1/objections/:objectionId/decision": { get: "method", post: perm("appraisal.manage", "unknown") },
  "/api/v1/objections/:objectionId/review-outcome": { get: "method", post: perm("appraisal.manage", "unknown") },
  "/api/v1/procedures/:procedureId/reissue": { get: "method", post: perm("appraisal.manage", "court") },
  "/api/v1/procedures/:procedureId/price": { get: "method", post: perm("appraisal.manage", "court") },
  "/court/procedures/:procedureId": { get: perm("appraisal.manage", "court"), post: perm("appraisal.manage", "court") },
  "/court/deadlines": { get: perm("appraisal.manage") },
  "/draws/:drawId": { get: "missing", post: perm("cases.party", "unknown") },
  // The court's staff and the agency that wrote it; the parties only once it is delivered (it is not, here).
  "/reports/:reportId/report.pdf": { get: perm("appraisal.manage", "court", { perm: "agency.work", target: "agency" }) },
  "/my/cases": { get: perm("cases.party") },
  "/my/cases/:caseId": { get: perm("cases.party", "case"), post: perm("cases.party", "case") },
  // The simulated bank's checkout: open to anyone with the link, as a bank's page is; the world has no charge.
  "/simulated-bank/:chargeId": { get: "missing", post: "missing" },
  "/*": { get: "missing" },
};

/** What an answer says about access. */
type Outcome = "allow" | "signin" | "refused" | "method" | "input";

function outcomeOf(res: Response): Outcome {
  const location = res.headers.get("location") ?? "";
  if (res.status === 401 || (res.status === 302 && location.startsWith("/sign-in"))) return "signin";
  if (res.status === 403 || res.status === 404) return "refused";
  if (res.status === 405) return "method";
  if (res.status >= 400 && res.status < 500) return "input";
  if (res.status >= 500) throw new Error(`${res.status} from ${res.url}`);
  return "allow";
}

const world = {
  users: {} as Record<Exclude<RoleName, "anonymous">, SessionUser>,
  params: {} as Record<string, string>,
  courtId: "",
  lotCourtId: "",
  agencyId: "",
  platformId: "",
};

/** Does the role hold the permission over the route's target? (null: the role is not signed in.) */
function holds(role: RoleName, p: Permission, target: Target): boolean | null {
  if (role === "anonymous") return null;
  const user = world.users[role];
  switch (target) {
    case "none":
    case "unknown":
      return can(user, p);
    case "court":
      return can(user, p, { courtId: world.courtId });
    case "lotCourt":
      return can(user, p, { courtId: world.lotCourtId });
    case "agency":
      return can(user, p, { agencyId: world.agencyId });
    case "platform":
      return can(user, p, { platformId: world.platformId });
    case "case":
      return can(user, p, { isParty: role === "party" });
  }
}

/**
 * The outcomes a cell may have. A GET: exactly one. A write with an empty body: the anonymous are sent to sign in,
 * roles without the permission are refused before the body is read; a role that holds it, but not over this
 * record (another court's, or no record), is refused as forbidden or for its input, whichever the use case finds
 * first, and never allowed.
 */
function expected(access: Access, role: RoleName, method: "GET" | "POST"): Outcome[] {
  if (access === "public") return method === "GET" ? ["allow"] : ["allow", "input", "refused"];
  if (access === "missing") return ["refused"];
  if (access === "method") return ["method", "input"];
  if (role === "anonymous") return ["signin"];
  const target = access.target ?? "none";
  if (access.or && holds(role, access.or.perm, access.or.target)) return method === "GET" ? ["allow"] : ["allow", "input", "refused"];
  const inScope = holds(role, access.perm, target);
  if (!holds(role, access.perm, "none") && !(access.or && holds(role, access.or.perm, "none"))) return ["refused"];
  if (!inScope || target === "unknown") return method === "GET" ? ["refused"] : ["refused", "input"];
  return method === "GET" ? ["allow"] : ["allow", "input", "refused"];
}

const routes = siteRoutes();
const visitors = new Map<RoleName, Visitor>();

async function signedIn(user: SessionUser): Promise<Visitor> {
  const visitor = new Visitor(platform.url);
  const res = await visitor.post("/sign-in", { username: user.username, password: PASSWORD });
  expect(res.status, `sign-in of ${user.username}`).toBe(302);
  return visitor;
}

function send(role: RoleName, path: string, method: "GET" | "POST"): Promise<Response> {
  const visitor = visitors.get(role) ?? new Visitor(platform.url);
  if (method === "GET") return visitor.get(path);
  const api = path.startsWith("/api/");
  return visitor.request(path, { method, headers: { "content-type": api ? "application/json" : "application/x-www-form-urlencoded" }, body: api ? "{}" : "" });
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  const db = platform.database.db;
  const w = await makeRouteWorld(db, clock);
  const c = w.pricingCase;
  world.users = {
    bidder: w.users.bidder,
    party: c.applicant,
    judge: c.judge,
    clerk: c.clerk,
    otherJudge: w.lot.judge,
    agency: w.agency.member,
    otherAgency: c.agencies[1]!.member,
    platform: w.asked.member,
    otherPlatform: w.notAsked.member,
    admin: w.users.admin,
  };
  world.courtId = c.court.id;
  world.lotCourtId = w.lot.court.id;
  world.agencyId = w.agency.agency.id;
  world.platformId = w.asked.platform.id;
  world.params = { ...w.ids, fileId: UNKNOWN, drawId: UNKNOWN, objectionId: UNKNOWN, chargeId: UNKNOWN };
  const hash = await hashPassword(PASSWORD);
  await db.update(users).set({ passwordHash: hash }).where(inArray(users.id, Object.values(world.users).map((u) => u.id)));
  for (const [role, user] of Object.entries(world.users)) visitors.set(role as RoleName, await signedIn(user));
});
afterAll(() => platform?.stop());

describe("ASVS V4.1.1, V4.1.3, V4.2.1: the authorization matrix, every role × every route", () => {
  it("every route of app/routes.ts has a row in the matrix's table, and every row a route (a new route needs its expectation)", () => {
    expect(Object.keys(TABLE).sort()).toEqual(routes.map((r) => r.pattern).sort());
    for (const r of routes) expect(Boolean(TABLE[r.pattern]!.post), `${r.pattern}: a POST expectation exactly when the route has an action`).toBe(r.action);
  });

  it("GET: every cell answers as the permission table says, with 0 unexpected allows", async () => {
    const wrong: string[] = [];
    let cells = 0;
    await Promise.all(
      ROLES.map(async (role) => {
        for (const route of routes) {
          const path = fillPath(route.pattern, world.params);
          const want = expected(TABLE[route.pattern]!.get, role, "GET");
          const got = outcomeOf(await send(role, path, "GET"));
          cells++;
          if (!want.includes(got)) wrong.push(`${role} GET ${path}: ${got}, expected ${want.join("|")}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
    expect(cells).toBe(ROLES.length * routes.length);
  });

  it("POST (an empty body): those without the permission are refused before anything runs, with 0 unexpected allows", async () => {
    const wrong: string[] = [];
    // Signing out last: it ends the session the other cells use.
    const writes = routes.filter((r) => r.action).sort((a, b) => Number(a.pattern === "/sign-out") - Number(b.pattern === "/sign-out"));
    await Promise.all(
      ROLES.map(async (role) => {
        for (const route of writes) {
          const path = fillPath(route.pattern, world.params);
          const want = expected(TABLE[route.pattern]!.post!, role, "POST");
          const got = outcomeOf(await send(role, path, "POST"));
          if (!want.includes(got)) wrong.push(`${role} POST ${path}: ${got}, expected ${want.join("|")}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
  });
});
