// What the agencies' and the inquiry platforms' portals both read: the asset they price, the reports they sent,
// the objections the court forwarded to them (A21), and the order their work is listed in.
import { and, asc, inArray, isNotNull } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.ts";
import { reportObjections, valuationReports } from "../db/schema/index.ts";
import { assets } from "../auction/index.ts";

/** Those with something due first, soonest first; then the rest, newest first. */
export function soonestDueFirst<T>(rows: T[], dueAt: (row: T) => Date | null, since: (row: T) => Date): T[] {
  const open = rows.filter((r) => dueAt(r) !== null).sort((a, b) => dueAt(a)!.getTime() - dueAt(b)!.getTime());
  const rest = rows.filter((r) => dueAt(r) === null).sort((a, b) => since(b).getTime() - since(a).getTime());
  return [...open, ...rest];
}

/** What an agency or a platform reads about the asset it prices. */
export const assetFactColumns = {
  id: assets.id,
  title: assets.title,
  category: assets.category,
  regionCode: assets.regionCode,
  description: assets.description,
  encumbrances: assets.encumbrances,
  occupancy: assets.occupancy,
  knownDefects: assets.knownDefects,
};

/** What an agency or a platform sees of the reports it sent. */
export const sentReportColumns = {
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
  excluded: valuationReports.excluded,
};

const forwardedColumns = {
  id: reportObjections.id,
  kind: reportObjections.kind,
  grounds: reportObjections.grounds,
  status: reportObjections.status,
  forwardedAt: reportObjections.forwardedAt,
  answerDueAt: reportObjections.answerDueAt,
  answer: reportObjections.answer,
  answeredAt: reportObjections.answeredAt,
};

/**
 * A21: the objections to these reports once the court forwarded them, in the order it did; who objected
 * stays with the court. `extra` adds columns a page needs besides the common ones.
 */
export async function forwardedObjections<E extends SelectedFields>(db: Db, reportIds: string[], extra: E = {} as E) {
  if (reportIds.length === 0) return [];
  return db
    .select({ ...forwardedColumns, ...extra })
    .from(reportObjections)
    .where(and(inArray(reportObjections.reportId, reportIds), isNotNull(reportObjections.forwardedAt)))
    .orderBy(asc(reportObjections.forwardedAt));
}
