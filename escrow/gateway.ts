/**
 * The payment gateway port (ADR 019). Two adapters implement it: `stripe` (the official SDK, against Stripe or
 * stripe-mock) and `simulated` (the embedded default, with its own books and a bank-like checkout page). Money is
 * captured into escrow when paid and refunded on release: no card authorisation outlives a 30-day registration.
 *
 * Everything that changes money is asynchronous at a real provider: a call returns what the provider knows now, and
 * the final word arrives as a signed webhook, parsed by `parseWebhook` into a GatewayEvent. Every call that creates
 * something carries an idempotency key, so a retry after a crash creates nothing twice.
 */
export type GatewayPaymentStatus = "requires_payment_method" | "requires_action" | "processing" | "succeeded" | "failed" | "canceled";
export type GatewayTransferStatus = "pending" | "succeeded" | "failed";

export interface CreatePaymentRequest {
  idempotencyKey: string;
  amountFen: bigint;
  /** Our payment id; the provider echoes it back in webhooks (metadata). */
  reference: string;
  description: string;
  /** Where the provider's checkout sends the payer back. */
  returnUrl: string;
}

export interface GatewayPayment {
  providerRef: string;
  status: GatewayPaymentStatus;
  amountFen: bigint;
  /** Where to send the payer to pay (a checkout page), when the provider has one. */
  redirectUrl: string | null;
  /** The instrument holder's name as the provider reports it (C2, P11); null until an instrument is attached. */
  holderName: string | null;
  failureCode: string | null;
}

export interface GatewayTransfer {
  providerRef: string;
  status: GatewayTransferStatus;
  amountFen: bigint;
}

export type GatewayEventType =
  | "payment.succeeded"
  | "payment.failed"
  | "payment.requires_action"
  | "payment.processing"
  | "refund.succeeded"
  | "refund.failed"
  | "payout.succeeded"
  | "payout.failed";

/** A webhook, verified and reduced to what the platform acts on. */
export interface GatewayEvent {
  /** The provider's event id: a replay carries the same one (gateway_events dedupes on it). */
  id: string;
  type: GatewayEventType;
  /** The payment, refund or payout it is about. */
  providerRef: string;
  /** Our reference (payment id, or money-out idempotency key) when the provider echoes it. */
  reference: string | null;
  amountFen: bigint;
  /** Null when the provider's event does not carry it (Stripe's has ids only): escrow/webhooks.ts asks getPayment. */
  holderName: string | null;
  failureCode: string | null;
  occurredAt: Date;
}

/** A record of the provider's, for reconciliation (money in and out as the provider sees it). */
export interface GatewayRecord {
  providerRef: string;
  kind: "payment" | "refund" | "payout";
  status: string;
  amountFen: bigint;
  reference: string | null;
}

export interface PaymentGateway {
  /** "stripe" or "simulated"; stored on each payment. */
  readonly id: string;
  /** Shown on every payment page: a simulated gateway moves no real money. */
  readonly simulated: boolean;
  createPayment(request: CreatePaymentRequest): Promise<GatewayPayment>;
  getPayment(providerRef: string): Promise<GatewayPayment>;
  /** Refunds (part of) a captured payment: a deposit's release (F1, G6). */
  refund(request: { idempotencyKey: string; providerRef: string; amountFen: bigint }): Promise<GatewayTransfer>;
  /** Pays a distribution's payee (H8). */
  payout(request: { idempotencyKey: string; amountFen: bigint; payeeName: string; description: string }): Promise<GatewayTransfer>;
  /** Verifies the signature (throws AppError WEBHOOK_SIGNATURE_INVALID) and parses the event. */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): GatewayEvent | null;
  /** The provider's records created since `since`, for reconciliation. */
  listRecords(since: Date): Promise<GatewayRecord[]>;
}
