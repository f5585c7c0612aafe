// The simulated bank over real HTTP (ADR 019): a bidder goes from the deposit page to the bank's checkout, pays with
// a test card, and the bank's signed webhook comes back over HTTP to the platform's endpoint, which verifies it,
// acts on it once and ignores what arrives out of order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, isNull } from "drizzle-orm";
import { TestClock } from "../../core/clock.ts";
import { toChineseCapital } from "../../core/money.ts";
import { auditEvents, gatewayEvents, ledgerTransfers, payments, registrations, simWebhooks } from "../../db/schema/index.ts";
import { applyForLot, ownRegistration } from "../../auction/index.ts";
import { CONFIRMATION_CODE, FAILS_LATER_MS, signPayload, SIGNATURE_HEADER, type SimulatedGateway } from "../../escrow/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { simulatedGateway, simulatedWebhookSecret } from "../../server/payment-gateway.ts";
import { deliverSimulatedWebhooks } from "../../server/simulated-bank-jobs.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTestPlatform, TEST_SESSION_SECRET, type TestPlatform } from "../support/platform.ts";
import { Visitor } from "../support/http.ts";
import { makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { testGateway } from "../support/payments.ts";

const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
let platform: TestPlatform;
let gateway: SimulatedGateway;
const CARD = { succeeds: "4242 4242 4242 4242", declined: "4000000000000002", confirms: "4000000000003220", failsLater: "4000000000000341" };
const DEPOSIT_FEN = 7_000_000n;
const WEBHOOKS = "/api/v1/payments/webhooks/simulated";

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  gateway = simulatedGateway(platform.database.db, clock, TEST_SESSION_SECRET);
});
afterAll(() => platform?.stop());

/** The page's text with React's comment markers removed, so adjacent text nodes read as one. */
const page = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");
const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? "");

/** A bidder signed in over HTTP, registered for a fresh lot and owing its deposit. */
async function registeredBidder() {
  const { db } = platform.database;
  const lot = await makePublishedLot(db, clock, { depositFen: DEPOSIT_FEN });
  const bidder = await makeBidder(db, clock);
  await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
  const visitor = new Visitor(platform.url);
  expect((await visitor.post("/sign-in", { username: bidder.username, password: "test-password" })).status).toBe(302);
  return { lotId: lot.lotId, bidder, visitor };
}

/** The amount confirmed on the deposit page: the platform sends the bidder to the bank's checkout. */
async function toCheckout(visitor: Visitor, lotId: string): Promise<string> {
  const res = await visitor.post(`/lots/${lotId}/deposit`, { amountFen: DEPOSIT_FEN.toString() });
  expect(res.status).toBe(302);
  const location = res.headers.get("location") ?? "";
  expect(location).toMatch(/^\/simulated-bank\/ch_[0-9a-f]{24}$/);
  return location;
}

/** The bank's page, as a visitor with only the link (no session) sees it. */
const bankPage = async (checkout: string) => page(await new Visitor(platform.url).get(checkout));

async function payWithCard(checkout: string, cardNumber: string, holderName: string) {
  const res = await new Visitor(platform.url).post(checkout, { intent: "pay", cardNumber, holderName });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe(checkout);
}

const deliver = () => deliverSimulatedWebhooks(gateway, platform.url);
const statusOf = async (bidder: SessionUser, lotId: string) => (await ownRegistration(platform.database.db, bidder, lotId))?.status;
const lastPayment = async (lotId: string) => (await platform.database.db.select().from(payments).where(eq(payments.lotId, lotId)).orderBy(payments.createdAt)).at(-1)!;

/** Posts a webhook body with the given headers, as the bank does. */
const postWebhook = (body: string, headers: Record<string, string>, path = WEBHOOKS) => fetch(platform.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
const signed = (body: string) => ({ [SIGNATURE_HEADER]: signPayload(simulatedWebhookSecret(TEST_SESSION_SECRET), body, clock.now()) });

/** What the platform's books and the bidder's registration say, to show that a request changed nothing. */
async function books(lotId: string) {
  const { db } = platform.database;
  const rows = async (table: typeof gatewayEvents | typeof ledgerTransfers | typeof auditEvents) => (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    events: await rows(gatewayEvents),
    transfers: await rows(ledgerTransfers),
    audit: await rows(auditEvents),
    payments: await db.select().from(payments).where(eq(payments.lotId, lotId)),
    registrations: await db.select().from(registrations).where(eq(registrations.lotId, lotId)),
  };
}

describe("the simulated bank's checkout and its webhooks over HTTP (C2, P11, ADR 019)", () => {
  it("C2, P11: a bidder pays on the bank's page with the succeeding card in their own name; the webhook arrives over HTTP by the bank's job and the lot page shows the bidder code", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);

    const html = await bankPage(checkout);
    expect(html).toContain(zhCN.simulatedBank.notice);
    expect(html).toContain(zhCN.simulatedBank.noticeShort);
    expect(html).toContain("¥70,000.00");
    expect(html).toContain(toChineseCapital(DEPOSIT_FEN));
    expect(html).toContain(zhCN.simulatedBank.payeeName);
    expect(html).toContain(zhCN.simulatedBank.holderHint);
    for (const number of ["4242424242424242", "4000000000000002", "4000000000003220", "4000000000000341"]) expect(html).toContain(number);
    expect(html).toContain(fill(zhCN.simulatedBank.testCards.needs_confirmation, { code: CONFIRMATION_CODE }));
    expect(html).toContain('data-testid="card-form"');
    // The bank's page, not the platform's: no platform menu, nothing about the bidder.
    expect(html).not.toContain('class="site-nav"');
    expect(html).not.toContain(bidder.displayName);

    await payWithCard(checkout, CARD.succeeds, bidder.displayName);
    const paid = await bankPage(checkout);
    expect(paid).toContain(fill(zhCN.simulatedBank.result.succeeded, { last4: "4242" }));
    expect(paid).toContain(`href="/lots/${lotId}/deposit"`);

    // Nobody delivers by hand here: the bank's pg-boss job posts the webhook to the platform within seconds.
    await expect.poll(() => statusOf(bidder, lotId), { timeout: 20_000, interval: 250 }).toBe("active");
    const back = await visitor.get(`/lots/${lotId}/deposit`);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`/lots/${lotId}?deposit=paid`);
    const lotPage = await page(await visitor.get(`/lots/${lotId}?deposit=paid`));
    expect(lotPage).toMatch(/data-testid="your-code">[2-9A-HJ-NP-Z]{6}</);
    const [webhook] = await platform.database.db.select().from(simWebhooks).where(eq(simWebhooks.type, "payment.succeeded"));
    expect(webhook!.deliveredAt).not.toBeNull();
  }, 30_000);

  it("C2: a declined card is told plainly on the bank's page and on the deposit page; the registration stays unpaid and the attempt is recorded; another payment can be made", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    await payWithCard(checkout, CARD.declined, bidder.displayName);
    const html = await bankPage(checkout);
    expect(html).toContain(fill(zhCN.simulatedBank.result.declined, { last4: "0002" }));
    expect(html).toContain(zhCN.simulatedBank.returnToRetry);
    expect(html).not.toContain('data-testid="card-form"');

    await deliver();
    await expect.poll(async () => (await lastPayment(lotId)).status).toBe("failed");
    expect(await lastPayment(lotId)).toMatchObject({ failureCode: "card_declined", amountFen: DEPOSIT_FEN });
    expect(await statusOf(bidder, lotId)).toBe("awaiting_deposit");
    const deposit = await page(await visitor.get(`/lots/${lotId}/deposit`));
    expect(deposit).toContain(zhCN.deposit.reason.card_declined);
    expect(deposit).toContain('data-testid="payment-status"');

    const again = await toCheckout(visitor, lotId);
    expect(again).not.toBe(checkout);
    expect(await bankPage(again)).toContain('data-testid="card-form"');
  });

  it("a card number that is not a number, or a missing holder name, is refused on the bank's page and charges nothing", async () => {
    const { lotId, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    const res = await new Visitor(platform.url).post(checkout, { intent: "pay", cardNumber: "abc", holderName: "" });
    expect(res.status).toBe(400);
    const html = await page(res);
    expect(html).toContain(zhCN.validation.cardNumber);
    expect(html).toContain(zhCN.validation.required);
    expect((await gateway.charge(checkout.split("/").pop()!))!.status).toBe("requires_payment_method");
  });

  it("C2: a card that needs a confirmation asks for the code; a wrong code is refused, the right one completes the payment", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    await payWithCard(checkout, CARD.confirms, bidder.displayName);
    const step = await bankPage(checkout);
    expect(step).toContain('data-testid="code-form"');
    expect(step).toContain(fill(zhCN.simulatedBank.codeLead, { last4: "3220", code: CONFIRMATION_CODE }));

    const wrong = await new Visitor(platform.url).post(checkout, { intent: "confirm", code: "000000" });
    expect(wrong.status).toBe(422);
    expect(await page(wrong)).toContain(zhCN.errors.PAYMENT_CONFIRMATION_FAILED);
    await deliver();
    await expect.poll(async () => (await lastPayment(lotId)).status).toBe("requires_action");
    expect(await page(await visitor.get(`/lots/${lotId}/deposit`))).toContain(zhCN.deposit.status.requires_action);

    const right = await new Visitor(platform.url).post(checkout, { intent: "confirm", code: CONFIRMATION_CODE });
    expect(right.status).toBe(302);
    expect(await bankPage(checkout)).toContain(fill(zhCN.simulatedBank.result.succeeded, { last4: "3220" }));
    await deliver();
    await expect.poll(() => statusOf(bidder, lotId)).toBe("active");
  });

  it("C2: a card that fails later stays processing until FAILS_LATER_MS has passed, then the payment fails and the registration stays unpaid", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    await payWithCard(checkout, CARD.failsLater, bidder.displayName);
    expect(await bankPage(checkout)).toContain(fill(zhCN.simulatedBank.result.processing, { last4: "0341" }));
    await deliver();
    await expect.poll(async () => (await lastPayment(lotId)).status).toBe("processing");
    expect(await page(await visitor.get(`/lots/${lotId}/deposit`))).toContain(zhCN.deposit.status.processing);

    const submittedAt = clock.now().getTime();
    clock.set(new Date(submittedAt + FAILS_LATER_MS - 1));
    expect(await deliver()).toBe(0); // one millisecond early: the failure is not due
    expect((await lastPayment(lotId)).status).toBe("processing");
    clock.set(new Date(submittedAt + FAILS_LATER_MS));
    await deliver();
    await expect.poll(async () => (await lastPayment(lotId)).status).toBe("failed");
    expect(await lastPayment(lotId)).toMatchObject({ failureCode: "processing_error" });
    expect(await statusOf(bidder, lotId)).toBe("awaiting_deposit");
    expect(await page(await visitor.get(`/lots/${lotId}/deposit`))).toContain(zhCN.deposit.reason.processing_error);
  });

  it("ASVS V10.5, V13.2: a forged signature, a missing one or one for another gateway is refused (400 WEBHOOK_SIGNATURE_INVALID, 404) and changes nothing", async () => {
    const { lotId, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    const payment = await lastPayment(lotId);
    const body = JSON.stringify({ id: "evt_forged", type: "payment.succeeded", providerRef: checkout.split("/").pop(), reference: payment.id, amountFen: DEPOSIT_FEN.toString(), holderName: "竞买人", failureCode: null, occurredAt: clock.now().toISOString() });
    const before = await books(lotId);

    const forged = await postWebhook(body, { [SIGNATURE_HEADER]: signPayload("not-the-bank's-secret", body, clock.now()) });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: { code: "WEBHOOK_SIGNATURE_INVALID" } });
    expect((await postWebhook(body, {})).status).toBe(400);
    // Signed well, but the body altered after signing.
    const tampered = await postWebhook(body.replace(DEPOSIT_FEN.toString(), "1"), signed(body));
    expect(tampered.status).toBe(400);
    // Signed well, but too old to be anything but a captured request replayed.
    const stale = await postWebhook(body, { [SIGNATURE_HEADER]: signPayload(simulatedWebhookSecret(TEST_SESSION_SECRET), body, new Date(clock.now().getTime() - 10 * 60_000)) });
    expect(stale.status).toBe(400);
    const otherGateway = await postWebhook(body, signed(body), "/api/v1/payments/webhooks/stripe");
    expect(otherGateway.status).toBe(404);
    expect(await books(lotId)).toEqual(before);
  });

  it("ASVS V4.2.2: the endpoint carries no cookie and is authenticated by its signature, so the CSRF origin guard lets it through (with or without an Origin)", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    const payment = await lastPayment(lotId);
    const event = { id: "evt_origin_check", type: "payment.requires_action", providerRef: checkout.split("/").pop(), reference: payment.id, amountFen: DEPOSIT_FEN.toString(), holderName: bidder.displayName, failureCode: null, occurredAt: clock.now().toISOString() };
    const body = JSON.stringify(event);
    const res = await postWebhook(body, { ...signed(body), origin: "https://bank.example" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect((await lastPayment(lotId)).status).toBe("requires_action");
  });

  it("C2: a replayed webhook (the same request sent again) is acknowledged and acted on once; a failure arriving after the success changes nothing", async () => {
    const { lotId, bidder, visitor } = await registeredBidder();
    const checkout = await toCheckout(visitor, lotId);
    await payWithCard(checkout, CARD.succeeds, bidder.displayName);
    // Deliver by hand, keeping the exact request, before the bank's job gets to it.
    const sent: { body: string; headers: Record<string, string> }[] = [];
    await gateway.deliverDueWebhooks(async (body, headers) => {
      sent.push({ body, headers });
      return (await postWebhook(body, headers)).ok;
    });
    await expect.poll(() => statusOf(bidder, lotId)).toBe("active");
    const success = sent.find((s) => JSON.parse(s.body).type === "payment.succeeded") ?? (await lastDelivered(checkout));
    const before = await books(lotId);

    for (let i = 0; i < 2; i++) {
      const replay = await postWebhook(success.body, success.headers);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: true });
    }
    expect(await books(lotId)).toEqual(before);

    const late = { ...JSON.parse(success.body), id: "evt_late_failure", type: "payment.failed", failureCode: "card_declined" };
    const lateBody = JSON.stringify(late);
    const res = await postWebhook(lateBody, signed(lateBody));
    expect(res.status).toBe(200);
    const after = await books(lotId);
    expect(after.events).toBe(before.events + 1); // recorded as received…
    expect({ ...after, events: before.events }).toEqual(before); // …and nothing else moved
    expect(await statusOf(bidder, lotId)).toBe("active");
    expect((await lastPayment(lotId)).status).toBe("succeeded");
  });
});

/** The success webhook of a charge as the bank's job sent it (when the job got there first), signed again now. */
async function lastDelivered(checkout: string) {
  const chargeId = checkout.split("/").pop()!;
  const rows = await platform.database.db.select().from(simWebhooks).where(eq(simWebhooks.type, "payment.succeeded"));
  const row = rows.find((r) => (r.payload as { providerRef: string }).providerRef === chargeId)!;
  const body = JSON.stringify(row.payload);
  return { body, headers: { "content-type": "application/json", ...signed(body) } };
}

describe("the simulated bank retries a webhook the platform did not acknowledge", () => {
  it("each retry waits twice as long as the one before (10 s, 20 s…), counted in attempts, until acknowledged", async () => {
    const database = await createTestDatabase();
    try {
      const bank = testGateway(database.db, clock);
      const { db } = database;
      await db.insert(simWebhooks).values({ id: "evt_retry", type: "payment.succeeded", payload: { id: "evt_retry" }, deliverAfter: clock.now(), createdAt: clock.now() });
      const start = clock.now().getTime();
      const refuse = async () => false;
      expect(await bank.deliverDueWebhooks(refuse)).toBe(0);
      const row = async () => (await db.select().from(simWebhooks).where(eq(simWebhooks.id, "evt_retry")))[0]!;
      expect(await row()).toMatchObject({ attempts: 1, deliveredAt: null, deliverAfter: new Date(start + 10_000) });
      clock.set(new Date(start + 9_999));
      await bank.deliverDueWebhooks(refuse);
      expect((await row()).attempts).toBe(1); // not yet due again
      clock.set(new Date(start + 10_000));
      await bank.deliverDueWebhooks(async () => {
        throw new Error("connection refused");
      });
      expect(await row()).toMatchObject({ attempts: 2, deliveredAt: null, deliverAfter: new Date(start + 30_000) });
      clock.set(new Date(start + 30_000));
      expect(await bank.deliverDueWebhooks(async () => true)).toBe(1);
      expect(await row()).toMatchObject({ attempts: 3, deliveredAt: new Date(start + 30_000) });
    } finally {
      await database.close();
    }
  });
});

describe("the simulated bank under concurrency, as a provider behaves", () => {
  it("two deliverers at once (two nodes) send each due webhook once", async () => {
    const database = await createTestDatabase();
    try {
      const { db } = database;
      const ids = Array.from({ length: 40 }, (_, i) => `evt_claim_${i}`);
      await db.insert(simWebhooks).values(ids.map((id) => ({ id, type: "refund.succeeded", payload: { id }, deliverAfter: clock.now(), createdAt: clock.now() })));
      const seen: string[] = [];
      const record = async (body: string) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen.push((JSON.parse(body) as { id: string }).id);
        return true;
      };
      const [a, b] = await Promise.all([testGateway(db, clock).deliverDueWebhooks(record), testGateway(db, clock).deliverDueWebhooks(record)]);
      expect(a + b).toBe(ids.length);
      expect(seen.sort()).toEqual([...ids].sort());
      expect(await db.select({ n: count() }).from(simWebhooks).where(isNull(simWebhooks.deliveredAt))).toEqual([{ n: 0 }]);
    } finally {
      await database.close();
    }
  });

  it("F1: refunds of one charge sent at once under different keys never return more than was paid (REFUND_EXCEEDS_PAYMENT)", async () => {
    const database = await createTestDatabase();
    try {
      const { db } = database;
      const bank = testGateway(db, clock);
      const charge = await bank.createPayment({ idempotencyKey: "pay-once", amountFen: 1_000n, reference: "p1", description: "deposit", returnUrl: "/" });
      await bank.submitCard(charge.providerRef, { number: CARD.succeeds, holderName: "竞买人" });
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => bank.refund({ idempotencyKey: `refund-${i}`, providerRef: charge.providerRef, amountFen: 400n })),
      );
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(2);
      for (const a of attempts) if (a.status === "rejected") expect(a.reason).toMatchObject({ code: "REFUND_EXCEEDS_PAYMENT" });
      expect((await bank.charge(charge.providerRef))!.refundedFen).toBe(800n);
      // A key that was refunded, sent again, is the provider's first answer, not a new refund.
      const first = attempts.findIndex((a) => a.status === "fulfilled");
      const again = await bank.refund({ idempotencyKey: `refund-${first}`, providerRef: charge.providerRef, amountFen: 400n });
      expect(again.providerRef).toBe((attempts[first] as PromiseFulfilledResult<{ providerRef: string }>).value.providerRef);
      expect((await bank.charge(charge.providerRef))!.refundedFen).toBe(800n);
    } finally {
      await database.close();
    }
  });
});
