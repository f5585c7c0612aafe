// The escrow context (DESIGN §3, ADR 019): the payment gateway port and its adapters, deposits, balances, the
// double-entry ledger, distribution and payouts, reconciliation. Other layers use it only through this file.
export type {
  PaymentGateway,
  GatewayPayment,
  GatewayTransfer,
  GatewayEvent,
  GatewayEventType,
  GatewayRecord,
  GatewayPaymentStatus,
  CreatePaymentRequest,
} from "./gateway.ts";
export { openAccount, findAccount, transfer, settlePending, verifyLedger, available, caseTransfers, caseAccounts, type Account, type Transfer, type LedgerDifference } from "./ledger.ts";
export { clearingAccount, depositAccount, caseEscrowAccount, payeeAccount } from "./accounts.ts";
export { requestMoneyOut, settleMoneyOut, sendDueMoneyOut, MAX_ATTEMPTS, type MoneyOut, type MoneyOutRequest } from "./money-out.ts";
export { startDepositPayment, startBalancePayment, settlePayment, latestPayment, type StartedPayment, type Payment } from "./payments.ts";
export { settleLotDeposits, releaseLotDeposits, lotsAwaitingSettlement } from "./deposits.ts";
export { revokeSale } from "./revocation.ts";
export { sweepBalances, REMINDER_BEFORE_MS } from "./balances.ts";
export { receiveWebhook, applyGatewayEvent, recoverLostEvents, ASK_GATEWAY_AFTER_MS } from "./webhooks.ts";
export { runEscrowClock } from "./clock.ts";
export { caseFundFlow, type FundFlow, type Movement, type AccountTotal, type FlowRole } from "./fund-flow.ts";
export { lotMoney, type LotMoney } from "./lot-money.ts";
export { ownMoney, ownBalanceDue, type LotMoneyOfBidder, type DepositState, type BalanceView } from "./my-money.ts";
export { reconcile, reconciliationReport, RECONCILIATION_WINDOW_MS, type ReconciliationReport, type Difference } from "./reconciliation.ts";
export {
  draftDistribution,
  approveDistribution,
  completeDistributions,
  caseEscrowBalance,
  caseDistributions,
  caseLedger,
  distributionDraftSchema,
  approveDistributionSchema,
  type Distribution,
  type DistributionLine,
  type DistributionDraft,
} from "./distribution.ts";
export { recordFees, recordFeesSchema, lotFees, type CaseFee, type RecordFeesInput } from "./fees.ts";
export { inquiryFeeShares, appraisalFeeBasis, reissueFee, type FeeShare, type PlatformResult, type AppraisalFeeBasis } from "./rules/fees.ts";
export { allocateDistribution, applyForfeitedDeposit, proRata, type Claim, type Allocation, type ForfeitureUses } from "./rules/distribution.ts";
export {
  createSimulatedGateway,
  isSimulatedGateway,
  redeliveryDelayMs,
  signPayload,
  TEST_CARDS,
  CONFIRMATION_CODE,
  FAILS_LATER_MS,
  SIGNATURE_HEADER,
  type SimulatedGateway,
  type SimCharge,
} from "./simulated-gateway.ts";
export { payDepositWithTestCard, payBalanceWithTestCard, deliverInProcess, SUCCEEDING_CARD } from "./simulated-payer.ts";
export { createStripeGateway, stripeErrorToAppError, type StripeGateway, type StripeGatewayOptions } from "./stripe-gateway.ts";
