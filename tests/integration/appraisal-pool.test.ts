import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { addMonths, CN_SPC_2016 } from "../../core/ruleset.ts";
import type { Database, Db } from "../../db/client.ts";
import { agencies, agencyConflicts, agencySublists, auditEvents, inquiryPlatforms, inquiryRequests, platformListings, poolAgencies, users } from "../../db/schema/index.ts";
import {
  addAgency,
  addAgencyMember,
  addPlatform,
  addPlatformUser,
  declareConflict,
  eligibleAgencies,
  eligiblePlatforms,
  listAgencies,
  listPlatforms,
  reinstateAgency,
  removeAgency,
  setSublists,
  suspendAgency,
} from "../../appraisal/index.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf, fieldsOf } from "../support/refusals.ts";
import { createAsset } from "../../auction/index.ts";
import { assetInput, creditCode, makeBidder, makeCourt, residentId } from "../fixtures/auction.ts";
import { makeAdmin, makeAgency, makeAppraisalCase, makePartyAccount, makePlatform, makeProcedure } from "../fixtures/appraisal.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
const MS = 1;
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database?.close());

/** Row counts of everything the pool use cases write. */
async function footprint() {
  const n = async (table: typeof agencies | typeof poolAgencies | typeof agencySublists | typeof agencyConflicts | typeof auditEvents | typeof users | typeof inquiryPlatforms | typeof platformListings) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    agencies: await n(agencies),
    pool: await n(poolAgencies),
    sublists: await n(agencySublists),
    conflicts: await n(agencyConflicts),
    audit: await n(auditEvents),
    users: await n(users),
    platforms: await n(inquiryPlatforms),
    listings: await n(platformListings),
  };
}

const agencyInput = (over: Record<string, unknown> = {}) => ({
  name: "北京某房地产土地评估有限公司",
  creditCode: creditCode(),
  regionCode: "110105",
  sublists: [{ specialty: "real_estate", regionCode: "110100" }],
  ...over,
});

describe("the agency list (A12)", () => {
  it("A12: an admin lists an agency with its sub-lists; the change is audited", async () => {
    const admin = await makeAdmin(db, clock);
    const input = agencyInput({ sublists: [{ specialty: "real_estate", regionCode: "110100" }, { specialty: "land", regionCode: "110000" }] });
    const { agencyId, created } = await addAgency(db, clock, admin, input);
    expect(created).toBe(true);
    const [listed] = await listAgencies(db, { specialty: "land", regionCode: "110000" }).then((l) => l.filter((a) => a.agencyId === agencyId));
    expect(listed).toMatchObject({ creditCode: input.creditCode, status: "active", barredUntil: null });
    expect(listed!.sublists).toEqual([
      { specialty: "land", regionCode: "110000" },
      { specialty: "real_estate", regionCode: "110100" },
    ]);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.entityId, agencyId));
    expect(events.map((e) => e.action)).toContain("appraisal.agency_listed");
    expect(await codeOf(addAgency(db, clock, admin, { ...input, name: "重复" }))).toBe("AGENCY_ALREADY_LISTED");
  });

  it("A12: a removed agency may not rejoin until 5 years after removal — refused at 5 years minus 1 ms, allowed at 5 years", async () => {
    const admin = await makeAdmin(db, clock);
    const start = clock.now();
    const input = agencyInput();
    const { agencyId } = await addAgency(db, clock, admin, input);
    const removedAt = new Date(start.getTime() + 3600_000);
    clock.set(removedAt);
    const removed = await removeAgency(db, clock, admin, agencyId, { reason: "出具虚假评估报告" });
    const barEnd = addMonths(removedAt, CN_SPC_2016.listRemovalBarMonths);
    expect(removed.barredUntil).toEqual(barEnd);
    expect(barEnd.getTime() - removedAt.getTime()).toBeGreaterThan(5 * 365 * 86_400_000);
    try {
      clock.set(new Date(barEnd.getTime() - MS));
      const before = await footprint();
      expect(await codeOf(addAgency(db, clock, admin, input))).toBe("AGENCY_BARRED");
      expect(await footprint()).toEqual(before);
      expect((await listAgencies(db, { status: "removed" })).some((a) => a.agencyId === agencyId)).toBe(true);

      clock.set(barEnd);
      const readded = await addAgency(db, clock, admin, input);
      expect(readded).toEqual({ agencyId, created: false });
      const [row] = await db.select().from(poolAgencies).where(eq(poolAgencies.agencyId, agencyId));
      expect(row).toMatchObject({ status: "active", barredUntil: null });
    } finally {
      clock.set(start);
    }
  });

  it("A12, A13: a suspended agency is never eligible; reinstated it is again; a removed one is not", async () => {
    const admin = await makeAdmin(db, clock);
    const { caseId } = await makeAppraisalCase(db, clock);
    const { agencyId } = await addAgency(db, clock, admin, agencyInput({ sublists: [{ specialty: "equity", regionCode: "110100" }] }));
    const ids = async () => (await eligibleAgencies(db, clock, { specialty: "equity", regionCode: "110100", caseId })).map((a) => a.agencyId);
    expect(await ids()).toContain(agencyId);
    await suspendAgency(db, clock, admin, agencyId, { reason: "接受调查" });
    expect(await ids()).not.toContain(agencyId);
    expect(await codeOf(suspendAgency(db, clock, admin, agencyId, { reason: "again" }))).toBe("AGENCY_NOT_LISTED");
    await reinstateAgency(db, clock, admin, agencyId);
    expect(await ids()).toContain(agencyId);
    await removeAgency(db, clock, admin, agencyId, { reason: "除名" });
    expect(await ids()).not.toContain(agencyId);
    expect(await codeOf(reinstateAgency(db, clock, admin, agencyId))).toBe("AGENCY_NOT_LISTED");
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.entityId, agencyId))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["appraisal.agency_suspended", "appraisal.agency_reinstated", "appraisal.agency_removed"]));
  });

  it("A12: a bad credit code, a bad region code or an unknown specialty is refused with a stable code and writes nothing", async () => {
    const admin = await makeAdmin(db, clock);
    const good = creditCode();
    const badCheck = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    const cases: [Record<string, unknown>, string][] = [
      [agencyInput({ creditCode: badCheck }), "creditCode"],
      [agencyInput({ creditCode: "" }), "creditCode"],
      [agencyInput({ regionCode: "11010" }), "regionCode"],
      [agencyInput({ regionCode: "北京市" }), "regionCode"],
      [agencyInput({ sublists: [{ specialty: "real_estate", regionCode: "110105" }] }), "sublists.0.regionCode"],
      [agencyInput({ sublists: [{ specialty: "real_estate", regionCode: "000000" }] }), "sublists.0.regionCode"],
      [agencyInput({ sublists: [{ specialty: "antiques", regionCode: "110100" }] }), "sublists.0.specialty"],
      [agencyInput({ name: "" }), "name"],
    ];
    const before = await footprint();
    for (const [input, field] of cases) {
      expect(await codeOf(addAgency(db, clock, admin, input))).toBe("VALIDATION_FAILED");
      expect(Object.keys(await fieldsOf(addAgency(db, clock, admin, input)))).toContain(field);
    }
    const { agency } = await makeAgency(db, clock);
    const afterFixture = await footprint();
    expect(await codeOf(setSublists(db, clock, admin, agency.id, { sublists: [{ specialty: "nope", regionCode: "110100" }] }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(setSublists(db, clock, admin, agency.id, { sublists: [{ specialty: "land", regionCode: "110101" }] }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(suspendAgency(db, clock, admin, agency.id, { reason: "" }))).toBe("VALIDATION_FAILED");
    expect(await footprint()).toEqual(afterFixture);
    expect(afterFixture.agencies).toBe(before.agencies + 1);
    expect(await codeOf(listAgencies(db, { specialty: "antiques" as never }))).toBe("VALIDATION_FAILED");
  });

  it("A12: only an admin keeps the list; a judge, an agency member or a bidder is refused and nothing is written", async () => {
    const { judge } = await makeCourt(db, clock);
    const { agency, member } = await makeAgency(db, clock);
    const bidder = await makeBidder(db, clock);
    const before = await footprint();
    for (const actor of [judge, member, bidder]) {
      expect(await codeOf(addAgency(db, clock, actor, agencyInput()))).toBe("FORBIDDEN");
      expect(await codeOf(setSublists(db, clock, actor, agency.id, { sublists: [] }))).toBe("FORBIDDEN");
      expect(await codeOf(suspendAgency(db, clock, actor, agency.id, { reason: "x" }))).toBe("FORBIDDEN");
      expect(await codeOf(removeAgency(db, clock, actor, agency.id, { reason: "x" }))).toBe("FORBIDDEN");
      expect(await codeOf(reinstateAgency(db, clock, actor, agency.id))).toBe("FORBIDDEN");
      expect(await codeOf(addAgencyMember(db, clock, actor, agency.id, { username: "x-agent", password: "long-enough-pw", displayName: "x", staffIdentityNumber: residentId() }))).toBe("FORBIDDEN");
      expect(await codeOf(addPlatform(db, clock, actor, { name: "平台", creditCode: creditCode(), categories: ["vehicle"] }))).toBe("FORBIDDEN");
    }
    expect(await footprint()).toEqual(before);
  });

  it("A12: the admin opens an agency-member account; the member's staff ID is kept (C7)", async () => {
    const admin = await makeAdmin(db, clock);
    const { agency } = await makeAgency(db, clock);
    const staffIdentityNumber = residentId();
    const username = `appraiser-${Date.now()}`;
    const { userId } = await addAgencyMember(db, clock, admin, agency.id, { username, password: "correct-horse-battery", displayName: "王评估师", staffIdentityNumber });
    const [u] = await db.select().from(users).where(eq(users.id, userId));
    expect(u).toMatchObject({ role: "agency_member", agencyId: agency.id, staffIdentityNumber });
    expect(await codeOf(addAgencyMember(db, clock, admin, agency.id, { username, password: "correct-horse-battery", displayName: "重名", staffIdentityNumber: residentId() }))).toBe("USERNAME_TAKEN");
    expect(await codeOf(addAgencyMember(db, clock, admin, agency.id, { username: "another-one", password: "short", displayName: "x", staffIdentityNumber: "123" }))).toBe("VALIDATION_FAILED");
  });
});

describe("eligibility for a draw (A13)", () => {
  it("A13: a city code matches the city sub-list, a province code the province sub-list, null the whole specialty sub-library", async () => {
    const { caseId } = await makeAppraisalCase(db, clock);
    const city = await makeAgency(db, clock, { sublists: [{ specialty: "machinery", regionCode: "310100" }] });
    const province = await makeAgency(db, clock, { sublists: [{ specialty: "machinery", regionCode: "310000" }] });
    const otherCity = await makeAgency(db, clock, { sublists: [{ specialty: "machinery", regionCode: "440300" }] });
    const wrongSpecialty = await makeAgency(db, clock, { sublists: [{ specialty: "vehicles", regionCode: "310100" }] });
    const ids = async (regionCode: string | null) => (await eligibleAgencies(db, clock, { specialty: "machinery", regionCode, caseId })).map((a) => a.agencyId);
    const inCity = await ids("310100");
    expect(inCity).toContain(city.agency.id);
    expect(inCity).not.toContain(province.agency.id);
    expect(inCity).not.toContain(otherCity.agency.id);
    expect(inCity).not.toContain(wrongSpecialty.agency.id);
    expect(await ids("310000")).toEqual([province.agency.id]);
    const library = await ids(null);
    expect(library).toEqual(expect.arrayContaining([city.agency.id, province.agency.id, otherCity.agency.id]));
    expect(library).not.toContain(wrongSpecialty.agency.id);
    expect(await codeOf(eligibleAgencies(db, clock, { specialty: "machinery", regionCode: "310101", caseId }))).toBe("VALIDATION_FAILED");
  });

  it("P6: the eligible list comes in canonical order, by credit code ascending", async () => {
    const { caseId } = await makeAppraisalCase(db, clock);
    for (let i = 0; i < 6; i++) await makeAgency(db, clock, { sublists: [{ specialty: "other", regionCode: "320500" }] });
    const list = await eligibleAgencies(db, clock, { specialty: "other", regionCode: "320500", caseId });
    expect(list).toHaveLength(6);
    expect(list.map((a) => a.creditCode)).toEqual([...list.map((a) => a.creditCode)].sort());
    expect(Object.keys(list[0]!).sort()).toEqual(["agencyId", "creditCode", "name"]);
  });

  it("A13: an agency that declared a relationship with a party of the case (person or company) is not eligible for it, only for it", async () => {
    const { caseId } = await makeAppraisalCase(db, clock);
    const other = await makeAppraisalCase(db, clock);
    const debtor = await makePartyAccount(db, caseId, "debtor");
    const companyCode = creditCode();
    await makePartyAccount(db, caseId, "applicant", { identityNumber: companyCode });
    const region = { specialty: "land" as const, regionCode: "330100" };
    const clean = await makeAgency(db, clock, { sublists: [region] });
    const withPerson = await makeAgency(db, clock, { sublists: [region] });
    const withCompany = await makeAgency(db, clock, { sublists: [region] });
    await declareConflict(db, clock, withPerson.member, { identityNumber: debtor.identityNumber, relationship: "该机构股东系被执行人近亲属" });
    await declareConflict(db, clock, withCompany.member, { identityNumber: companyCode.toLowerCase(), relationship: "曾为申请执行人提供咨询服务" });
    const ids = (await eligibleAgencies(db, clock, { ...region, caseId })).map((a) => a.agencyId);
    expect(ids).toContain(clean.agency.id);
    expect(ids).not.toContain(withPerson.agency.id);
    expect(ids).not.toContain(withCompany.agency.id);
    const otherIds = (await eligibleAgencies(db, clock, { ...region, caseId: other.caseId })).map((a) => a.agencyId);
    expect(otherIds).toEqual(expect.arrayContaining([clean.agency.id, withPerson.agency.id, withCompany.agency.id]));
  });

  it("A13: a conflict needs a valid ID number or credit code and a relationship; only agency members declare; nothing is written otherwise", async () => {
    const { member } = await makeAgency(db, clock);
    const { judge } = await makeCourt(db, clock);
    const before = await footprint();
    expect(await codeOf(declareConflict(db, clock, member, { identityNumber: "110105198501010000", relationship: "亲属" }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(declareConflict(db, clock, member, { identityNumber: residentId(), relationship: "" }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(declareConflict(db, clock, judge, { identityNumber: residentId(), relationship: "亲属" }))).toBe("FORBIDDEN");
    expect(await footprint()).toEqual(before);
  });
});

describe("the inquiry-platform registry (A6, P7)", () => {
  it("A6, P7: the inquiry goes to active platforms configured for the category whose bar is over", async () => {
    const admin = await makeAdmin(db, clock);
    const { platformId } = await addPlatform(db, clock, admin, { name: "某网络询价平台", creditCode: creditCode(), categories: ["vehicle", "machinery", "vehicle"] });
    const other = await makePlatform(db, clock, ["residential"]);
    const struck = await makePlatform(db, clock, ["vehicle"]);
    const barEnd = new Date(clock.now().getTime() + 86_400_000);
    await db.update(platformListings).set({ status: "struck_off", barredUntil: barEnd }).where(eq(platformListings.platformId, struck.platform.id));
    const barredButActive = await makePlatform(db, clock, ["vehicle"]);
    await db.update(platformListings).set({ barredUntil: barEnd }).where(eq(platformListings.platformId, barredButActive.platform.id));

    const vehicle = (await eligiblePlatforms(db, clock, "vehicle")).map((p) => p.platformId);
    expect(vehicle).toContain(platformId);
    expect(vehicle).not.toContain(other.platform.id);
    expect(vehicle).not.toContain(struck.platform.id);
    expect(vehicle).not.toContain(barredButActive.platform.id);
    const start = clock.now();
    try {
      clock.set(barEnd);
      const later = (await eligiblePlatforms(db, clock, "vehicle")).map((p) => p.platformId);
      expect(later).toContain(barredButActive.platform.id);
      expect(later).not.toContain(struck.platform.id);
    } finally {
      clock.set(start);
    }
    const [listing] = await db.select().from(platformListings).where(eq(platformListings.platformId, platformId));
    expect(listing!.categories).toEqual(["machinery", "vehicle"]);
    expect(await codeOf(eligiblePlatforms(db, clock, "ships" as never))).toBe("VALIDATION_FAILED");
  });

  it("A6: adding a platform validates its credit code and categories, refuses a duplicate, and writes nothing when refused", async () => {
    const admin = await makeAdmin(db, clock);
    const code = creditCode();
    await addPlatform(db, clock, admin, { name: "询价平台甲", creditCode: code, categories: ["residential"] });
    const before = await footprint();
    expect(await codeOf(addPlatform(db, clock, admin, { name: "询价平台乙", creditCode: code, categories: ["residential"] }))).toBe("PLATFORM_ALREADY_LISTED");
    expect(await codeOf(addPlatform(db, clock, admin, { name: "询价平台丙", creditCode: "91110000XXXXXXXXXX", categories: ["residential"] }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(addPlatform(db, clock, admin, { name: "询价平台丁", creditCode: creditCode(), categories: [] }))).toBe("VALIDATION_FAILED");
    expect(await codeOf(addPlatform(db, clock, admin, { name: "询价平台戊", creditCode: creditCode(), categories: ["ships"] }))).toBe("VALIDATION_FAILED");
    expect(await footprint()).toEqual(before);
  });

  it("A6: the admin's view counts a platform's reports that fell late within the last 12 months, as the strike-off does", async () => {
    const admin = await makeAdmin(db, clock);
    const { platformId } = await addPlatform(db, clock, admin, { name: "迟报平台", creditCode: creditCode(), categories: ["residential"] });
    const { userId } = await addPlatformUser(db, clock, admin, platformId, { username: `platform-staff-${Date.now()}`, password: "correct-horse-battery", displayName: "平台员工", staffIdentityNumber: residentId() });
    const [u] = await db.select().from(users).where(eq(users.id, userId));
    expect(u).toMatchObject({ role: "inquiry_platform", platformId });

    const { judge, caseId } = await makeAppraisalCase(db, clock);
    // One running procedure per asset: each inquiry gets an asset of its own.
    const procedure = async () => makeProcedure(db, clock, judge, (await createAsset(db, clock, judge, caseId, assetInput(clock.now(), "residential"))).id, "online_inquiry");
    const now = clock.now();
    const windowStart = addMonths(now, -CN_SPC_2016.platformLateReportsWindowMonths);
    const lateAts = [now, new Date(now.getTime() - 100 * 86_400_000), windowStart, new Date(windowStart.getTime() - MS)];
    for (const [i, lateAt] of lateAts.entries()) {
      const p = await procedure();
      // Sent 3 days before it fell late: the first one inside the window was sent before the window began.
      const sentAt = new Date(lateAt.getTime() - 3 * 86_400_000);
      await db.insert(inquiryRequests).values({ procedureId: p.id, platformId, addressee: "迟报平台", sentAt, dueAt: lateAt, late: true, lateAt });
      if (i === 0) {
        // An on-time report does not count.
        const q = await procedure();
        await db.insert(inquiryRequests).values({ procedureId: q.id, platformId, addressee: "迟报平台", sentAt, dueAt: sentAt, late: false });
      }
    }
    const view = (await listPlatforms(db, clock)).find((p) => p.platformId === platformId)!;
    expect(view).toMatchObject({ lateReportsLast12Months: 3, lateReportsLimit: 5, status: "active", categories: ["residential"] });
  });
});
