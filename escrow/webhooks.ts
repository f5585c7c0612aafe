import { and, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { gatewayEvents, moneyOut, payments } from "../db/schema/index.ts";
import { canonicalJson } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import type { GatewayEvent, PaymentGateway } from "./gateway.ts";
import { completeDistributions } from "./distribution.ts";
import { settleMoneyOut } from "./money-out.ts";
import { settlePayment } from "./payments.ts";

/**
 * A webhook from the gateway: verified by the adapter (a forged signature throws WEBHOOK_SIGNATURE_INVALID and
 * changes nothing), recorded by event id so a replay is acted on once, then applied. Every handler is idempotent and
 * checks the state it moves from, so an event out of order (a payment's failure after its success) changes nothing.
 */
export async function receiveWebhook(db: Db, clock: Clock, gateway: PaymentGateway, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<{ duplicate: boolean }> {
  const event = gateway.parseWebhook(rawBody, headers);
  if (!event) return { duplicate: false };
  const [fresh] = await db
    .insert(gatewayEvents)
    .values({
      gateway: gateway.id,
      eventId: event.id,
      type: event.type,
      providerRef: event.providerRef,
      payload: JSON.parse(canonicalJson(event)) as object,
      receivedAt: clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: gatewayEvents.id });
  if (!fresh) return { duplicate: true };
  try {
    await applyGatewayEvent(db, clock, gateway, event);
  } catch (error) {
    // Not acted on: forget the event, so the provider's redelivery (it retries on any non-2xx) applies it.
    await db.delete(gatewayEvents).where(eq(gatewayEvents.id, fresh.id));
    throw error;
  }
  return { duplicate: false };
}

/** Applies one event; also called by the sweeps with what the gateway reports when a webhook was lost. */
export async function applyGatewayEvent(db: Db, clock: Clock, gateway: PaymentGateway, event: GatewayEvent): Promise<void> {
  switch (event.type) {
    case "refund.succeeded":
    case "payout.succeeded": {
      const settled = await settleMoneyOut(db, clock, { providerRef: event.providerRef, reference: event.reference, succeeded: true, failureCode: null });
      // H8: the distribution is paid when its last payout lands.
      if (settled?.distributionLineId) await completeDistributions(db, clock, settled.distributionLineId);
      return;
    }
    case "refund.failed":
    case "payout.failed":
      await settleMoneyOut(db, clock, { providerRef: event.providerRef, reference: event.reference, succeeded: false, failureCode: event.failureCode });
      return;
    default:
      await settlePayment(db, clock, gateway, await withHolderName(gateway, event));
  }
}

/** A provider whose events carry ids only (Stripe) is asked for the holder's name (C2, P11) before a success is judged. */
async function withHolderName(gateway: PaymentGateway, event: GatewayEvent): Promise<GatewayEvent> {
  if (event.type !== "payment.succeeded" || event.holderName !== null) return event;
  return { ...event, holderName: (await gateway.getPayment(event.providerRef)).holderName };
}

/** The gateway is asked about a payment, refund or payout when its webhook has not come for this long. */
export const ASK_GATEWAY_AFTER_MS = 10 * 60_000;

/**
 * A webhook the provider counts as delivered may still never have reached us (a proxy's 200, a crash after the
 * answer). The sweep asks the gateway about payments and money out left waiting past ASK_GATEWAY_AFTER_MS and applies
 * its final word as the webhook would have; the webhook, if it comes after all, then changes nothing.
 */
export async function recoverLostEvents(db: Db, clock: Clock, gateway: PaymentGateway): Promise<number> {
  const before = new Date(clock.now().getTime() - ASK_GATEWAY_AFTER_MS);
  let recovered = 0;
  const waiting = await db
    .select({ id: payments.id, providerRef: payments.providerRef })
    .from(payments)
    .where(and(eq(payments.gateway, gateway.id), inArray(payments.status, ["created", "requires_action", "processing"]), isNotNull(payments.providerRef), lt(payments.updatedAt, before)));
  for (const p of waiting) {
    const remote = await gateway.getPayment(p.providerRef!);
    if (remote.status !== "succeeded" && remote.status !== "failed") continue;
    const type = remote.status === "succeeded" ? "payment.succeeded" : "payment.failed";
    await applyGatewayEvent(db, clock, gateway, { id: `asked:${p.providerRef}`, type, providerRef: p.providerRef!, reference: p.id, amountFen: remote.amountFen, holderName: remote.holderName, failureCode: remote.failureCode, occurredAt: clock.now() });
    recovered++;
  }
  const sent = await db.select().from(moneyOut).where(and(eq(moneyOut.gateway, gateway.id), eq(moneyOut.status, "sent"), lt(moneyOut.updatedAt, before)));
  if (sent.length === 0) return recovered;
  const since = new Date(Math.min(...sent.map((m) => m.updatedAt.getTime())) - ASK_GATEWAY_AFTER_MS);
  const records = new Map((await gateway.listRecords(since)).map((r) => [r.providerRef, r]));
  for (const m of sent) {
    const status = records.get(m.providerRef!)?.status;
    if (status !== "succeeded" && status !== "failed") continue;
    await settleMoneyOut(db, clock, { providerRef: m.providerRef!, succeeded: status === "succeeded", failureCode: status === "failed" ? "failed" : null });
    recovered++;
  }
  return recovered;
}
