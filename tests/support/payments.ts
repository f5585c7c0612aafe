import type { Db } from "../../db/client.ts";
import type { Clock } from "../../core/clock.ts";
import { createSimulatedGateway, payBalanceWithTestCard, payDepositWithTestCard, type SimulatedGateway } from "../../escrow/index.ts";
import type { SessionUser } from "../../identity/index.ts";

export const TEST_WEBHOOK_SECRET = "test-webhook-secret-0123456789abcdef";

/** The simulated gateway over the test's database and clock (stateless object; its state is in the database). */
export function testGateway(db: Db, clock: Clock): SimulatedGateway {
  return createSimulatedGateway(db, clock, { secret: TEST_WEBHOOK_SECRET, checkoutBase: "/pay" });
}

/** Pays the bidder's deposit with a test card on the simulated gateway and delivers its webhooks. */
export function payDeposit(db: Db, clock: Clock, actor: SessionUser, lotId: string, card: { number?: string; holderName?: string } = {}) {
  return payDepositWithTestCard(db, clock, testGateway(db, clock), actor, lotId, card);
}

/** The winner pays the balance with a test card on the simulated gateway; its webhooks are delivered. */
export function payBalance(db: Db, clock: Clock, winner: SessionUser, lotId: string) {
  return payBalanceWithTestCard(db, clock, testGateway(db, clock), winner, lotId);
}
