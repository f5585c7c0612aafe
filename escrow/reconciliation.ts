import { and, eq, gte, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { ledgerTransfers, moneyOut, payments } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { authorize, type SessionUser } from "../identity/index.ts";
import type { GatewayRecord, PaymentGateway } from "./gateway.ts";

// Reconciliation (H6, P14): the platform's books — payments, money out and their ledger transfers — against the
// gateway's own records. Every difference is listed: a record missing on either side, an amount or a status that
// differs, or money the gateway moved that the ledger has not booked. It only reads; the daily job logs the result.

/** The daily run looks this far back, so a payment refunded weeks later is still compared. */
export const RECONCILIATION_WINDOW_MS = 31 * 24 * 60 * 60 * 1000;

export type DifferenceKind = "missing_at_gateway" | "missing_on_platform" | "amount" | "status" | "not_booked";

export interface Difference {
  kind: DifferenceKind;
  recordKind: GatewayRecord["kind"];
  providerRef: string | null;
  reference: string | null;
  platform: { status: string; amountFen: bigint } | null;
  gateway: { status: string; amountFen: bigint } | null;
}

export interface ReconciliationReport {
  gateway: string;
  since: Date;
  checkedAt: Date;
  platformRecords: number;
  gatewayRecords: number;
  differences: Difference[];
}

/** Our payment statuses and the gateway's that agree with each (a refused deposit was captured, then refunded). */
const PAYMENT_AGREES: Record<string, string[]> = {
  created: ["requires_payment_method"],
  requires_action: ["requires_action"],
  processing: ["processing"],
  succeeded: ["succeeded", "refunded"],
  refused: ["succeeded", "refunded"],
  failed: ["failed", "canceled", "requires_payment_method"],
};
/** Money out: sent means the gateway has it (its own status may already be final; the webhook follows). */
const MONEY_OUT_AGREES: Record<string, string[]> = {
  sent: ["pending", "succeeded"],
  succeeded: ["succeeded"],
  failed: ["failed"],
};

interface PlatformRecord {
  recordKind: GatewayRecord["kind"];
  providerRef: string | null;
  reference: string;
  status: string;
  amountFen: bigint;
  agrees: string[];
  /** The ledger key that books it when the gateway says the money moved, and whether it is booked. */
  booked: boolean | null;
}

async function platformRecords(db: Db, gatewayId: string, since: Date): Promise<PlatformRecord[]> {
  const ps = await db
    .select()
    .from(payments)
    .where(and(eq(payments.gateway, gatewayId), gte(payments.createdAt, since), isNotNull(payments.providerRef)));
  const outs = await db
    .select()
    .from(moneyOut)
    .where(and(eq(moneyOut.gateway, gatewayId), gte(moneyOut.createdAt, since), isNotNull(moneyOut.providerRef)));
  const keys = [...ps.map((p) => `payment:${p.id}`), ...outs.map((m) => `${m.idempotencyKey}#${m.attempts}:post`)];
  const booked = new Set(
    keys.length ? (await db.select({ key: ledgerTransfers.idempotencyKey }).from(ledgerTransfers).where(inArray(ledgerTransfers.idempotencyKey, keys))).map((t) => t.key) : [],
  );
  return [
    ...ps.map((p) => ({
      recordKind: "payment" as const,
      providerRef: p.providerRef,
      reference: p.id,
      status: p.status,
      amountFen: p.amountFen,
      agrees: PAYMENT_AGREES[p.status] ?? [],
      booked: p.status === "succeeded" || p.status === "refused" ? booked.has(`payment:${p.id}`) : null,
    })),
    ...outs.map((m) => ({
      recordKind: m.kind,
      providerRef: m.providerRef,
      reference: `${m.idempotencyKey}#${m.attempts}`,
      status: m.status,
      amountFen: m.amountFen,
      agrees: MONEY_OUT_AGREES[m.status] ?? [],
      booked: m.status === "succeeded" ? booked.has(`${m.idempotencyKey}#${m.attempts}:post`) : null,
    })),
  ];
}

/** Compares the two sides' records created since `since`. For the daily job; the admin's page goes through `reconciliationReport`. */
export async function reconcile(db: Db, clock: Clock, gateway: PaymentGateway, since: Date): Promise<ReconciliationReport> {
  const ours = await platformRecords(db, gateway.id, since);
  const theirs = await gateway.listRecords(since);
  const differences: Difference[] = [];
  const matched = new Set<GatewayRecord>();
  for (const p of ours) {
    const g = theirs.find((r) => r.providerRef === p.providerRef) ?? theirs.find((r) => r.kind === p.recordKind && r.reference === p.reference);
    const side = { status: p.status, amountFen: p.amountFen };
    const base = { recordKind: p.recordKind, providerRef: p.providerRef, reference: p.reference, platform: side };
    if (!g) {
      differences.push({ ...base, kind: "missing_at_gateway", gateway: null });
      continue;
    }
    matched.add(g);
    const theirSide = { status: g.status, amountFen: g.amountFen };
    if (g.amountFen !== p.amountFen) differences.push({ ...base, kind: "amount", gateway: theirSide });
    if (!p.agrees.includes(g.status)) differences.push({ ...base, kind: "status", gateway: theirSide });
    if (p.booked === false) differences.push({ ...base, kind: "not_booked", gateway: theirSide });
  }
  for (const g of theirs.filter((r) => !matched.has(r))) {
    differences.push({ kind: "missing_on_platform", recordKind: g.kind, providerRef: g.providerRef, reference: g.reference, platform: null, gateway: { status: g.status, amountFen: g.amountFen } });
  }
  return { gateway: gateway.id, since, checkedAt: clock.now(), platformRecords: ours.length, gatewayRecords: theirs.length, differences };
}

/** The admin runs the reconciliation on demand. */
export async function reconciliationReport(db: Db, clock: Clock, gateway: PaymentGateway, actor: SessionUser, since: Date): Promise<ReconciliationReport> {
  authorize(actor, "escrow.reconcile");
  return reconcile(db, clock, gateway, since);
}
