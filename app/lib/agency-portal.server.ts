// Read-only queries for the appraisal agencies' pages (/agency). An agency member sees only their own
// agency's commissions and what the court forwarded to it; another agency's commission is forbidden
// and an unknown id is not found. Nothing here reads registrations or bidders (P4).
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  agencyConflicts,
  assets,
  cases,
  commissionExtensions,
  commissions,
  courts,
  priceProcedures,
  reportObjections,
  valuationReports,
} from "../../db/schema/index.ts";
import { AppError } from "../../core/errors.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { mask, type SessionUser } from "../../identity/index.ts";
import { latestExtensionRequestAt } from "../../appraisal/index.ts";


function agencyOf(user: SessionUser): string {
  if (user.role !== "agency_member" || !user.agencyId) throw new AppError("FORBIDDEN");
  return user.agencyId;
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
  const withDue = rows.map((r) => ({ ...r, dueAt: currentDueAt(r) }));
  const open = withDue.filter((r) => r.dueAt !== null).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime());
  const rest = withDue.filter((r) => r.dueAt === null);
  return [...open, ...rest];
}

/** One commission of the member's agency with its case, asset, extensions, reports and the objections forwarded to it. */
export async function getAgencyCommission(db: Db, user: SessionUser, commissionId: string) {
  const agencyId = agencyOf(user);
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
      asset: {
        id: assets.id,
        title: assets.title,
        category: assets.category,
        regionCode: assets.regionCode,
        description: assets.description,
        encumbrances: assets.encumbrances,
        occupancy: assets.occupancy,
        knownDefects: assets.knownDefects,
      },
    })
    .from(commissions)
    .innerJoin(priceProcedures, eq(priceProcedures.id, commissions.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(commissions.id, commissionId));
  if (!row) throw new AppError("NOT_FOUND");
  if (row.commission.agencyId !== agencyId) throw new AppError("FORBIDDEN");
  const extensions = await db
    .select({ id: commissionExtensions.id, days: commissionExtensions.days, reason: commissionExtensions.reason, requestedAt: commissionExtensions.requestedAt, previousDueAt: commissionExtensions.previousDueAt, newDueAt: commissionExtensions.newDueAt })
    .from(commissionExtensions)
    .where(eq(commissionExtensions.commissionId, commissionId))
    .orderBy(asc(commissionExtensions.requestedAt));
  const reports = await db
    .select({
      id: valuationReports.id,
      valuationMethod: valuationReports.valuationMethod,
      valueFen: valuationReports.valueFen,
      valuationDate: valuationReports.valuationDate,
      validUntil: valuationReports.validUntil,
      fileName: valuationReports.fileName,
      sizeBytes: valuationReports.sizeBytes,
      sha256: valuationReports.sha256,
      submittedAt: valuationReports.submittedAt,
      deliveredAt: valuationReports.deliveredAt,
      objectionDueAt: valuationReports.objectionDueAt,
      excluded: valuationReports.excluded,
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
  const objections =
    reports.length === 0
      ? []
      : await db
          .select({
            id: reportObjections.id,
            reportId: reportObjections.reportId,
            kind: reportObjections.kind,
            grounds: reportObjections.grounds,
            status: reportObjections.status,
            filedAt: reportObjections.filedAt,
            forwardedAt: reportObjections.forwardedAt,
            answerDueAt: reportObjections.answerDueAt,
            answer: reportObjections.answer,
            answeredAt: reportObjections.answeredAt,
            decision: reportObjections.decision,
          })
          .from(reportObjections)
          .where(and(inArray(reportObjections.reportId, reports.map((r) => r.id)), isNotNull(reportObjections.forwardedAt)))
          .orderBy(asc(reportObjections.forwardedAt));
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
