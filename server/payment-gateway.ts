import { createHmac } from "node:crypto";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { createSimulatedGateway, createStripeGateway, type PaymentGateway, type SimulatedGateway } from "../escrow/index.ts";
import type { GatewaySettings } from "./config.ts";

/** Where the simulated gateway's checkout page lives (app/routes/simulated-bank.tsx). */
export const SIMULATED_CHECKOUT_BASE = "/simulated-bank";

/** The simulated gateway signs its webhooks with a key derived from the session secret: nothing more to configure. */
export function simulatedWebhookSecret(sessionSecret: string): string {
  return createHmac("sha256", sessionSecret).update("simulated payment gateway webhooks").digest("hex");
}

export function simulatedGateway(db: Db, clock: Clock, sessionSecret: string): SimulatedGateway {
  return createSimulatedGateway(db, clock, { secret: simulatedWebhookSecret(sessionSecret), checkoutBase: SIMULATED_CHECKOUT_BASE });
}

/** The configured gateway: Stripe when PAYMENT_GATEWAY=stripe, else the simulated one (the default, ADR 019). */
export function paymentGatewayFor(settings: GatewaySettings, db: Db, clock: Clock, sessionSecret: string): PaymentGateway {
  if (settings.kind === "stripe") return createStripeGateway(settings);
  return simulatedGateway(db, clock, sessionSecret);
}
