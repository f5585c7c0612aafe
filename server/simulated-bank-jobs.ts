// The simulated bank delivers its webhooks as a real provider does: signed, over HTTP, to the platform's own
// endpoint (server/payment-webhooks.ts), retried with a growing wait until the platform answers 2xx
// (escrow/simulated-gateway.ts redeliveryDelayMs, counted in sim_webhooks.attempts).
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import { isSimulatedGateway, type PaymentGateway, type SimulatedGateway } from "../escrow/index.ts";
import { WEBHOOK_PATH } from "./payment-webhooks.ts";
import type { DatabaseOutage } from "./outage.ts";

const DELIVER_WEBHOOKS = "simulated-bank.deliver-webhooks";
/** How often the bank looks for webhooks to send: a payer back on the platform waits about this long. */
const EVERY_SECONDS = 3;
/** A platform that does not answer in this time has not acknowledged; the webhook is tried again later. */
const SEND_TIMEOUT_MS = 10_000;

/** Posts every due webhook of the simulated bank to the platform at `platformUrl`; answers how many were acknowledged. */
export function deliverSimulatedWebhooks(gateway: SimulatedGateway, platformUrl: string): Promise<number> {
  const endpoint = `${platformUrl}${WEBHOOK_PATH}/${gateway.id}`;
  return gateway.deliverDueWebhooks(async (body, headers) => {
    const res = await fetch(endpoint, { method: "POST", headers, body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.ok;
  });
}

/**
 * A pg-boss job every few seconds, on whichever node takes it: each run queues the next (one per time slot, however
 * many nodes run it), and a minute schedule starts the chain again if a run was lost. Nothing runs before the
 * platform listens (`platformUrl` answers null), nor for a real gateway, which delivers its own webhooks.
 */
export async function startSimulatedBankJobs(boss: PgBoss, gateway: PaymentGateway, platformUrl: () => string | null, log: Logger, outage: DatabaseOutage): Promise<void> {
  if (!isSimulatedGateway(gateway)) return;
  const next = () => boss.send(DELIVER_WEBHOOKS, {}, { startAfter: EVERY_SECONDS, singletonSeconds: EVERY_SECONDS });
  await boss.createQueue(DELIVER_WEBHOOKS);
  await boss.work(DELIVER_WEBHOOKS, async () => {
    try {
      const url = platformUrl();
      if (url) await deliverSimulatedWebhooks(gateway, url);
    } catch (error) {
      if (!outage.report(error, "simulated bank")) log.warn({ err: error }, "simulated bank: webhook delivery failed");
    } finally {
      await next();
    }
  });
  await boss.schedule(DELIVER_WEBHOOKS, "* * * * *");
  await next();
}
