import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { applyForLot, ownRegistration } from "../../auction/index.ts";
import { TestClock } from "../../core/clock.ts";
import { AppError, type ErrorCode } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { payments } from "../../db/schema/index.ts";
import { createStripeGateway, receiveWebhook, startDepositPayment, stripeErrorToAppError, type StripeGateway } from "../../escrow/index.ts";
import { makeBidder, makePublishedLot } from "../fixtures/auction.ts";
import { createTestDatabase } from "../support/database.ts";

// Contract tests of the `stripe` adapter (ADR 019). The calls run against stripe-mock, which checks each request
// against Stripe's OpenAPI description and answers with its fixtures, reflecting some of what was sent (amount,
// currency, description, the Idempotency-Key header); it keeps no state, so a retrieve answers with a fixture.
// Webhooks and the error table need no server and always run.

const STRIPE_MOCK_URL = process.env.STRIPE_MOCK_URL ?? "http://127.0.0.1:12111";
const API_KEY = "sk_test_123";
const WEBHOOK_SECRET = "whsec_contract_tests";
// tests/run.ts reads this file to say in its closing line that the contract tests were skipped.
const SKIP_MARKER = path.resolve(import.meta.dirname, "../../test-results/stripe-mock-skipped.txt");

async function stripeMockAnswers(url: string): Promise<boolean> {
  try {
    const answer = await fetch(new URL("/v1/balance", url), { headers: { authorization: `Bearer ${API_KEY}` }, signal: AbortSignal.timeout(2_000) });
    return answer.ok;
  } catch {
    return false;
  }
}

const mockRunning = await stripeMockAnswers(STRIPE_MOCK_URL);
// CI must run them: there a missing stripe-mock is a failure, never a quiet skip.
const required = process.env.CI === "true";
if (!mockRunning && !required) {
  mkdirSync(path.dirname(SKIP_MARKER), { recursive: true });
  writeFileSync(SKIP_MARKER, `stripe-mock not running at ${STRIPE_MOCK_URL}\n`);
}

function gatewayAt(url: string, apiKey = API_KEY): StripeGateway {
  const { hostname, port, protocol } = new URL(url);
  return createStripeGateway({ apiKey, webhookSecret: WEBHOOK_SECRET, host: hostname, port: Number(port), protocol: protocol === "https:" ? "https" : "http" });
}

/** What went over the wire: each answered request's method, path, status and echoed idempotency key. */
function recordResponses(gateway: StripeGateway) {
  const seen: { method: string | undefined; path: string | undefined; status: number | undefined; idempotencyKey: string | undefined }[] = [];
  gateway.client.on("response", (event: Stripe.ResponseEvent) => seen.push({ method: event.method, path: event.path, status: event.status, idempotencyKey: event.idempotency_key }));
  return seen;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.skipIf(!mockRunning && !required)("the stripe gateway against stripe-mock (ADR 019)", () => {
  let gateway: StripeGateway;
  let wire: ReturnType<typeof recordResponses>;

  // Each test fails (not only the file) so the run's count says so.
  beforeEach(() => {
    if (!mockRunning) throw new Error(`stripe-mock is missing: nothing answers at ${STRIPE_MOCK_URL}. Start it (~/go/bin/stripe-mock -http-port 12111) or let .ci/run install and start it.`);
  });
  beforeAll(() => {
    gateway = gatewayAt(STRIPE_MOCK_URL);
    wire = recordResponses(gateway);
  });
  afterEach(() => {
    wire.length = 0;
  });

  it("C2: a deposit is a PaymentIntent for its amount in fen, created once under our idempotency key", async () => {
    const payment = await gateway.createPayment({
      idempotencyKey: "deposit:reg-1#1",
      amountFen: 5_000_000n,
      reference: "pay-1",
      description: "Deposit for lot 1",
      returnUrl: "https://platform.example/lots/1/deposit",
    });
    expect(payment.providerRef).toMatch(/^pi_/);
    expect(payment.amountFen).toBe(5_000_000n);
    expect(payment.status).toBe("requires_payment_method");
    expect(payment.holderName).toBeNull();
    expect(wire).toEqual([{ method: "POST", path: "/v1/payment_intents", status: 200, idempotencyKey: "deposit:reg-1#1" }]);
  });

  it("C2, P11: reading a payment expands its charge and payment method, where the holder's name is", async () => {
    const payment = await gateway.getPayment("pi_123");
    expect(payment).toMatchObject({ providerRef: "pi_123", status: "requires_payment_method", redirectUrl: null });
    expect(typeof payment.amountFen).toBe("bigint");
    // Unexpanded, stripe-mock's intent has no charge at all; its expanded charge fixture is paid by "Jenny Rosen".
    expect(payment.holderName).toBe("Jenny Rosen");
    expect(wire[0]).toMatchObject({ method: "GET", status: 200 });
    expect(decodeURIComponent(wire[0]!.path!)).toContain("expand[0]=latest_charge");
  });

  it("confirm, capture and cancel reach their PaymentIntent endpoints", async () => {
    const confirmed = await gateway.confirmPayment("pi_123", { paymentMethod: "pm_card_visa", returnUrl: "https://platform.example/back" });
    const captured = await gateway.capturePayment("pi_123");
    const canceled = await gateway.cancelPayment("pi_123");
    for (const payment of [confirmed, captured, canceled]) expect(payment.providerRef).toBe("pi_123");
    expect(wire.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/v1/payment_intents/pi_123/confirm", 200],
      ["POST", "/v1/payment_intents/pi_123/capture", 200],
      ["POST", "/v1/payment_intents/pi_123/cancel", 200],
    ]);
  });

  it("F1: a release is a Refund of the payment for its amount, under our idempotency key", async () => {
    const refund = await gateway.refund({ idempotencyKey: "release:reg-1#1", providerRef: "pi_123", amountFen: 5_000_000n });
    expect(refund.providerRef).toMatch(/^re_/);
    expect(refund.amountFen).toBe(5_000_000n);
    // stripe-mock's refund fixture has succeeded: money-out posts it at once.
    expect(refund.status).toBe("succeeded");
    expect(wire).toEqual([{ method: "POST", path: "/v1/refunds", status: 200, idempotencyKey: "release:reg-1#1" }]);
  });

  it("H8: a payee's payment is a Payout in CNY, pending while in transit, under our idempotency key", async () => {
    const payout = await gateway.payout({ idempotencyKey: "payout:line-1#1", amountFen: 123_456n, payeeName: "张三", description: "payout:line-1" });
    expect(payout.providerRef).toMatch(/^po_/);
    expect(payout.amountFen).toBe(123_456n);
    expect(payout.status).toBe("pending");
    expect(wire).toEqual([{ method: "POST", path: "/v1/payouts", status: 200, idempotencyKey: "payout:line-1#1" }]);
  });

  it("H5, P14: reconciliation lists payments, refunds and payouts created since a time", async () => {
    const since = new Date("2026-12-01T00:00:00Z");
    const records = await gateway.listRecords(since);
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(["payment", "refund", "payout"]));
    for (const record of records) expect(typeof record.amountFen).toBe("bigint");
    const created = `created[gte]=${since.getTime() / 1000}`;
    expect(wire.map((r) => decodeURIComponent(r.path!))).toEqual([
      expect.stringMatching(/^\/v1\/payment_intents\?/),
      expect.stringMatching(/^\/v1\/refunds\?/),
      expect.stringMatching(/^\/v1\/payouts\?/),
    ]);
    for (const r of wire) expect(decodeURIComponent(r.path!)).toContain(created);
  });

  it("an amount that is not a positive number of fen is refused before anything is sent", async () => {
    const request = { idempotencyKey: "deposit:reg-2#1", reference: "pay-2", description: "Deposit", returnUrl: "https://platform.example/" };
    for (const amountFen of [0n, -1n, 2n ** 53n]) expect((await refusal(gateway.createPayment({ ...request, amountFen }))).code).toBe("INVALID_AMOUNT");
    expect(wire).toEqual([]);
  });

  it("a reference Stripe has no object for is NOT_FOUND", async () => {
    // stripe-mock answers any well-formed id with a fixture; a path it has no route for gets Stripe's 404.
    const error = await refusal(gateway.getPayment("pi_123/unknown"));
    expect(error.code).toBe("NOT_FOUND");
    expect(wire).toEqual([expect.objectContaining({ status: 404 })]);
  });

  it("a key Stripe refuses is GATEWAY_UNAVAILABLE (503), with Stripe's error kept for the logs", async () => {
    const error = await refusal(gatewayAt(STRIPE_MOCK_URL, "not-a-key").getPayment("pi_123"));
    expect(error).toMatchObject({ code: "GATEWAY_UNAVAILABLE", status: 503 });
    expect(error.cause).toBeInstanceOf(Stripe.errors.StripeError);
  });
});

describe.skipIf(!mockRunning && !required)("a deposit through Stripe, end to end (C2, P11)", () => {
  const clock = new TestClock(new Date("2026-12-01T02:00:00Z"));
  let database: Database;
  const gateway = gatewayAt(STRIPE_MOCK_URL);

  beforeEach(() => {
    if (!mockRunning) throw new Error(`stripe-mock is missing: nothing answers at ${STRIPE_MOCK_URL}.`);
  });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());

  /** A bidder registered for a lot starts a deposit on Stripe; Stripe then reports it succeeded, by ids only. */
  async function depositPaidBy(name: string) {
    const { db } = database;
    const lot = await makePublishedLot(db, clock);
    const bidder = await makeBidder(db, clock, { name });
    await applyForLot(db, clock, bidder, lot.lotId, { acceptWarnings: true, declareNotBarred: true, housingEligibilityDeclared: true });
    const started = await startDepositPayment(db, clock, gateway, bidder, lot.lotId, "https://platform.example/back");
    const [payment] = await db.select().from(payments).where(eq(payments.id, started.paymentId));
    const payload = JSON.stringify({
      id: `evt_${started.paymentId}`,
      object: "event",
      type: "payment_intent.succeeded",
      created: clock.now().getTime() / 1000,
      data: { object: { id: payment!.providerRef, object: "payment_intent", amount: Number(payment!.amountFen), metadata: { reference: payment!.id }, latest_charge: "ch_1", payment_method: "pm_1", last_payment_error: null } },
    });
    const headers = { "stripe-signature": gateway.client.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) };
    await receiveWebhook(db, clock, gateway, Buffer.from(payload), headers);
    return { registration: await ownRegistration(db, bidder, lot.lotId), payment: (await db.select().from(payments).where(eq(payments.id, payment!.id)))[0]! };
  }

  it("C2: the holder's name missing from Stripe's webhook is read from Stripe; in the bidder's name, the deposit admits them", async () => {
    // stripe-mock's charge is paid by "Jenny Rosen".
    const { registration, payment } = await depositPaidBy("Jenny Rosen");
    expect(payment).toMatchObject({ status: "succeeded", holderName: "Jenny Rosen", gateway: "stripe" });
    expect(registration).toMatchObject({ status: "active" });
  });

  it("P11: paid from someone else's card, the Stripe deposit is refused (DEPOSIT_HOLDER_MISMATCH) and the bidder stays unpaid", async () => {
    const { registration, payment } = await depositPaidBy("张三");
    expect(payment).toMatchObject({ status: "refused", failureCode: "DEPOSIT_HOLDER_MISMATCH", holderName: "Jenny Rosen" });
    expect(registration).toMatchObject({ status: "awaiting_deposit" });
  });
});

describe("Stripe errors as refusals", () => {
  const cases: [string, Stripe.errors.StripeError, ErrorCode, number][] = [
    ["a declined card", new Stripe.errors.StripeCardError({ type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card was declined." }), "PAYMENT_DECLINED", 402],
    ["an amount below Stripe's minimum", new Stripe.errors.StripeInvalidRequestError({ type: "invalid_request_error", code: "amount_too_small", message: "Amount too small" }), "INVALID_AMOUNT", 400],
    ["an outage", new Stripe.errors.StripeAPIError({ type: "api_error", message: "Something went wrong" }), "GATEWAY_UNAVAILABLE", 503],
    ["too many requests", new Stripe.errors.StripeRateLimitError({ type: "rate_limit_error", message: "Too many requests" }), "GATEWAY_UNAVAILABLE", 503],
  ];
  it.each(cases)("%s", (_, stripeError, code, status) => {
    expect(stripeErrorToAppError(stripeError)).toMatchObject({ code, status, cause: stripeError });
  });

  it("an error that is not Stripe's passes through unchanged", () => {
    const error = new TypeError("a bug");
    expect(stripeErrorToAppError(error)).toBe(error);
  });

  it("Stripe out of reach is GATEWAY_UNAVAILABLE", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const error = await refusal(gatewayAt(`http://127.0.0.1:${port}`).getPayment("pi_123"));
    expect(error.code).toBe("GATEWAY_UNAVAILABLE");
    expect(error.cause).toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });
});

describe("Stripe webhooks", () => {
  const gateway = createStripeGateway({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
  const created = Date.UTC(2026, 11, 5, 2, 0, 0) / 1000;

  function signed(object: Record<string, unknown>, type: string, secret = WEBHOOK_SECRET) {
    const payload = JSON.stringify({ id: `evt_${type}`, object: "event", type, created, api_version: "2026-11-25", data: { object } });
    return { body: Buffer.from(payload), headers: { "stripe-signature": gateway.client.webhooks.generateTestHeaderString({ payload, secret }) } };
  }
  const parse = ({ body, headers }: ReturnType<typeof signed>) => gateway.parseWebhook(body, headers);

  const intent = (extra: Record<string, unknown> = {}) => ({
    id: "pi_1",
    object: "payment_intent",
    amount: 5_000_000,
    currency: "cny",
    metadata: { reference: "pay-1" },
    latest_charge: "ch_1",
    payment_method: "pm_1",
    last_payment_error: null,
    ...extra,
  });
  const refund = (status: string) => ({ id: "re_1", object: "refund", amount: 5_000_000, currency: "cny", status, metadata: { reference: "release:reg-1#1" }, failure_reason: status === "failed" ? "expired_or_canceled_card" : null });
  const payout = (extra: Record<string, unknown> = {}) => ({ id: "po_1", object: "payout", amount: 123_456, currency: "cny", status: "paid", metadata: { reference: "payout:line-1#1" }, failure_code: null, ...extra });

  it("C2: a signed payment_intent.succeeded is payment.succeeded, with our reference, the amount and the event id", () => {
    expect(parse(signed(intent(), "payment_intent.succeeded"))).toEqual({
      id: "evt_payment_intent.succeeded",
      type: "payment.succeeded",
      providerRef: "pi_1",
      reference: "pay-1",
      amountFen: 5_000_000n,
      holderName: null,
      failureCode: null,
      occurredAt: new Date("2026-12-05T02:00:00Z"),
    });
  });

  it("C2, P11: the holder's name comes from an expanded charge, else an expanded payment method", () => {
    const charge = { id: "ch_1", object: "charge", billing_details: { name: "张三" } };
    const method = { id: "pm_1", object: "payment_method", billing_details: { name: "李四" } };
    expect(parse(signed(intent({ latest_charge: charge, payment_method: method }), "payment_intent.succeeded"))?.holderName).toBe("张三");
    expect(parse(signed(intent({ payment_method: method }), "payment_intent.succeeded"))?.holderName).toBe("李四");
  });

  it("the other payment events map to their types, a failure with its code", () => {
    const failed = parse(signed(intent({ last_payment_error: { type: "card_error", code: "card_declined" } }), "payment_intent.payment_failed"));
    expect(failed).toMatchObject({ type: "payment.failed", failureCode: "card_declined" });
    expect(parse(signed(intent(), "payment_intent.requires_action"))?.type).toBe("payment.requires_action");
    expect(parse(signed(intent(), "payment_intent.processing"))?.type).toBe("payment.processing");
  });

  it("F1: a refund's final word maps to refund.succeeded or refund.failed; one still pending is not acted on", () => {
    expect(parse(signed(refund("succeeded"), "refund.updated"))).toMatchObject({ type: "refund.succeeded", providerRef: "re_1", reference: "release:reg-1#1", amountFen: 5_000_000n });
    expect(parse(signed(refund("failed"), "charge.refund.updated"))).toMatchObject({ type: "refund.failed", failureCode: "expired_or_canceled_card" });
    expect(parse(signed(refund("failed"), "refund.failed"))?.type).toBe("refund.failed");
    expect(parse(signed(refund("pending"), "refund.updated"))).toBeNull();
  });

  it("H8: payout.paid and payout.failed map to payout.succeeded and payout.failed", () => {
    expect(parse(signed(payout(), "payout.paid"))).toMatchObject({ type: "payout.succeeded", providerRef: "po_1", reference: "payout:line-1#1", amountFen: 123_456n });
    expect(parse(signed(payout({ status: "failed", failure_code: "account_closed" }), "payout.failed"))).toMatchObject({ type: "payout.failed", failureCode: "account_closed" });
  });

  it("an event the platform does not act on is null", () => {
    expect(parse(signed(intent(), "payment_intent.created"))).toBeNull();
    expect(parse(signed({ id: "cus_1", object: "customer" }, "customer.created"))).toBeNull();
  });

  it("a forged, altered or unsigned webhook is refused with WEBHOOK_SIGNATURE_INVALID", () => {
    const forged = signed(intent(), "payment_intent.succeeded", "whsec_someone_else");
    const genuine = signed(intent(), "payment_intent.succeeded");
    const altered = { body: Buffer.from(genuine.body.toString().replace("5000000", "1")), headers: genuine.headers };
    const attempts: [Buffer, Record<string, string | string[] | undefined>][] = [
      [forged.body, forged.headers],
      [altered.body, altered.headers],
      [genuine.body, {}],
      [genuine.body, { "stripe-signature": ["a", "b"] }],
    ];
    for (const [body, headers] of attempts) {
      expect(() => gateway.parseWebhook(body, headers)).toThrow(expect.objectContaining({ code: "WEBHOOK_SIGNATURE_INVALID", status: 400 }));
    }
  });
});
