// Real-name verification (identity/real-name.ts) and P11 at registration for a lot (auction/registration.ts):
// a bidder registers only with a verified real name, and one real person or company — as bidder or as proxy —
// holds at most one registration per lot, whatever its accounts (ADR 016).
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { ERRORS } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, bidderProfiles, payments, registrations } from "../../db/schema/index.ts";
import { applyForLot } from "../../auction/index.ts";
import { payDeposit } from "../support/payments.ts";
import { creditCodeCheckChar, declareProxy, REAL_NAME_LIMIT, residentIdCheckChar, SIMULATED_REFUSED_NAME, simulatedRealNameVerifier, verifyRealName, type SessionUser } from "../../identity/index.ts";
import { makeBidder, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";
import { codeOf, refusal } from "../support/refusals.ts";

const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const declared = { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true };
const apply = (bidder: SessionUser, lotId: string) => applyForLot(database.db, clock, bidder, lotId, declared);
const asProxyOf = (identityNumber: string) => ({ proxyName: "代理人", proxyIdentityNumber: identityNumber, proxyPowerOfAttorney: "授权委托书（2026）第1号" });

async function registrationsOf(lotId: string): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(registrations).where(eq(registrations.lotId, lotId));
  return row!.n;
}

async function profileOf(userId: string) {
  const [row] = await database.db.select().from(bidderProfiles).where(eq(bidderProfiles.userId, userId));
  return row!;
}

describe("C2, C6: real-name verification through the port, with the simulated adapter", () => {
  it("C2, C6: registering for a lot without a verified real name → REAL_NAME_UNVERIFIED, nothing written; once verified it goes through", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const bidder = await makeBidder(database.db, clock, { unverified: true });
    expect(await codeOf(apply(bidder, lot.lotId))).toBe("REAL_NAME_UNVERIFIED");
    expect(await registrationsOf(lot.lotId)).toBe(0);

    const verified = await verifyRealName(database.db, clock, simulatedRealNameVerifier, bidder);
    expect(verified).toEqual({ verifiedAt: clock.now(), method: "simulated" });
    expect(await profileOf(bidder.id)).toMatchObject({ realNameVerifiedAt: clock.now(), realNameMethod: "simulated" });
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "identity.real_name_verified"), eq(auditEvents.entityId, bidder.id)));
    // The audit names the account and the method, never the identity number.
    expect(event).toMatchObject({ actorId: bidder.id, data: { method: "simulated" } });
    expect(JSON.stringify(event!.data)).not.toContain(bidder.identityNumber);
    await apply(bidder, lot.lotId);
    expect(await registrationsOf(lot.lotId)).toBe(1);
  });

  it("C2: the simulated service refuses its documented test name → REAL_NAME_REFUSED, and nothing is stored", async () => {
    const bidder = await makeBidder(database.db, clock, { unverified: true, name: `张${SIMULATED_REFUSED_NAME}` });
    expect(await codeOf(verifyRealName(database.db, clock, simulatedRealNameVerifier, bidder))).toBe("REAL_NAME_REFUSED");
    expect(await profileOf(bidder.id)).toMatchObject({ realNameVerifiedAt: null, realNameMethod: null });
  });

  it("C2: the simulated adapter is deterministic: a wrong check character or the test name is refused, a valid person or company verified", async () => {
    // Fixed numbers, so the answer cannot depend on a random check character.
    const id = "11010519850301" + "123" + residentIdCheckChar("11010519850301123");
    const code = "9111010500000000" + "1" + creditCodeCheckChar("91110105000000001");
    const otherThan = (c: string) => (c === "1" ? "2" : "1");
    const ask = (kind: "person" | "company", name: string, identityNumber: string) => simulatedRealNameVerifier.verify({ kind, name, identityNumber });
    expect(await ask("person", "张三", id)).toEqual({ outcome: "verified", method: "simulated" });
    expect(await ask("person", "张三", id.slice(0, 17) + otherThan(id[17]!))).toEqual({ outcome: "refused", method: "simulated" });
    expect(await ask("person", SIMULATED_REFUSED_NAME, id)).toEqual({ outcome: "refused", method: "simulated" });
    expect(await ask("company", "北京某某有限公司", code)).toEqual({ outcome: "verified", method: "simulated" });
    expect(await ask("company", "北京某某有限公司", code.slice(0, 17) + otherThan(code[17]!))).toEqual({ outcome: "refused", method: "simulated" });
  });

  it(`ASVS V2.2.1: verification attempts are limited per account (${REAL_NAME_LIMIT.max} a day), then RATE_LIMITED without asking the service`, async () => {
    const bidder = await makeBidder(database.db, clock, { unverified: true, name: SIMULATED_REFUSED_NAME });
    let asked = 0;
    const counting = { simulated: true, verify: (q: Parameters<typeof simulatedRealNameVerifier.verify>[0]) => (asked++, simulatedRealNameVerifier.verify(q)) };
    for (let i = 0; i < REAL_NAME_LIMIT.max; i++) expect(await codeOf(verifyRealName(database.db, clock, counting, bidder))).toBe("REAL_NAME_REFUSED");
    expect(await codeOf(verifyRealName(database.db, clock, counting, bidder))).toBe("RATE_LIMITED");
    expect(asked).toBe(REAL_NAME_LIMIT.max);
  });

  it("ASVS V4.1.3: only bidders verify a real name (court staff → FORBIDDEN)", async () => {
    const lot = await makePublishedLot(database.db, clock);
    expect(await codeOf(verifyRealName(database.db, clock, simulatedRealNameVerifier, lot.judge))).toBe("FORBIDDEN");
  });
});

describe("P11: one real person or company holds at most one registration per lot, whatever its accounts", () => {
  it("P11, C6: a person registered for a lot cannot register again through another account that names them as its proxy", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const person = await makeBidder(database.db, clock);
    const other = await makeBidder(database.db, clock);
    await declareProxy(database.db, clock, other, asProxyOf(person.identityNumber));
    await apply(person, lot.lotId);
    const refused = await refusal(apply(other, lot.lotId));
    // The refusal names only the rule: no field, no detail, nothing of the other registration.
    expect(refused.code).toBe("ONE_REGISTRATION_PER_PERSON");
    expect(refused.fields).toBeUndefined();
    expect(refused.details).toBeUndefined();
    expect(ERRORS.ONE_REGISTRATION_PER_PERSON.zh + ERRORS.ONE_REGISTRATION_PER_PERSON.en).not.toContain(person.displayName);
    expect(await registrationsOf(lot.lotId)).toBe(1);
  });

  it("P11: the other way round — a person whose proxy registered someone for the lot cannot register themselves", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const proxy = await makeBidder(database.db, clock);
    const principal = await makeBidder(database.db, clock);
    await declareProxy(database.db, clock, principal, asProxyOf(proxy.identityNumber));
    await apply(principal, lot.lotId);
    expect(await codeOf(apply(proxy, lot.lotId))).toBe("ONE_REGISTRATION_PER_PERSON");
  });

  it("P11, C6: a proxy represents at most one bidder per lot; the same proxy may act for another bidder on another lot", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const otherLot = await makePublishedLot(database.db, clock);
    const proxyId = residentId();
    const [a, b] = [await makeBidder(database.db, clock), await makeBidder(database.db, clock)];
    for (const bidder of [a, b]) await declareProxy(database.db, clock, bidder, asProxyOf(proxyId));
    await apply(a, lot.lotId);
    expect(await codeOf(apply(b, lot.lotId))).toBe("ONE_REGISTRATION_PER_PERSON");
    await apply(b, otherLot.lotId);
    expect(await registrationsOf(lot.lotId)).toBe(1);
    expect(await registrationsOf(otherLot.lotId)).toBe(1);
  });

  it("P11: parallel registrations of eight accounts acting through one person → exactly one holds a place (checked under the lot's lock)", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const person = residentId();
    const accounts: SessionUser[] = [await makeBidder(database.db, clock, { identityNumber: person })];
    for (let i = 0; i < 7; i++) {
      const account = await makeBidder(database.db, clock);
      await declareProxy(database.db, clock, account, asProxyOf(person));
      accounts.push(account);
    }
    const results = await Promise.allSettled(accounts.map((a) => apply(a, lot.lotId)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
    expect(codes).toEqual(Array(7).fill("ONE_REGISTRATION_PER_PERSON"));
    expect(await registrationsOf(lot.lotId)).toBe(1);
  });

  it("P11: checked again at payment — a proxy declared after registering, who already registered for the lot, is refused before any money moves", async () => {
    const lot = await makePublishedLot(database.db, clock);
    const proxy = await makeBidder(database.db, clock);
    const principal = await makeBidder(database.db, clock);
    await apply(principal, lot.lotId);
    clock.advance(1000);
    await apply(proxy, lot.lotId);
    // Now the principal names, as its proxy, a person who holds a registration of their own for this lot.
    await declareProxy(database.db, clock, principal, asProxyOf(proxy.identityNumber));
    // The registration made first keeps its place: the proxy's own, made later, is the one refused, and no payment starts.
    expect(await codeOf(payDeposit(database.db, clock, proxy, lot.lotId))).toBe("ONE_REGISTRATION_PER_PERSON");
    expect(await database.db.$count(payments, eq(payments.userId, proxy.id))).toBe(0);
    expect((await payDeposit(database.db, clock, principal, lot.lotId)).bidderCode).toBeTruthy();
  });
});
