import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity.ts";
import { assets, caseParties, cases, lots, registrations } from "./auction.ts";

const ts = (name: string) => timestamp(name, { withTimezone: true });
const fen = (name: string) => bigint(name, { mode: "bigint" });

/**
 * What a ledger account holds (ADR 019):
 * - clearing: money at the payment gateway (in from payers, out to refunds and payees); one per gateway.
 * - deposit: one registration's deposit (C2), from payment to release, forfeiture or application to the price.
 * - case_escrow: the case's execution-fund account (一案一账号, H4, H5, P14).
 * - court_costs, creditor, debtor_surplus: a distribution's payees (H3, P9), paid out through clearing.
 * - cost_advance: what an applicant creditor paid for the case outside the platform (A26's fees); like clearing, it
 *   is money from outside, so it may go below zero: its balance is what the creditor has advanced.
 * - fee_payee: an appraisal agency's or inquiry platform's fees in a case (A26), paid by a creditor's advance.
 */
export const LEDGER_ACCOUNT_KINDS = ["clearing", "deposit", "case_escrow", "court_costs", "creditor", "debtor_surplus", "cost_advance", "fee_payee"] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

/**
 * A double-entry account, TigerBeetle style. Its four balance columns are written only by the ledger trigger as
 * transfers are inserted (db/migrations/0013), and its flags are CHECK constraints on those columns, so no code path
 * can make an account overdraw or its balance disagree with its transfers.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The natural key that makes opening an account idempotent, e.g. `deposit:<registrationId>`. */
    key: text("key").notNull().unique(),
    kind: text("kind", { enum: LEDGER_ACCOUNT_KINDS }).notNull(),
    caseId: uuid("case_id").references(() => cases.id),
    registrationId: uuid("registration_id").references(() => registrations.id),
    partyId: uuid("party_id").references(() => caseParties.id),
    /** Who is paid from a payee account (a creditor not among the case's parties is named here). */
    holderName: text("holder_name"),
    debitsMustNotExceedCredits: boolean("debits_must_not_exceed_credits").notNull(),
    creditsMustNotExceedDebits: boolean("credits_must_not_exceed_debits").notNull(),
    debitsPendingFen: fen("debits_pending_fen").notNull().default(sql`0`),
    debitsPostedFen: fen("debits_posted_fen").notNull().default(sql`0`),
    creditsPendingFen: fen("credits_pending_fen").notNull().default(sql`0`),
    creditsPostedFen: fen("credits_posted_fen").notNull().default(sql`0`),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("ledger_accounts_case_idx").on(t.caseId),
    check("ledger_accounts_kind_check", sql`${t.kind} in ('clearing','deposit','case_escrow','court_costs','creditor','debtor_surplus','cost_advance','fee_payee')`),
    check(
      "ledger_accounts_balances_check",
      sql`${t.debitsPendingFen} >= 0 and ${t.debitsPostedFen} >= 0 and ${t.creditsPendingFen} >= 0 and ${t.creditsPostedFen} >= 0`,
    ),
    check(
      "ledger_accounts_debits_must_not_exceed_credits",
      sql`not ${t.debitsMustNotExceedCredits} or ${t.debitsPostedFen} + ${t.debitsPendingFen} <= ${t.creditsPostedFen}`,
    ),
    check(
      "ledger_accounts_credits_must_not_exceed_debits",
      sql`not ${t.creditsMustNotExceedDebits} or ${t.creditsPostedFen} + ${t.creditsPendingFen} <= ${t.debitsPostedFen}`,
    ),
  ],
);

/**
 * - posted: moves money at once.
 * - pending: reserves it on both accounts (a hold, or money in flight at the gateway).
 * - post / void: completes or cancels one pending transfer, for its whole amount, once.
 */
export const LEDGER_TRANSFER_KINDS = ["posted", "pending", "post", "void"] as const;
export type LedgerTransferKind = (typeof LEDGER_TRANSFER_KINDS)[number];

/** Why money moved; shown (in words) on the fund-flow pages. */
export const TRANSFER_PURPOSES = [
  "deposit_paid",
  "deposit_released",
  "deposit_to_escrow",
  "deposit_forfeited",
  "balance_paid",
  "distribution",
  "payout",
  "correction",
  /** G7, P2: a revoked sale's price (or deposit) goes back to the buyer. */
  "sale_revoked",
  /** A26: a creditor advanced a fee of the reference price to an agency or platform (borne by the debtor, H3). */
  "fee_advanced",
] as const;
export type TransferPurpose = (typeof TRANSFER_PURPOSES)[number];

/** Immutable, balanced by construction (one debit, one credit, one amount); UPDATE and DELETE are refused by trigger. */
export const ledgerTransfers = pgTable(
  "ledger_transfers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Every transfer carries one; writing the same key twice writes once (escrow/ledger.ts). */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    kind: text("kind", { enum: LEDGER_TRANSFER_KINDS }).notNull(),
    debitAccountId: uuid("debit_account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    creditAccountId: uuid("credit_account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: fen("amount_fen").notNull(),
    /** For post and void: the pending transfer they complete. */
    pendingId: uuid("pending_id"),
    purpose: text("purpose", { enum: TRANSFER_PURPOSES }).notNull(),
    caseId: uuid("case_id").references(() => cases.id),
    lotId: uuid("lot_id").references(() => lots.id),
    paymentId: uuid("payment_id"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("ledger_transfers_case_idx").on(t.caseId, t.createdAt),
    index("ledger_transfers_debit_idx").on(t.debitAccountId),
    index("ledger_transfers_credit_idx").on(t.creditAccountId),
    uniqueIndex("ledger_transfers_pending_once").on(t.pendingId).where(sql`pending_id is not null`),
    check("ledger_transfers_amount_check", sql`${t.amountFen} > 0`),
    check("ledger_transfers_accounts_check", sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check("ledger_transfers_kind_check", sql`${t.kind} in ('posted','pending','post','void')`),
    check("ledger_transfers_pending_check", sql`(${t.kind} in ('post','void')) = (${t.pendingId} is not null)`),
  ],
);

export const PAYMENT_KINDS = ["deposit", "balance"] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
/** Our side of a payment; the gateway's own state arrives by webhook and moves it on. */
export const PAYMENT_STATUSES = ["created", "requires_action", "processing", "succeeded", "failed", "refused"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payer's payment into the platform: a deposit (C2) or a winner's balance (F3, P3). */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: PAYMENT_KINDS }).notNull(),
    gateway: text("gateway").notNull(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id),
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    amountFen: fen("amount_fen").notNull(),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull(),
    /** The gateway's id for it (a PaymentIntent id, or the simulated gateway's charge id). */
    providerRef: text("provider_ref").unique(),
    /** For a deposit, the bidder's verified real name when it was started: the instrument must be in it (C2, P11). */
    payerName: text("payer_name"),
    /** The holder name the gateway reported for the instrument (C2, P11). */
    holderName: text("holder_name"),
    failureCode: text("failure_code"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    index("payments_registration_idx").on(t.registrationId),
    // A double click makes one payment: one open payment per registration and kind.
    uniqueIndex("payments_open_once").on(t.registrationId, t.kind).where(sql`status in ('created','requires_action','processing','succeeded')`),
    check("payments_amount_check", sql`${t.amountFen} > 0`),
    check("payments_status_check", sql`${t.status} in ('created','requires_action','processing','succeeded','failed','refused')`),
  ],
);

export const MONEY_OUT_KINDS = ["refund", "payout"] as const;
export const MONEY_OUT_STATUSES = ["pending", "sent", "succeeded", "failed"] as const;
export type MoneyOutStatus = (typeof MONEY_OUT_STATUSES)[number];

/**
 * Money leaving through the gateway: a deposit's refund (F1, G6) or a distribution's payout (H8). Its ledger
 * transfer is pending from the request and posted when the gateway confirms, voided (and retried) when it fails.
 */
export const moneyOut = pgTable(
  "money_out",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: MONEY_OUT_KINDS }).notNull(),
    /** The ledger idempotency key of the pending transfer; also the gateway's idempotency key. */
    idempotencyKey: text("idempotency_key").notNull().unique(),
    gateway: text("gateway").notNull(),
    paymentId: uuid("payment_id").references(() => payments.id),
    distributionLineId: uuid("distribution_line_id"),
    caseId: uuid("case_id").references(() => cases.id),
    amountFen: fen("amount_fen").notNull(),
    payeeName: text("payee_name").notNull(),
    status: text("status", { enum: MONEY_OUT_STATUSES }).notNull(),
    providerRef: text("provider_ref"),
    attempts: integer("attempts").notNull().default(0),
    failureCode: text("failure_code"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    index("money_out_status_idx").on(t.status),
    check("money_out_amount_check", sql`${t.amountFen} > 0`),
    check("money_out_status_check", sql`${t.status} in ('pending','sent','succeeded','failed')`),
  ],
);

/** Webhook deliveries already acted on: a replay finds its id here and changes nothing. */
export const gatewayEvents = pgTable(
  "gateway_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gateway: text("gateway").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    providerRef: text("provider_ref"),
    payload: jsonb("payload").notNull(),
    receivedAt: ts("received_at").notNull(),
  },
  (t) => [unique("gateway_events_unique").on(t.gateway, t.eventId)],
);

/**
 * Where a registration's deposit ended (F1, F2, F4, G6): exactly one outcome each. The unique key is the proof that no
 * deposit is released twice, or released and forfeited.
 */
export const DEPOSIT_OUTCOMES = ["released", "applied", "forfeited"] as const;
export type DepositOutcome = (typeof DEPOSIT_OUTCOMES)[number];
export const depositOutcomes = pgTable(
  "deposit_outcomes",
  {
    registrationId: uuid("registration_id")
      .primaryKey()
      .references(() => registrations.id),
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    outcome: text("outcome", { enum: DEPOSIT_OUTCOMES }).notNull(),
    amountFen: fen("amount_fen").notNull(),
    reason: text("reason").notNull(),
    decidedAt: ts("decided_at").notNull(),
  },
  (t) => [index("deposit_outcomes_lot_idx").on(t.lotId), check("deposit_outcomes_outcome_check", sql`${t.outcome} in ('released','applied','forfeited')`)],
);

/**
 * The winner's balance and its deadline (F3, P3); a default is recorded here (F4, C8), and a revocation (G7, P2) ends
 * it: what the buyer paid goes back.
 */
export const BALANCE_STATUSES = ["due", "paid", "defaulted", "revoked"] as const;
export const balancesDue = pgTable(
  "balances_due",
  {
    lotId: uuid("lot_id")
      .primaryKey()
      .references(() => lots.id),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id),
    /** The winner's account: only they pay the balance. */
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    priceFen: fen("price_fen").notNull(),
    depositAppliedFen: fen("deposit_applied_fen").notNull(),
    /** What a default forfeits (F4: the whole deposit; F9: a sale-off's deposit portion, the rest of the prepayment refunded). */
    forfeitableFen: fen("forfeitable_fen").notNull(),
    amountFen: fen("amount_fen").notNull(),
    dueAt: ts("due_at").notNull(),
    status: text("status", { enum: BALANCE_STATUSES }).notNull(),
    remindedAt: ts("reminded_at"),
    settledAt: ts("settled_at"),
  },
  (t) => [check("balances_due_status_check", sql`${t.status} in ('due','paid','defaulted','revoked')`)],
);

export const DISTRIBUTION_STATUSES = ["draft", "approved", "paid"] as const;
/** The judge's distribution of a case's escrow (分配方案, H3, H8, P9). */
export const distributions = pgTable(
  "distributions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    status: text("status", { enum: DISTRIBUTION_STATUSES }).notNull(),
    totalFen: fen("total_fen").notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: ts("created_at").notNull(),
    approvedBy: uuid("approved_by").references(() => users.id),
    approvedAt: ts("approved_at"),
    /** H8: payouts are due within 30 days of approval. */
    payBy: ts("pay_by"),
  },
  (t) => [
    index("distributions_case_idx").on(t.caseId),
    check("distributions_status_check", sql`${t.status} in ('draft','approved','paid')`),
  ],
);

/** advanced_costs: a fee a creditor advanced (A26), repaid to it as an execution cost, first (H3). */
export const PAYEE_KINDS = ["court_costs", "advanced_costs", "secured_creditor", "creditor", "debtor_surplus"] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];
export const distributionLines = pgTable(
  "distribution_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    distributionId: uuid("distribution_id")
      .notNull()
      .references(() => distributions.id),
    position: integer("position").notNull(),
    payeeKind: text("payee_kind", { enum: PAYEE_KINDS }).notNull(),
    payeeName: text("payee_name").notNull(),
    partyId: uuid("party_id").references(() => caseParties.id),
    /** Secured creditors' rank (1 first); null otherwise. */
    rank: integer("rank"),
    claimFen: fen("claim_fen").notNull(),
    amountFen: fen("amount_fen").notNull(),
    /** An advanced_costs line: the fee it repays (A26, H3). */
    caseFeeId: uuid("case_fee_id").references(() => caseFees.id),
  },
  (t) => [
    unique("distribution_lines_position_unique").on(t.distributionId, t.position),
    check("distribution_lines_amounts_check", sql`${t.claimFen} >= 0 and ${t.amountFen} >= 0`),
  ],
);

/** A26: which fee of a reference price. */
export const FEE_KINDS = ["inquiry", "appraisal", "reissue"] as const;
export type FeeKind = (typeof FEE_KINDS)[number];
/** A26: what the fee was computed on. */
export const FEE_BASES = ["closest_to_deal", "lower_of_value_and_deal", "actual_costs", "reissue_share"] as const;
export type FeeBasis = (typeof FEE_BASES)[number];

/**
 * A26: a fee of an asset's reference price, recorded per case once the figures are known (at the deal, or when
 * nothing sold): advanced by an applicant creditor, borne by the debtor (repaid to the creditor first in the
 * distribution, H3). Each is booked by one ledger transfer, cost_advance → fee_payee. One per asset, kind and payee.
 */
export const caseFees = pgTable(
  "case_fees",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id),
    /** The lot that sold, or the last one that failed. */
    lotId: uuid("lot_id")
      .notNull()
      .references(() => lots.id),
    kind: text("kind", { enum: FEE_KINDS }).notNull(),
    basis: text("basis", { enum: FEE_BASES }).notNull(),
    /** The inquiry platform's or appraisal agency's id, and its name as it was. */
    payeeId: uuid("payee_id").notNull(),
    payeeName: text("payee_name").notNull(),
    /** The court's figure: the fee as the scale or the bill gives it (an inquiry's whole fee, before any split). */
    enteredFen: fen("entered_fen").notNull(),
    /** The deal price, and the base the fee was computed on (lower of value and deal); null when nothing sold. */
    dealFen: fen("deal_fen"),
    baseFen: fen("base_fen"),
    amountFen: fen("amount_fen").notNull(),
    advancedByPartyId: uuid("advanced_by_party_id")
      .notNull()
      .references(() => caseParties.id),
    transferId: uuid("transfer_id")
      .notNull()
      .references(() => ledgerTransfers.id),
    recordedBy: uuid("recorded_by")
      .notNull()
      .references(() => users.id),
    recordedAt: ts("recorded_at").notNull(),
  },
  (t) => [
    unique("case_fees_once").on(t.assetId, t.kind, t.payeeId),
    index("case_fees_case_idx").on(t.caseId),
    check("case_fees_amount_check", sql`${t.amountFen} > 0 and ${t.enteredFen} > 0`),
  ],
);
