import Stripe from "stripe";
import { AppError } from "../core/errors.ts";
import type {
  CreatePaymentRequest,
  GatewayEvent,
  GatewayEventType,
  GatewayPayment,
  GatewayPaymentStatus,
  GatewayRecord,
  GatewayTransferStatus,
  PaymentGateway,
} from "./gateway.ts";

// The `stripe` adapter of the gateway port (ADR 019), on the official SDK. Host, port and protocol point it at Stripe
// or at stripe-mock. Amounts are fen, Stripe's minor unit for CNY. A deposit is a PaymentIntent captured at once
// (capture into escrow); a release is a Refund; a distribution's payment is a Payout. Every create carries our
// idempotency key as the SDK's request option, so Stripe answers a retry with its first answer.
// Stripe takes a return URL only when an intent is confirmed, so `returnUrl` goes with the confirmation (Stripe.js on
// the payment page, or confirmPayment), and `redirectUrl` is set once Stripe asks the payer to go somewhere.

export interface StripeGatewayOptions {
  apiKey: string;
  webhookSecret: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
}

/** The port, plus what operators and the contract tests need beyond it. */
export interface StripeGateway extends PaymentGateway {
  /** The SDK client: its `request`/`response` events show what went over the wire. */
  readonly client: Stripe;
  confirmPayment(providerRef: string, request: { paymentMethod: string; returnUrl: string }): Promise<GatewayPayment>;
  /** Captures an intent created with manual capture (the platform's own intents capture at once). */
  capturePayment(providerRef: string): Promise<GatewayPayment>;
  cancelPayment(providerRef: string): Promise<GatewayPayment>;
}

const CURRENCY = "cny";
const SIGNATURE_HEADER = "stripe-signature";
// Expanded on reads so the instrument holder's name (C2, P11) comes back with the payment.
const EXPAND = ["latest_charge", "payment_method"];

export function createStripeGateway(options: StripeGatewayOptions): StripeGateway {
  const client = new Stripe(options.apiKey, {
    host: options.host,
    port: options.port,
    protocol: options.protocol,
    // Retries resend the same idempotency key, so a lost answer never creates twice.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
  });

  return {
    id: "stripe",
    simulated: false,
    client,

    createPayment: (request: CreatePaymentRequest) =>
      call(async () => {
        const intent = await client.paymentIntents.create(
          {
            amount: toMinor(request.amountFen),
            currency: CURRENCY,
            capture_method: "automatic",
            description: request.description,
            metadata: { reference: request.reference },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return toPayment(intent);
      }),

    getPayment: (providerRef) => call(async () => toPayment(await client.paymentIntents.retrieve(providerRef, { expand: EXPAND }))),

    confirmPayment: (providerRef, request) =>
      call(async () =>
        toPayment(await client.paymentIntents.confirm(providerRef, { payment_method: request.paymentMethod, return_url: request.returnUrl, expand: EXPAND })),
      ),

    capturePayment: (providerRef) => call(async () => toPayment(await client.paymentIntents.capture(providerRef, { expand: EXPAND }))),

    cancelPayment: (providerRef) => call(async () => toPayment(await client.paymentIntents.cancel(providerRef, { expand: EXPAND }))),

    refund: (request) =>
      call(async () => {
        const refund = await client.refunds.create(
          { payment_intent: request.providerRef, amount: toMinor(request.amountFen), metadata: { reference: request.idempotencyKey } },
          { idempotencyKey: request.idempotencyKey },
        );
        return { providerRef: refund.id, status: refundStatus(refund.status), amountFen: BigInt(refund.amount) };
      }),

    payout: (request) =>
      call(async () => {
        const payout = await client.payouts.create(
          {
            amount: toMinor(request.amountFen),
            currency: CURRENCY,
            description: request.description,
            metadata: { reference: request.idempotencyKey, payee: request.payeeName },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { providerRef: payout.id, status: payoutStatus(payout.status), amountFen: BigInt(payout.amount) };
      }),

    parseWebhook(rawBody, headers) {
      const signature = headers[SIGNATURE_HEADER];
      if (typeof signature !== "string") throw new AppError("WEBHOOK_SIGNATURE_INVALID", { details: { reason: "missing signature header" } });
      let event: Stripe.Event;
      try {
        event = client.webhooks.constructEvent(rawBody, signature, options.webhookSecret);
      } catch (e) {
        throw new AppError("WEBHOOK_SIGNATURE_INVALID", { cause: e });
      }
      return toEvent(event);
    },

    listRecords: (since) =>
      call(async () => {
        const created = { gte: Math.floor(since.getTime() / 1000) };
        const records: GatewayRecord[] = [];
        for await (const intent of client.paymentIntents.list({ created, limit: 100 })) {
          records.push({ providerRef: intent.id, kind: "payment", status: intent.status, amountFen: BigInt(intent.amount), reference: intent.metadata?.reference ?? null });
        }
        for await (const refund of client.refunds.list({ created, limit: 100 })) {
          records.push({ providerRef: refund.id, kind: "refund", status: refund.status ?? "pending", amountFen: BigInt(refund.amount), reference: refund.metadata?.reference ?? null });
        }
        for await (const payout of client.payouts.list({ created, limit: 100 })) {
          records.push({ providerRef: payout.id, kind: "payout", status: payout.status, amountFen: BigInt(payout.amount), reference: payout.metadata?.reference ?? null });
        }
        return records;
      }),
  };
}

/** Fen as the SDK's number; anything that is not a positive safe integer is refused before Stripe sees it. */
function toMinor(amountFen: bigint): number {
  if (amountFen <= 0n || amountFen > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError("INVALID_AMOUNT", { details: { amountFen: amountFen.toString() } });
  return Number(amountFen);
}

async function call<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (e) {
    throw stripeErrorToAppError(e);
  }
}

/**
 * A declined card is the payer's to fix (PAYMENT_DECLINED); an amount Stripe refuses is INVALID_AMOUNT; an object
 * Stripe does not know is NOT_FOUND; anything else from Stripe (network, outage, keys, limits) is GATEWAY_UNAVAILABLE,
 * with Stripe's error kept as the cause for the logs.
 */
export function stripeErrorToAppError(e: unknown): unknown {
  if (!(e instanceof Stripe.errors.StripeError)) return e;
  const details = { type: e.type, code: e.code, declineCode: e.decline_code, statusCode: e.statusCode, requestId: e.requestId };
  if (e instanceof Stripe.errors.StripeCardError) return new AppError("PAYMENT_DECLINED", { cause: e, details });
  if (e instanceof Stripe.errors.StripeInvalidRequestError) {
    if (e.code === "amount_too_small" || e.code === "amount_too_large") return new AppError("INVALID_AMOUNT", { cause: e, details });
    if (e.statusCode === 404) return new AppError("NOT_FOUND", { cause: e, details });
  }
  return new AppError("GATEWAY_UNAVAILABLE", { cause: e, details });
}

function toPayment(intent: Stripe.PaymentIntent): GatewayPayment {
  return {
    providerRef: intent.id,
    status: paymentStatus(intent.status),
    amountFen: BigInt(intent.amount),
    redirectUrl: intent.next_action?.redirect_to_url?.url ?? intent.next_action?.alipay_handle_redirect?.url ?? null,
    holderName: holderName(intent),
    failureCode: intent.last_payment_error?.code ?? null,
  };
}

/**
 * A failed attempt sends an intent back to requires_payment_method (the payer may try again); the failure itself
 * arrives as payment_intent.payment_failed. An authorised, not yet captured intent is not money in escrow yet.
 */
function paymentStatus(status: Stripe.PaymentIntent.Status): GatewayPaymentStatus {
  switch (status) {
    case "requires_payment_method":
    case "requires_confirmation":
      return "requires_payment_method";
    case "requires_action":
      return "requires_action";
    case "processing":
    case "requires_capture":
      return "processing";
    case "succeeded":
      return "succeeded";
    case "canceled":
      return "canceled";
    default:
      // A status newer than this adapter: not money in escrow until Stripe says succeeded.
      return "processing";
  }
}

/** Only an expanded charge or payment method carries the name; a webhook's intent has ids only (null then). */
function holderName(intent: Stripe.PaymentIntent): string | null {
  const charge = intent.latest_charge;
  if (charge && typeof charge === "object" && charge.billing_details.name) return charge.billing_details.name;
  const method = intent.payment_method;
  if (method && typeof method === "object" && method.billing_details.name) return method.billing_details.name;
  return null;
}

function refundStatus(status: string | null): GatewayTransferStatus {
  if (status === "succeeded") return "succeeded";
  if (status === "failed" || status === "canceled") return "failed";
  return "pending";
}

function payoutStatus(status: string): GatewayTransferStatus {
  if (status === "paid") return "succeeded";
  if (status === "failed" || status === "canceled") return "failed";
  return "pending";
}

const PAYMENT_EVENTS: Partial<Record<Stripe.Event["type"], GatewayEventType>> = {
  "payment_intent.succeeded": "payment.succeeded",
  "payment_intent.payment_failed": "payment.failed",
  "payment_intent.requires_action": "payment.requires_action",
  "payment_intent.processing": "payment.processing",
};

/** Reduces a verified event to what the platform acts on; null for every other type and for a refund still on its way. */
function toEvent(event: Stripe.Event): GatewayEvent | null {
  const base = { id: event.id, occurredAt: new Date(event.created * 1000) };
  switch (event.type) {
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed":
    case "payment_intent.requires_action":
    case "payment_intent.processing": {
      const intent = event.data.object;
      return {
        ...base,
        type: PAYMENT_EVENTS[event.type]!,
        providerRef: intent.id,
        reference: intent.metadata?.reference ?? null,
        amountFen: BigInt(intent.amount),
        holderName: holderName(intent),
        failureCode: intent.last_payment_error?.code ?? null,
      };
    }
    case "refund.updated":
    case "refund.failed":
    case "charge.refund.updated": {
      const refund = event.data.object;
      const status = refundStatus(refund.status);
      if (status === "pending") return null;
      return {
        ...base,
        type: status === "succeeded" ? "refund.succeeded" : "refund.failed",
        providerRef: refund.id,
        reference: refund.metadata?.reference ?? null,
        amountFen: BigInt(refund.amount),
        holderName: null,
        failureCode: refund.failure_reason ?? null,
      };
    }
    case "payout.paid":
    case "payout.failed": {
      const payout = event.data.object;
      return {
        ...base,
        type: event.type === "payout.paid" ? "payout.succeeded" : "payout.failed",
        providerRef: payout.id,
        reference: payout.metadata?.reference ?? null,
        amountFen: BigInt(payout.amount),
        holderName: null,
        failureCode: payout.failure_code ?? null,
      };
    }
    default:
      return null;
  }
}
