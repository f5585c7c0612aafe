// What an online-inquiry platform's staff read (/platform): one request of their platform with the asset, the
// deadlines, the reports sent and the objections forwarded. Another platform's request is forbidden and an
// unknown id not found.
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { inquiryRequests, priceProcedures, valuationReports } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { authorize, courts, type SessionUser } from "../identity/index.ts";
import { assets, cases } from "../auction/index.ts";
import { assetFactColumns, forwardedObjections, sentReportColumns, soonestDueFirst } from "./portal-reads.ts";

/** What the platform still has to do on a request, and by when (A8, A9); null when nothing is due. */
export function pendingDueAt(r: { procedureStatus: string; reported: boolean; late: boolean; dueAt: Date; correctionDueAt: Date | null; correctedAt: Date | null }): Date | null {
  if (r.procedureStatus !== "open" || r.late) return null;
  if (!r.reported) return r.dueAt;
  if (r.correctionDueAt && !r.correctedAt) return r.correctionDueAt;
  return null;
}

/** Requests with something due first, soonest first; then the rest, newest first. */
export function sortRequests<T extends { dueSoon: Date | null; sentAt: Date }>(rows: T[]): T[] {
  return soonestDueFirst(
    rows,
    (r) => r.dueSoon,
    (r) => r.sentAt,
  );
}

/** One request of the user's platform: the asset to price, the deadlines, the reports sent and objections forwarded. */
export async function getPlatformRequest(db: Db, user: SessionUser, requestId: string) {
  authorize(user, "platform.work", { platformId: user.platformId });
  const [row] = await db
    .select({
      request: inquiryRequests,
      procedureStatus: priceProcedures.status,
      caseNumber: cases.caseNumber,
      courtName: courts.name,
      asset: { ...assetFactColumns, lease: assets.lease, taxes: assets.taxes },
    })
    .from(inquiryRequests)
    .innerJoin(priceProcedures, eq(priceProcedures.id, inquiryRequests.procedureId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .where(eq(inquiryRequests.id, requestId));
  // A directed inquiry's request has no platform: not something a platform can open.
  if (!row || row.request.platformId === null) throw new AppError("NOT_FOUND");
  authorize(user, "platform.work", { platformId: row.request.platformId });
  const reports = await db.select(sentReportColumns).from(valuationReports).where(eq(valuationReports.inquiryRequestId, requestId)).orderBy(desc(valuationReports.submittedAt));
  const objections = await forwardedObjections(
    db,
    reports.map((x) => x.id),
  );
  const r = row.request;
  return {
    request: {
      id: r.id,
      sentAt: r.sentAt,
      dueAt: r.dueAt,
      extensionRequestedAt: r.extensionRequestedAt,
      extended: r.extended,
      late: r.late,
      errorNote: r.errorNote,
      correctionDueAt: r.correctionDueAt,
      correctedAt: r.correctedAt,
    },
    procedureStatus: row.procedureStatus,
    caseNumber: row.caseNumber,
    courtName: row.courtName,
    asset: row.asset,
    reports,
    objections,
  };
}
