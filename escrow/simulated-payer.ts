import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { ownRegistration } from "../auction/index.ts";
import type { SessionUser } from "../identity/index.ts";
import { startBalancePayment, startDepositPayment } from "./payments.ts";
import type { SimulatedGateway } from "./simulated-gateway.ts";
import { receiveWebhook } from "./webhooks.ts";

/** The test card that always succeeds. */
export const SUCCEEDING_CARD = "4242424242424242";

/**
 * A bidder pays the deposit on the simulated gateway's checkout with a test card, in the name given (by default
 * the bidder's own verified name), and the gateway's webhooks are delivered in process. For the demo data, the
 * benchmark and tests that need a paid deposit on the way to something else; the checkout page and the HTTP webhook
 * are tested on their own.
 */
export async function payDepositWithTestCard(
  db: Db,
  clock: Clock,
  gateway: SimulatedGateway,
  actor: SessionUser,
  lotId: string,
  card: { number?: string; holderName?: string } = {},
): Promise<{ bidderCode: string | null; paymentId: string }> {
  const started = await startDepositPayment(db, clock, gateway, actor, lotId, `/lots/${lotId}/deposit`);
  const chargeId = chargeIdOf(started);
  const holderName = card.holderName ?? (await db.query.payments.findFirst({ where: (p, { eq }) => eq(p.id, started.paymentId) }))!.payerName!;
  await gateway.submitCard(chargeId, { number: card.number ?? SUCCEEDING_CARD, holderName });
  await deliverInProcess(db, clock, gateway);
  // Another caller delivering at the same time may be applying this payment's webhook still: wait for its word.
  for (let waited = 0; waited < 10_000 && (await paymentStatus(db, started.paymentId)) === "created"; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { bidderCode: (await ownRegistration(db, actor, lotId))?.bidderCode ?? null, paymentId: started.paymentId };
}

/** The winner pays the sold lot's balance (F3) on the simulated gateway with a test card; webhooks are delivered in process. */
export async function payBalanceWithTestCard(db: Db, clock: Clock, gateway: SimulatedGateway, winner: SessionUser, lotId: string): Promise<{ paymentId: string }> {
  const started = await startBalancePayment(db, clock, gateway, winner, lotId, `/lots/${lotId}`);
  await gateway.submitCard(chargeIdOf(started), { number: SUCCEEDING_CARD, holderName: winner.displayName });
  await deliverInProcess(db, clock, gateway);
  return { paymentId: started.paymentId };
}

/** The checkout the platform sent the payer to ends in the simulated bank's charge id. */
const chargeIdOf = (started: { redirectUrl: string | null }) => started.redirectUrl!.split("/").pop()!;

async function paymentStatus(db: Db, paymentId: string) {
  return (await db.query.payments.findFirst({ columns: { status: true }, where: (p, { eq }) => eq(p.id, paymentId) }))!.status;
}

/** Delivers the simulated gateway's due webhooks straight to the platform's handler, as the HTTP endpoint would. */
export function deliverInProcess(db: Db, clock: Clock, gateway: SimulatedGateway): Promise<number> {
  return gateway.deliverDueWebhooks(async (body, headers) => {
    await receiveWebhook(db, clock, gateway, Buffer.from(body), headers);
    return true;
  });
}
