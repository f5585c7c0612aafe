import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { ledgerAccounts, type TransferPurpose } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { cases, getPublicLot, linkedPartyOf, lotForSettlement } from "../auction/index.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import { caseTransfers, type Account, type Transfer } from "./ledger.ts";

// A case's fund flow (全程留痕、全程公开; H5, H6, P14): every movement of the case's money, for the court and the case's
// parties. Bidders stay anonymous (P4): a lot's deposits are shown only once its bidding has ended, and then only the
// buyer is named.

/** Who an account stands for, as the page says it; fee_payee: an appraisal agency or inquiry platform paid a fee (A26). */
export type FlowRole = "gateway" | "bidder" | "buyer" | "case_escrow" | "court_costs" | "creditor" | "debtor" | "fee_payee";

export interface FlowParty {
  accountId: string;
  role: FlowRole;
  /** The buyer's, a creditor's or a fee payee's name; null for everyone else (bidders are never named). */
  name: string | null;
}

export interface Movement {
  id: string;
  at: Date;
  amountFen: bigint;
  purpose: TransferPurpose;
  lotId: string | null;
  from: FlowParty;
  to: FlowParty;
  /** done: posted; in_progress: money on its way at the gateway; cancelled: it failed and the money stayed. */
  state: "done" | "in_progress" | "cancelled";
}

export interface AccountTotal extends FlowParty {
  inFen: bigint;
  outFen: bigint;
  /** Leaving, not yet confirmed by the gateway. */
  inProgressFen: bigint;
  balanceFen: bigint;
}

export interface FundFlow {
  caseId: string;
  caseNumber: string;
  movements: Movement[];
  accounts: AccountTotal[];
  /** The check line: every movement leaves one account and enters another, so the balances sum to zero. */
  check: { sumFen: bigint; balanced: boolean; ledgerAgrees: boolean };
  /** Some lot of the case is still open: its deposits are not shown until its bidding has ended (P4). */
  depositsWithheld: boolean;
}

const PAYEE_ROLES = {
  clearing: "gateway",
  case_escrow: "case_escrow",
  court_costs: "court_costs",
  creditor: "creditor",
  debtor_surplus: "debtor",
  // A26: a creditor's advances for the case's fees, and the agency or platform paid them.
  cost_advance: "creditor",
  fee_payee: "fee_payee",
} as const;
/** Accounts whose holder the page names: creditors (their claims and advances) and fee payees. */
const NAMED_KINDS: readonly Account["kind"][] = ["creditor", "cost_advance", "fee_payee"];

/** The court of the case (its judges and clerks) or a party linked to it by a confirmed link; anyone else is refused. */
async function authorizeCase(db: Db, actor: SessionUser | null, caseId: string) {
  const [theCase] = await db.select({ id: cases.id, caseNumber: cases.caseNumber, courtId: cases.courtId }).from(cases).where(eq(cases.id, caseId));
  if (!theCase) throw new AppError("NOT_FOUND");
  const staff = actor?.role === "judge" || actor?.role === "clerk";
  const isParty = !staff && actor !== null && (await linkedPartyOf(db, actor.id, caseId)) !== null;
  authorize(actor, staff ? "cases.manage" : "cases.party", staff ? { courtId: theCase.courtId } : { isParty });
  return theCase;
}

/** Per lot of the case: whether its bidding has ended, and its buyer's registration and name once sold. */
async function lotsOf(db: Db, clock: Clock, lotIds: string[]) {
  const result = new Map<string, { closed: boolean; buyerRegistrationId: string | null; buyerName: string | null }>();
  for (const lotId of lotIds) {
    const lot = await lotForSettlement(db, lotId);
    const closed = lot?.status === "sold" || lot?.status === "failed";
    const sold = lot?.status === "sold";
    const buyerName = sold ? ((await getPublicLot(db, clock, lotId))?.buyer?.name ?? null) : null;
    result.set(lotId, { closed, buyerRegistrationId: sold ? lot!.winnerRegistrationId : null, buyerName });
  }
  return result;
}

/** The case's fund flow, for its court and its parties (H5, H6, P14), with bidders hidden (P4). */
export async function caseFundFlow(db: Db, clock: Clock, actor: SessionUser | null, caseId: string): Promise<FundFlow> {
  const theCase = await authorizeCase(db, actor, caseId);
  const transfers = await caseTransfers(db, caseId);
  const lotInfo = await lotsOf(db, clock, [...new Set(transfers.flatMap((t) => (t.lotId ? [t.lotId] : [])))]);
  const open = (t: Transfer) => t.lotId !== null && !lotInfo.get(t.lotId)?.closed;
  const shown = transfers.filter((t) => !open(t));
  const accountIds = [...new Set(shown.flatMap((t) => [t.debitAccountId, t.creditAccountId]))];
  const accounts = accountIds.length ? await db.select().from(ledgerAccounts).where(inArray(ledgerAccounts.id, accountIds)) : [];
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const party = (account: Account): FlowParty => {
    if (account.kind !== "deposit") return { accountId: account.id, role: PAYEE_ROLES[account.kind], name: NAMED_KINDS.includes(account.kind) ? account.holderName : null };
    const buyer = [...lotInfo.values()].find((l) => l.buyerRegistrationId !== null && l.buyerRegistrationId === account.registrationId);
    return buyer ? { accountId: account.id, role: "buyer", name: buyer.buyerName } : { accountId: account.id, role: "bidder", name: null };
  };
  const movements = toMovements(shown, (id) => party(byId.get(id)!));
  const totals = accountTotals(movements);
  const sumFen = totals.reduce((s, a) => s + a.balanceFen, 0n);
  // The stored balances of the case's own accounts must be what its movements add up to (H6).
  const ledgerAgrees = totals.every((t) => {
    const a = byId.get(t.accountId)!;
    return a.kind === "clearing" || (a.creditsPostedFen - a.debitsPostedFen === t.balanceFen && a.debitsPendingFen === t.inProgressFen);
  });
  return {
    caseId: theCase.id,
    caseNumber: theCase.caseNumber,
    movements,
    accounts: totals,
    check: { sumFen, balanced: sumFen === 0n, ledgerAgrees },
    depositsWithheld: transfers.some(open),
  };
}

/** One movement per transfer the payer made: a pending transfer and its post or void are one movement. */
function toMovements(transfers: Transfer[], party: (accountId: string) => FlowParty): Movement[] {
  const completion = new Map(transfers.filter((t) => t.pendingId).map((t) => [t.pendingId!, t.kind]));
  return transfers
    .filter((t) => t.kind === "posted" || t.kind === "pending")
    .map((t) => ({
      id: t.id,
      at: t.createdAt,
      amountFen: t.amountFen,
      purpose: t.purpose,
      lotId: t.lotId,
      from: party(t.debitAccountId),
      to: party(t.creditAccountId),
      state: t.kind === "posted" || completion.get(t.id) === "post" ? "done" : completion.get(t.id) === "void" ? "cancelled" : "in_progress",
    }));
}

function accountTotals(movements: Movement[]): AccountTotal[] {
  const totals = new Map<string, AccountTotal>();
  const of = (p: FlowParty) => totals.get(p.accountId) ?? totals.set(p.accountId, { ...p, inFen: 0n, outFen: 0n, inProgressFen: 0n, balanceFen: 0n }).get(p.accountId)!;
  for (const m of movements) {
    const [from, to] = [of(m.from), of(m.to)];
    if (m.state === "in_progress") from.inProgressFen += m.amountFen;
    if (m.state !== "done") continue;
    from.outFen += m.amountFen;
    to.inFen += m.amountFen;
  }
  for (const t of totals.values()) t.balanceFen = t.inFen - t.outFen;
  return [...totals.values()];
}
