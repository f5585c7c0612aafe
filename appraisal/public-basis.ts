// B8 (OJA 13): the pricing basis published with a lot's announcement: the appraisal report, or the inquiry results,
// that fixed the lot's reference price. Before a lot is announced these reports reach only the court, their authors
// and the parties (A19, reportFile); once it is announced the law has them shown on the platform, so they are public
// through the lot (docs/decisions/027). Nothing here names a bidder, and no report that did not fix the price is shown:
// not one set aside on an objection, nor one replaced by a later report, nor a platform's report the mean left out.
import { and, desc, eq, isNotNull, ne } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.ts";
import { agencyDraws, commissions, inquiryRequests, priceProcedures, reportObjections, valuationReports } from "../db/schema/index.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { lots, referencePrices, type PriceMethod } from "../auction/index.ts";
import { agencies, inquiryPlatforms } from "../identity/index.ts";
import { addresseeName, platformResults } from "./procedure-reads.ts";
import { decideInquiryMean } from "./rules/inquiry.ts";

export interface PublicPriceReport {
  id: string;
  /** Who wrote it: the appraisal agency, the inquiry platform, or the body a directed inquiry went to. */
  source: string;
  valuationMethod: string;
  valueFen: bigint;
  valuationDate: Date;
  sizeBytes: number;
  sha256: string;
}

export interface PublicPriceBasis {
  reports: PublicPriceReport[];
  /** The public draw that chose the appraisal agency (A13), when the agencies were drawn. */
  drawId: string | null;
}

/**
 * The reports behind an announced lot's reference price, for everyone; null for a lot that is not announced (a
 * draft, or no such lot). A price recorded by the court without a procedure on the platform has no report here.
 */
export async function lotPriceBasis(db: Db, lotId: string): Promise<PublicPriceBasis | null> {
  const basis = await priceBasis(db, lotId);
  return basis && { reports: basis.reports.map(({ payeeId: _, ...report }) => report), drawId: basis.drawId };
}

/** One report the price rests on, with the agency or platform that wrote it (null for a directed inquiry's body). */
export interface PricingReport extends PublicPriceReport {
  payeeId: string | null;
}

/**
 * A26: the reports an announced lot's reference price rests on, with who wrote each, and how the price was fixed:
 * the figures its fees are computed from (escrow/fees.ts).
 */
export async function lotPricing(db: DbOrTx, lotId: string): Promise<{ method: PriceMethod; reports: PricingReport[] } | null> {
  const basis = await priceBasis(db, lotId);
  return basis && { method: basis.method, reports: basis.reports };
}

async function priceBasis(db: DbOrTx, lotId: string): Promise<{ method: PriceMethod; reports: PricingReport[]; drawId: string | null } | null> {
  const [lot] = await db
    .select({ referencePriceId: lots.referencePriceId, method: referencePrices.method, amountFen: referencePrices.amountFen, fixedAt: referencePrices.createdAt })
    .from(lots)
    .innerJoin(referencePrices, eq(referencePrices.id, lots.referencePriceId))
    .where(and(eq(lots.id, lotId), ne(lots.status, "draft")));
  if (!lot) return null;
  // A3: an agreed price rests on the parties' figures, not on a report.
  if (lot.method === "negotiation") return { method: lot.method, reports: [], drawId: null };
  const [procedure] = await db.select({ id: priceProcedures.id }).from(priceProcedures).where(eq(priceProcedures.referencePriceId, lot.referencePriceId));
  if (!procedure) return { method: lot.method, reports: [], drawId: null };
  const rows = await db
    .select({
      r: {
        id: valuationReports.id,
        commissionId: valuationReports.commissionId,
        inquiryRequestId: valuationReports.inquiryRequestId,
        valuationMethod: valuationReports.valuationMethod,
        valueFen: valuationReports.valueFen,
        valuationDate: valuationReports.valuationDate,
        validUntil: valuationReports.validUntil,
        submittedAt: valuationReports.submittedAt,
        deliveredAt: valuationReports.deliveredAt,
        excluded: valuationReports.excluded,
        sizeBytes: valuationReports.sizeBytes,
        sha256: valuationReports.sha256,
      },
      agency: agencies.name,
      agencyId: agencies.id,
      platform: inquiryPlatforms.name,
      platformId: inquiryPlatforms.id,
      addressee: inquiryRequests.addressee,
    })
    .from(valuationReports)
    .leftJoin(commissions, eq(commissions.id, valuationReports.commissionId))
    .leftJoin(agencies, eq(agencies.id, commissions.agencyId))
    .leftJoin(inquiryRequests, eq(inquiryRequests.id, valuationReports.inquiryRequestId))
    .leftJoin(inquiryPlatforms, eq(inquiryPlatforms.id, inquiryRequests.platformId))
    .where(eq(valuationReports.procedureId, procedure.id))
    .orderBy(desc(valuationReports.submittedAt), desc(valuationReports.id));
  const toReport = (row: (typeof rows)[number]): PricingReport => ({
    id: row.r.id,
    payeeId: row.agencyId ?? row.platformId ?? null,
    source: row.agency ?? row.platform ?? (row.addressee ? addresseeName(row.addressee) : ""),
    valuationMethod: row.r.valuationMethod,
    valueFen: row.r.valueFen,
    valuationDate: row.r.valuationDate,
    sizeBytes: row.r.sizeBytes,
    sha256: row.r.sha256,
  });
  // Only reports the parties received (A19) and that were not set aside (A10, A20).
  const usable = rows.filter((row) => row.r.deliveredAt !== null && !row.r.excluded);
  let reports: PricingReport[];
  if (lot.method === "appraisal") {
    // A14: the price is the value of the one report it was fixed from (the newest usable, or one the judge named).
    const fixedFrom = usable.find((row) => row.r.commissionId !== null && row.r.valueFen === lot.amountFen);
    reports = fixedFrom ? [toReport(fixedFrom)] : [];
  } else if (lot.method === "directed_inquiry") {
    // A4: the body's answer is the price.
    reports = usable.filter((row) => row.r.inquiryRequestId !== null && row.r.valueFen === lot.amountFen).slice(0, 1).map(toReport);
  } else {
    // A9, A10: the platforms' reports the mean was taken from, decided again as at the instant the price was fixed.
    const requests = await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedure.id));
    const objections = await db
      .select({ reportId: reportObjections.reportId, status: reportObjections.status })
      .from(reportObjections)
      .innerJoin(valuationReports, eq(valuationReports.id, reportObjections.reportId))
      .where(eq(valuationReports.procedureId, procedure.id));
    const decision = decideInquiryMean(platformResults(requests, rows.map((row) => row.r), objections), lot.fixedAt, CN_SPC_2016, {
      correctionsAsked: requests.some((r) => r.correctionDueAt !== null),
    });
    const used = new Set(decision.ok ? decision.used : []);
    reports = usable.filter((row) => used.has(row.r.id)).map(toReport);
  }
  const [draw] = lot.method === "appraisal" ? await db.select({ id: agencyDraws.id }).from(agencyDraws).where(and(eq(agencyDraws.procedureId, procedure.id), isNotNull(agencyDraws.drawnAt))) : [];
  return { method: lot.method, reports, drawId: draw?.id ?? null };
}

/** The PDF of one report of an announced lot's pricing basis; null when it is not part of that basis. */
export async function lotPriceReportFile(db: Db, lotId: string, reportId: string): Promise<{ content: Uint8Array; sha256: string } | null> {
  const basis = await lotPriceBasis(db, lotId);
  if (!basis?.reports.some((r) => r.id === reportId)) return null;
  const [row] = await db.select({ content: valuationReports.content, sha256: valuationReports.sha256 }).from(valuationReports).where(eq(valuationReports.id, reportId));
  return row ?? null;
}
