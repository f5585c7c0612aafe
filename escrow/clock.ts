import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { sweepBalances } from "./balances.ts";
import { completeDistributions } from "./distribution.ts";
import { lotsAwaitingSettlement, settleLotDeposits } from "./deposits.ts";
import type { PaymentGateway } from "./gateway.ts";
import { sendDueMoneyOut } from "./money-out.ts";
import { recoverLostEvents } from "./webhooks.ts";

/**
 * The escrow's minute step, on any node, idempotent: asks the gateway about payments and money out whose webhook was
 * lost, settles closed lots a lost job missed (F1, F2), sends reminders and records defaults (P3, F4), then sends
 * refunds and payouts that are due or failed before, and marks distributions whose payouts have all landed as paid
 * (H8). Errors in one lot do not stop the others; they are returned
 * for the log.
 */
export async function runEscrowClock(db: Db, clock: Clock, gateway: PaymentGateway) {
  const errors: { step: string; id: string; error: unknown }[] = [];
  let released = 0;
  let recovered = 0;
  try {
    recovered = await recoverLostEvents(db, clock, gateway);
  } catch (error) {
    errors.push({ step: "recover-lost-events", id: gateway.id, error });
  }
  for (const lotId of await lotsAwaitingSettlement(db)) {
    try {
      released += (await settleLotDeposits(db, clock, lotId)).released;
    } catch (error) {
      errors.push({ step: "settle-lot", id: lotId, error });
    }
  }
  const balances = await sweepBalances(db, clock);
  const sent = await sendDueMoneyOut(db, clock, gateway);
  const distributionsPaid = await completeDistributions(db, clock);
  return { recovered, released, ...balances, sent, distributionsPaid, errors };
}
