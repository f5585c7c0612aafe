import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { depositOutcomes, ledgerTransfers, payments } from "../db/schema/index.ts";
import { lotForSettlement } from "../auction/index.ts";

// The public's view of one lot's money (P14: "the public sees each lot's totals"). Nothing about deposits is told
// before bidding ends, not even a total, which would tell how many registered (P4).

export type LotMoney =
  | { closed: false }
  | {
      closed: true;
      /** Deposits paid and accepted for the lot. */
      depositsFen: bigint;
      releasedFen: bigint;
      appliedFen: bigint;
      forfeitedFen: bigint;
      priceFen: bigint | null;
      balancePaidFen: bigint;
      /** Paid out of the case's escrow by the judge's distribution (all the case's lots together). */
      caseDistributedFen: bigint;
    };

const total = sql<string>`coalesce(sum(amount_fen), 0)::text`;

/** The lot's money totals for the public page; null for a lot nobody may see. */
export async function lotMoney(db: Db, lotId: string): Promise<LotMoney | null> {
  const lot = await lotForSettlement(db, lotId);
  if (!lot || lot.status === "draft") return null;
  if (lot.status !== "sold" && lot.status !== "failed") return { closed: false };
  const paid = (kind: "deposit" | "balance") =>
    db.select({ fen: total }).from(payments).where(and(eq(payments.lotId, lotId), eq(payments.kind, kind), eq(payments.status, "succeeded")));
  const outcome = (kind: "released" | "applied" | "forfeited") =>
    db.select({ fen: total }).from(depositOutcomes).where(and(eq(depositOutcomes.lotId, lotId), eq(depositOutcomes.outcome, kind)));
  const distributed = db
    .select({ fen: total })
    .from(ledgerTransfers)
    .where(and(eq(ledgerTransfers.caseId, lot.caseId), eq(ledgerTransfers.purpose, "distribution"), inArray(ledgerTransfers.kind, ["posted", "post"])));
  const [[deposits], [balance], [released], [applied], [forfeited], [dist]] = await Promise.all([
    paid("deposit"),
    paid("balance"),
    outcome("released"),
    outcome("applied"),
    outcome("forfeited"),
    distributed,
  ]);
  return {
    closed: true,
    depositsFen: BigInt(deposits!.fen),
    releasedFen: BigInt(released!.fen),
    appliedFen: BigInt(applied!.fen),
    forfeitedFen: BigInt(forfeited!.fen),
    priceFen: lot.status === "sold" ? lot.priceFen : null,
    balancePaidFen: BigInt(balance!.fen),
    caseDistributedFen: BigInt(dist!.fen),
  };
}
