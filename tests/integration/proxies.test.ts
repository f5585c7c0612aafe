import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { auditEvents, bidderProfiles, users } from "../../db/schema/index.ts";
import { placeBid, silentPublisher } from "../../auction/index.ts";
import { accountsAwaitingConfirmation, confirmRepresentation, declareProxy, mask, removeProxy, residentIdCheckChar, type SessionUser } from "../../identity/index.ts";
import { DEMO_PASSWORD, seedDemoData } from "../../server/demo-seed.ts";
import { makeActiveBidder, makeBidder, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { Visitor } from "../support/http.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  await seedDemoData(platform.database.db, clock);
});
afterAll(() => platform?.stop());

let n = 0;
const bidId = () => `proxy-${Date.now()}-${++n}`;
const proxy = (name = "李代理", identityNumber = residentId()) => ({ proxyName: name, proxyIdentityNumber: identityNumber, proxyPowerOfAttorney: "授权委托书（2026）第7号，代为竞买" });

async function profileOf(userId: string) {
  const [row] = await platform.database.db.select().from(bidderProfiles).where(eq(bidderProfiles.userId, userId));
  return row!;
}

async function auditCount() {
  const [row] = await platform.database.db.select({ n: count() }).from(auditEvents);
  return row!.n;
}

async function signedIn(username: string) {
  const visitor = new Visitor(platform.url);
  const r = await visitor.post("/sign-in", { username, password: DEMO_PASSWORD });
  expect(r.status).toBe(302);
  return visitor;
}

/** The confirm form's fields in the court's list row that follows `text`. */
function confirmFields(page: string, text: string) {
  const row = page.slice(page.indexOf(text));
  return {
    userId: /name="userId" value="([0-9a-f-]{36})"/.exec(row)![1]!,
    version: /name="version" value="([^"]+)"/.exec(row)![1]!,
  };
}

describe("C6: persons bidding through a proxy", () => {
  it("C6: a person bidding through a proxy bids only after the court confirms the proxy; changing the proxy needs a new confirmation; removing it restores bidding", async () => {
    const { db } = platform.database;
    const lot = await makePublishedLot(db, clock);
    const person = await makeActiveBidder(db, clock, lot.lotId, { name: "委托人王五" });
    const other = await makeActiveBidder(db, clock, lot.lotId);
    const first = proxy("代理人甲");
    await declareProxy(db, clock, person, first);
    clock.set(lot.biddingStartsAt);
    let price = lot.startingPriceFen;
    const bid = (who: SessionUser) => placeBid(db, clock, silentPublisher, who, lot.lotId, { amountFen: price, clientBidId: bidId() });
    const bidsAndOtherOutbids = async () => {
      await expect(bid(person)).resolves.toMatchObject({ amountFen: price });
      price += 100_000n;
      await expect(bid(other)).resolves.toMatchObject({ amountFen: price });
      price += 100_000n;
    };

    // Declared, not confirmed: the person may not bid; a person bidding themselves may.
    await expect(bid(person)).rejects.toMatchObject({ code: "AWAITING_COURT" });
    await expect(bid(other)).resolves.toMatchObject({ amountFen: price });
    price += 100_000n;

    // The court's list names the person and the proxy (ID masked), never a lot.
    const list = await accountsAwaitingConfirmation(db);
    const entry = list.find((a) => a.userId === person.id)!;
    expect(entry).toMatchObject({ kind: "person", name: "委托人王五", proxyName: "代理人甲", proxyIdentityMasked: mask(first.proxyIdentityNumber), proxyPowerOfAttorney: first.proxyPowerOfAttorney });
    expect(JSON.stringify(list)).not.toContain(lot.lotId);
    expect(JSON.stringify(list)).not.toContain(first.proxyIdentityNumber);
    expect(JSON.stringify(list)).not.toContain(person.identityNumber);
    expect(list.map((a) => a.userId)).not.toContain(other.id);

    // Only court staff confirm.
    await expect(confirmRepresentation(db, clock, person, person.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await confirmRepresentation(db, clock, lot.clerk, person.id, entry.version);
    expect((await accountsAwaitingConfirmation(db)).map((a) => a.userId)).not.toContain(person.id);
    await bidsAndOtherOutbids();

    // A new proxy clears the confirmation: no bids until the court confirms again.
    await declareProxy(db, clock, person, proxy("代理人乙"));
    expect(await profileOf(person.id)).toMatchObject({ proxyName: "代理人乙", courtConfirmedAt: null, courtConfirmedBy: null });
    await expect(bid(person)).rejects.toMatchObject({ code: "AWAITING_COURT" });
    // A confirmation of what the court saw before the change does not confirm the new proxy.
    await expect(confirmRepresentation(db, clock, lot.judge, person.id, entry.version)).rejects.toMatchObject({ code: "CONFLICT" });
    const again = (await accountsAwaitingConfirmation(db)).find((a) => a.userId === person.id)!;
    expect(again.proxyName).toBe("代理人乙");
    await confirmRepresentation(db, clock, lot.judge, person.id, again.version);
    await bidsAndOtherOutbids();

    // Another change, then removal: the person bids themselves at once, with no confirmation.
    await declareProxy(db, clock, person, proxy("代理人丙"));
    await expect(bid(person)).rejects.toMatchObject({ code: "AWAITING_COURT" });
    await removeProxy(db, clock, person);
    expect(await profileOf(person.id)).toMatchObject({ proxyName: null, proxyIdentityNumber: null, proxyPowerOfAttorney: null });
    expect((await accountsAwaitingConfirmation(db)).map((a) => a.userId)).not.toContain(person.id);
    await bidsAndOtherOutbids();

    // The audit chain records each step without any identity number.
    const events = await db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId, data: auditEvents.data })
      .from(auditEvents)
      .where(and(eq(auditEvents.entityId, person.id), inArray(auditEvents.action, ["identity.proxy_declared", "identity.proxy_removed", "identity.proxy_confirmed"])))
      .orderBy(asc(auditEvents.seq));
    expect(events.map((e) => e.action)).toEqual([
      "identity.proxy_declared",
      "identity.proxy_confirmed",
      "identity.proxy_declared",
      "identity.proxy_confirmed",
      "identity.proxy_declared",
      "identity.proxy_removed",
    ]);
    const json = JSON.stringify(events);
    expect(json).not.toContain(first.proxyIdentityNumber);
    expect(json).not.toContain(person.identityNumber);
  });

  it("C6: bad proxy details are refused with field errors and nothing is written", async () => {
    const { db } = platform.database;
    const person = await makeBidder(db, clock);
    // Signed in first: signing in is audited, refused declarations are not.
    const bidder3 = await signedIn("bidder3");
    const before = await auditCount();
    const refused = async (input: Record<string, string>, field: string, message: string) => {
      const error = await declareProxy(db, clock, person, input).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", fields: { [field]: message } });
    };
    const body = residentId().slice(0, 17);
    const wrongCheck = body + (residentIdCheckChar(body) === "X" ? "0" : "X");
    await refused({ ...proxy(), proxyIdentityNumber: "123" }, "proxyIdentityNumber", "validation.residentId.LENGTH");
    await refused({ ...proxy(), proxyIdentityNumber: wrongCheck }, "proxyIdentityNumber", "validation.residentId.CHECK_DIGIT");
    await refused({ ...proxy(), proxyName: "  " }, "proxyName", "validation.required");
    await refused({ ...proxy(), proxyName: "<script>alert(1)</script>" }, "proxyName", "validation.plainText");
    await refused({ ...proxy(), proxyPowerOfAttorney: "<script>x</script>" }, "proxyPowerOfAttorney", "validation.plainText");
    await refused({ ...proxy(), proxyIdentityNumber: person.identityNumber }, "proxyIdentityNumber", "validation.proxySelf");
    expect(await profileOf(person.id)).toMatchObject({ proxyName: null, proxyIdentityNumber: null, proxyPowerOfAttorney: null });
    expect(await auditCount()).toBe(before);

    // The same through the page: 400 with links to the fields, nothing written.
    const r = await bidder3.post("/account/proxy", { intent: "declare", proxyName: "<script>alert(1)</script>", proxyIdentityNumber: "110105198501010000", proxyPowerOfAttorney: "" });
    expect(r.status).toBe(400);
    const page = await r.text();
    expect(page).toContain('href="#proxyName"');
    expect(page).toContain('href="#proxyIdentityNumber"');
    expect(page).toContain('href="#proxyPowerOfAttorney"');
    expect(page).not.toContain("<script>alert(1)</script>");
    const [b3] = await db.select({ id: users.id }).from(users).where(eq(users.username, "bidder3"));
    expect((await profileOf(b3!.id)).proxyName).toBeNull();
    expect(await auditCount()).toBe(before);

    // Companies and court staff have no proxy to declare.
    await expect(declareProxy(db, clock, { ...person, role: "clerk" }, proxy())).rejects.toMatchObject({ code: "FORBIDDEN" });
    const company = await signedIn("bidder5");
    expect((await company.get("/account/proxy")).status).toBe(404);
    const clerk = await signedIn("clerk.chaoyang");
    expect((await clerk.get("/account/proxy")).status).toBe(403);
  });

  it("C6: a bidder declares a proxy on the account pages and a judge confirms it on the court's page, which names no lot", async () => {
    const bidder1 = await signedIn("bidder1");
    const accountPage = await (await bidder1.get("/account")).text();
    expect(accountPage).toContain('href="/account/proxy"');
    expect((await bidder1.get("/account/proxy")).status).toBe(200);

    const proxyId = residentId();
    const declared = await bidder1.post("/account/proxy", { intent: "declare", proxyName: "张伟的代理人", proxyIdentityNumber: proxyId, proxyPowerOfAttorney: "授权委托书 SQ-2026-001" });
    expect(declared.status).toBe(302);
    expect(declared.headers.get("location")).toBe("/account");
    const awaiting = await (await bidder1.get("/account")).text();
    expect(awaiting).toContain("张伟的代理人");
    expect(awaiting).toContain(mask(proxyId));
    expect(awaiting).not.toContain(proxyId);
    expect(awaiting).toMatch(/data-testid="proxy-state">待法院确认/);

    // The court's page: the person, the proxy (masked), the power of attorney; no lot, no full ID.
    const judge = await signedIn("judge.chaoyang");
    const list = await (await judge.get("/court/companies")).text();
    expect(list).toContain("张伟的代理人");
    expect(list).toContain(mask(proxyId));
    expect(list).toContain("授权委托书 SQ-2026-001");
    expect(list).not.toContain(proxyId);
    expect(list).not.toMatch(/\/lots\/[0-9a-f-]{36}/);
    const fields = confirmFields(list, "张伟的代理人");

    // A bidder may not confirm; a stale version is refused; the judge confirms.
    const bidder2 = await signedIn("bidder2");
    expect((await bidder2.post("/court/companies", fields)).status).toBe(403);
    expect((await judge.post("/court/companies", { ...fields, version: "stale" })).status).toBe(409);
    expect((await judge.post("/court/companies", fields)).status).toBe(200);
    expect(await (await judge.get("/court/companies")).text()).not.toContain("张伟的代理人");
    const confirmed = await (await bidder1.get("/account")).text();
    expect(confirmed).toMatch(/data-testid="proxy-state">已确认于/);
    const profile = await profileOf(fields.userId);
    expect(profile.courtConfirmedAt).not.toBeNull();

    // Removing the proxy through the page.
    const removed = await bidder1.post("/account/proxy", { intent: "remove" });
    expect(removed.status).toBe(302);
    expect(await profileOf(fields.userId)).toMatchObject({ proxyName: null, courtConfirmedAt: null });
    expect(await (await bidder1.get("/account")).text()).toContain("您本人竞买");
  });
});

describe("C7 through a proxy", () => {
  it("C7: a person whose declared proxy is staff of the enforcing court is barred from the court's lot", async () => {
    const { db } = platform.database;
    const { applyForLot } = await import("../../auction/index.ts");
    const lot = await makePublishedLot(db, clock);
    const [judgeRow] = await db.select({ staffId: users.staffIdentityNumber }).from(users).where(eq(users.id, lot.judge.id));
    const person = await makeBidder(db, clock);
    await declareProxy(db, clock, person, proxy("法院工作人员", judgeRow!.staffId!));
    await expect(applyForLot(db, clock, person, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true })).rejects.toMatchObject({
      code: "BIDDER_BARRED",
      details: { rule: "C7" },
    });
  });
});
