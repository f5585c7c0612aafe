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
