import type { Tx } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import { openAccount, type Account } from "./ledger.ts";

// The ledger's accounts by what they hold (ADR 019). Opening is idempotent: each helper returns the one account for
// its owner, opening it on first use.

/**
 * The payment gateway's clearing account (money in from payers, out to refunds and payees) is split into
 * CLEARING_SHARDS accounts, the gateway's balance being their sum. Nearly every transfer goes through it, and a
 * transfer holds its accounts' rows locked until it commits: one account would make every payment, refund and payout
 * of the platform wait for the one before. It has no overdraft flag, so a shard may go either way. The shard follows
 * the other account of the transfer, so a deposit's payment and its refund use the same one (ADR 019).
 */
export const CLEARING_SHARDS = 16;

export async function clearingAccount(tx: Tx, clock: Clock, gatewayId: string, counterpart: Pick<Account, "id">): Promise<Account> {
  return (await clearingAccounts(tx, clock, [{ gatewayId, counterpart }]))[0]!;
}

/** The clearing account of each transfer to be written, each shard looked up once. */
export async function clearingAccounts(tx: Tx, clock: Clock, transfers: readonly { gatewayId: string; counterpart: Pick<Account, "id"> }[]): Promise<Account[]> {
  const owners = transfers.map((t) => clearingOwner(t.gatewayId, t.counterpart.id));
  const opened = new Map(await Promise.all([...new Set(owners)].map(async (owner) => [owner, await openAccount(tx, clock, { kind: "clearing", owner })] as const)));
  return owners.map((owner) => opened.get(owner)!);
}

/** Shard 0 keeps the gateway's own name, the account books opened before the split already hold. */
function clearingOwner(gatewayId: string, accountId: string): string {
  const shard = Number.parseInt(accountId.slice(-4), 16) % CLEARING_SHARDS;
  return shard === 0 ? gatewayId : `${gatewayId}/${shard}`;
}

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

/** A26: what an applicant creditor advanced for the case's fees, outside the platform; it may go below zero. */
export const costAdvanceAccount = (tx: Tx, clock: Clock, caseId: string, creditor: { partyId: string; name: string }): Promise<Account> =>
  openAccount(tx, clock, { kind: "cost_advance", owner: `${caseId}:${creditor.partyId}`, caseId, partyId: creditor.partyId, holderName: creditor.name });

/** A26: an appraisal agency's or inquiry platform's fees in a case. */
export const feePayeeAccount = (tx: Tx, clock: Clock, caseId: string, payee: { id: string; name: string }): Promise<Account> =>
  openAccount(tx, clock, { kind: "fee_payee", owner: `${caseId}:${payee.id}`, caseId, holderName: payee.name });
