// What an appraisal agency's members read (/agency and the agencies' JSON API): their agency's commissions,
// one commission with what the court forwarded to it, and the conflicts the agency declared. Another agency's
// commission is forbidden and an unknown id is not found. Nothing here reads registrations or bidders (P4).
import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { agencyConflicts, commissionExtensions, commissions, priceProcedures, reportObjections, valuationReports } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { authorize, courts, mask, type SessionUser } from "../identity/index.ts";
import { assets, cases } from "../auction/index.ts";
import { assetFactColumns, forwardedObjections, sentReportColumns, soonestDueFirst } from "./portal-reads.ts";
import { latestExtensionRequestAt } from "./rules/appraisal.ts";

/** The member's agency: only agency members work on its commissions. */
function agencyOf(user: SessionUser): string {
  authorize(user, "agency.work", { agencyId: user.agencyId });
  return user.agencyId!;
}

/** The deadline that matters now for a commission in this status, or null once nothing is due. */
export function currentDueAt(c: { status: string; offerExpiresAt: Date | null; reportDueAt: Date | null; materialsDueAt: Date | null; materialsReturnedAt: Date | null }): Date | null {
  if (c.status === "offered") return c.offerExpiresAt;
  if (c.status === "accepted") return c.reportDueAt;
  if (c.status === "overdue") return c.materialsReturnedAt ? null : c.materialsDueAt;
  return null;
}

/** The agency's commissions: those with something due first, soonest deadline first; then the rest, newest first. */
export async function listAgencyCommissions(db: Db, user: SessionUser) {
  const agencyId = agencyOf(user);
  const rows = await db
    .select({
      id: commissions.id,
      status: commissions.status,
      rank: commissions.rank,
      offeredAt: commissions.offeredAt,
      offerExpiresAt: commissions.offerExpiresAt,
      reportDueAt: commissions.reportDueAt,
      materialsDueAt: commissions.materialsDueAt,
      materialsReturnedAt: commissions.materialsReturnedAt,
      procedureStatus: priceProcedures.status,
      caseNumber: cases.caseNumber,
      courtName: courts.name,
      assetTitle: assets.title,
      assetCategory: assets.category,
      regionCode: assets.regionCode,
    })
    .from(commissions)
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(commissions.agencyId, agencyId))
    .orderBy(desc(commissions.offeredAt))
    .limit(500);
  return soonestDueFirst(
    rows.map((r) => ({ ...r, dueAt: currentDueAt(r) })),
    (r) => r.dueAt,
    (r) => r.offeredAt,
  );
}

/** One commission of the member's agency with its case, asset, extensions, reports and the objections forwarded to it. */
export async function getAgencyCommission(db: Db, user: SessionUser, commissionId: string) {
  agencyOf(user);
  const [row] = await db
    .select({
      commission: commissions,
      procedure: {
        id: priceProcedures.id,
        status: priceProcedures.status,
        method: priceProcedures.method,
        selection: priceProcedures.selection,
        suspendedAt: priceProcedures.suspendedAt,
      },
      caseNumber: cases.caseNumber,
      courtName: courts.name,
      asset: assetFactColumns,
    })
    .from(commissions)
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(commissions.id, commissionId));
  if (!row) throw new AppError("NOT_FOUND");
  authorize(user, "agency.work", { agencyId: row.commission.agencyId });
  const extensions = await db
    .select({ id: commissionExtensions.id, days: commissionExtensions.days, reason: commissionExtensions.reason, requestedAt: commissionExtensions.requestedAt, previousDueAt: commissionExtensions.previousDueAt, newDueAt: commissionExtensions.newDueAt })
    .from(commissionExtensions)
    .where(eq(commissionExtensions.commissionId, commissionId))
    .orderBy(asc(commissionExtensions.requestedAt));
  const reports = await db
    .select({
      ...sentReportColumns,
      objectionDueAt: valuationReports.objectionDueAt,
      // A18: a defect the court marked, and the agency's 3 days to explain or correct it.
      defectKind: valuationReports.defectKind,
      defectNote: valuationReports.defectNote,
      defectMarkedAt: valuationReports.defectMarkedAt,
      defectDueAt: valuationReports.defectDueAt,
      defectExplanation: valuationReports.defectExplanation,
      defectAnsweredAt: valuationReports.defectAnsweredAt,
      defectOverdueAt: valuationReports.defectOverdueAt,
    })
    .from(valuationReports)
    .where(eq(valuationReports.commissionId, commissionId))
    .orderBy(desc(valuationReports.submittedAt));
  // A21: the agency sees a technical objection once the court forwarded it; who objected stays with the court.
  const objections = await forwardedObjections(
    db,
    reports.map((r) => r.id),
    { reportId: reportObjections.reportId, filedAt: reportObjections.filedAt, decision: reportObjections.decision },
  );
  const c = row.commission;
  return {
    commission: {
      id: c.id,
      rank: c.rank,
      status: c.status,
      offeredAt: c.offeredAt,
      offerExpiresAt: c.offerExpiresAt,
      respondedAt: c.respondedAt,
      declineReason: c.declineReason,
      reportDueAt: c.reportDueAt,
      extensionsUsed: c.extensionsUsed,
      materialsDueAt: c.materialsDueAt,
      materialsReturnedAt: c.materialsReturnedAt,
      latestExtensionAt: c.reportDueAt ? latestExtensionRequestAt(CN_SPC_2016, c.reportDueAt) : null,
    },
    procedure: row.procedure,
    caseNumber: row.caseNumber,
    courtName: row.courtName,
    asset: row.asset,
    extensions,
    reports,
    objections,
  };
}

/** The conflicts the agency declared; identity numbers masked on screen (I1). */
export async function listAgencyConflicts(db: Db, user: SessionUser) {
  const agencyId = agencyOf(user);
  const rows = await db
    .select({ id: agencyConflicts.id, identityNumber: agencyConflicts.identityNumber, relationship: agencyConflicts.relationship, declaredAt: agencyConflicts.declaredAt })
    .from(agencyConflicts)
    .where(eq(agencyConflicts.agencyId, agencyId))
    .orderBy(desc(agencyConflicts.declaredAt));
  return rows.map((r) => ({ ...r, identityNumber: mask(r.identityNumber) }));
}
