import type { Tx } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { openAccount, type Account } from "./ledger.ts";

// The ledger's accounts by what they hold (ADR 019). Opening is idempotent: each helper returns the one account for
// its owner, opening it on first use.

/** The payment gateway's clearing account: money in from payers, out to refunds and payees. */
export const clearingAccount = (tx: Tx, clock: Clock, gatewayId: string): Promise<Account> => openAccount(tx, clock, { kind: "clearing", owner: gatewayId });

/** One registration's deposit (C2), until it is released, applied or forfeited. */
export const depositAccount = (tx: Tx, clock: Clock, registrationId: string, caseId: string): Promise<Account> =>
  openAccount(tx, clock, { kind: "deposit", owner: registrationId, registrationId, caseId });

/** The case's execution-fund account (一案一账号, H4, H5, P14). */
export const caseEscrowAccount = (tx: Tx, clock: Clock, caseId: string): Promise<Account> => openAccount(tx, clock, { kind: "case_escrow", owner: caseId, caseId });

/** A distribution's payee in a case: court costs, a creditor (by party id, or by a payee key), the debtor's surplus. */
export function payeeAccount(
  tx: Tx,
  clock: Clock,
  caseId: string,
  payee: { kind: "court_costs" | "debtor_surplus" } | { kind: "creditor"; key: string; partyId: string | null; holderName: string },
): Promise<Account> {
  if (payee.kind === "creditor") {
    return openAccount(tx, clock, { kind: "creditor", owner: `${caseId}:${payee.key}`, caseId, partyId: payee.partyId, holderName: payee.holderName });
  }
  return openAccount(tx, clock, { kind: payee.kind, owner: caseId, caseId });
}
