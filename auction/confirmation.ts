import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { assets, cases, lots } from "../db/schema/index.ts";
import { renderConfirmationPdf } from "./confirmation-pdf.ts";
import { buyerOf } from "./public-reads.ts";
import { courts } from "../identity/index.ts";

export const PLATFORM_NAME = "人民法院司法拍卖与评估平台";

/**
 * The 网络竞价成功确认书 of a sold lot (E5), the one place the buyer's real identity is published (I3).
 * Null for any lot that is not sold. The same lot always gives the same document.
 */
export async function confirmationPdf(db: Db, lotId: string): Promise<Uint8Array | null> {
  const buyer = await buyerOf(db, lotId);
  if (!buyer) return null;
  const [row] = await db
    .select({ title: lots.title, closedAt: lots.closedAt, caseNumber: cases.caseNumber, courtName: courts.name })
    .from(lots)
    .innerJoin(assets, eq(assets.id, lots.assetId))
    .innerJoin(cases, eq(cases.id, assets.caseId))
    .innerJoin(courts, eq(courts.id, lots.courtId))
    .where(eq(lots.id, lotId));
  if (!row?.closedAt) return null;
  return renderConfirmationPdf({
    courtName: row.courtName,
    caseNumber: row.caseNumber,
    lotTitle: row.title,
    lotId,
    buyerName: buyer.name,
    buyerIdentityMasked: buyer.identityMasked,
    bidderCode: buyer.bidderCode,
    priceFen: buyer.priceFen,
    closedAt: row.closedAt,
    platformName: PLATFORM_NAME,
    issuedAt: row.closedAt,
    documentNumber: `QR-${row.closedAt.getUTCFullYear()}-${lotId.slice(0, 8).toUpperCase()}`,
  });
}
