// What the procedure pages read besides `procedureView` (the court's page and the parties' view), the agencies
// the parties may agree on, the public draw's case, and the A10 mean as it would be fixed now. Nothing here writes.
import { and, asc, desc, eq, gt } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { agencyDraws, inquiryRequests, negotiationFigures, priceProcedures, type ObjectionStatus } from "../db/schema/index.ts";
import { AppError } from "../core/errors.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { courts, mask } from "../identity/index.ts";
import { assets, cases, referencePrices } from "../auction/index.ts";
import { partiesOf } from "./parties.ts";
import { listAgencies } from "./pool.ts";
import type { procedureView } from "./procedures.ts";
import { decideInquiryMean, reportingOver } from "./rules/inquiry.ts";
import { objectionPending } from "./rules/appraisal.ts";
import { specialtyForCategory } from "./rules/draw.ts";

type View = Awaited<ReturnType<typeof procedureView>>;

/**
 * What the procedure pages show besides `procedureView`: the parties, the draw, inquiry requests, figures, the
 * price, and the asset's newest procedure started after this one (a re-issue's new inquiry, A17, or any other).
 */
export async function procedureExtras(db: DbOrTx, view: View) {
  const procedureId = view.procedure.id;
  const parties = (await partiesOf(db, view.procedure.caseId)).map((p) => ({ id: p.id, role: p.role, name: p.name, identityNumber: mask(p.identityNumber) }));
  const [draw] = await db
    .select({ id: agencyDraws.id, entropyCutoffAt: agencyDraws.entropyCutoffAt, drawnAt: agencyDraws.drawnAt, regionCode: agencyDraws.regionCode, specialty: agencyDraws.specialty })
    .from(agencyDraws)
    .where(eq(agencyDraws.procedureId, procedureId));
  const requests =
    view.procedure.method === "online_inquiry" || view.procedure.method === "directed_inquiry"
      ? await db.select().from(inquiryRequests).where(eq(inquiryRequests.procedureId, procedureId)).orderBy(asc(inquiryRequests.addressee), asc(inquiryRequests.id))
      : [];
  const figures =
    view.procedure.method === "negotiation"
      ? await db
          .select({ partyId: negotiationFigures.partyId, amountFen: negotiationFigures.amountFen, submittedAt: negotiationFigures.submittedAt })
          .from(negotiationFigures)
          .where(eq(negotiationFigures.procedureId, procedureId))
      : [];
  const [price] = view.procedure.referencePriceId
    ? await db
        .select({ id: referencePrices.id, amountFen: referencePrices.amountFen, documentTitle: referencePrices.documentTitle, validFrom: referencePrices.validFrom, validUntil: referencePrices.validUntil, createdAt: referencePrices.createdAt })
        .from(referencePrices)
        .where(eq(referencePrices.id, view.procedure.referencePriceId))
    : [];
  const [newer] = await db
    .select({ id: priceProcedures.id })
    .from(priceProcedures)
    .where(and(eq(priceProcedures.assetId, view.procedure.assetId), gt(priceProcedures.startedAt, view.procedure.startedAt)))
    .orderBy(desc(priceProcedures.startedAt))
    .limit(1);
  // Who wrote each report: the agency of its commission, or the platform (or body) its request went to.
  const sourceOf = new Map<string, string>();
  for (const c of view.commissions) sourceOf.set(`c:${c.id}`, c.agencyName);
  for (const r of requests) sourceOf.set(`r:${r.id}`, addresseeName(r.addressee));
  const reports = view.reports.map((r) => ({
    ...r,
    source: (r.commissionId ? sourceOf.get(`c:${r.commissionId}`) : r.inquiryRequestId ? sourceOf.get(`r:${r.inquiryRequestId}`) : undefined) ?? "",
  }));
  const partyById = new Map(parties.map((p) => [p.id, p]));
  const objections = view.objections.map((o) => ({ ...o, partyRole: partyById.get(o.partyId)?.role ?? null, partyName: partyById.get(o.partyId)?.name ?? "" }));
  return {
    parties,
    draw: draw ?? null,
    requests,
    figures: figures.map((f) => ({ ...f, partyRole: partyById.get(f.partyId)?.role ?? null, partyName: partyById.get(f.partyId)?.name ?? "" })),
    price: price ?? null,
    newerProcedureId: newer?.id ?? null,
    reports,
    objections,
  };
}

export type ProcedureExtras = Awaited<ReturnType<typeof procedureExtras>>;

/** A directed inquiry's addressee is stored as "tax_authority: 国家税务总局…": the name is what people read. */
export function addresseeName(addressee: string): string {
  return addressee.replace(/^[a-z_]+: /, "");
}

/** A13: the agencies the parties may have agreed on — active on the list, on the asset's specialty sub-library. */
export async function agreeableAgencies(db: DbOrTx, category: Parameters<typeof specialtyForCategory>[0]) {
  const list = await listAgencies(db, { status: "active", specialty: specialtyForCategory(category) });
  return list.map((a) => ({ agencyId: a.agencyId, name: a.name, creditCode: a.creditCode }));
}

/** The draw of a procedure's case, for the public page: its case number and asset (no personal data). */
export async function drawContext(db: DbOrTx, procedureId: string) {
  const [row] = await db
    .select({ caseId: cases.id, caseNumber: cases.caseNumber, courtName: courts.name, assetTitle: assets.title, assetRegion: assets.regionCode, procedureStatus: priceProcedures.status })
    .from(priceProcedures)
    .innerJoin(cases, eq(cases.id, priceProcedures.caseId))
    .innerJoin(courts, eq(courts.id, cases.courtId))
    .innerJoin(assets, eq(assets.id, priceProcedures.assetId))
    .where(eq(priceProcedures.id, procedureId));
  if (!row) throw new AppError("NOT_FOUND");
  return row;
}

/**
 * A10: what the mean of the platforms' results would be if the judge fixed the price now — the same
 * decision the use case takes (fixInquiryPrice), shown beforehand. Each platform's current report is its
 * newest; reports with an uncorrected error (A9), expired ones and objected ones drop out.
 */
/**
 * A9, A10: each platform's current report as the mean reads it (its error, correction, set-aside and objections),
 * from an online inquiry's requests, reports and objections.
 */
export function platformResults(
  requests: readonly { id: string; platformId: string | null; errorMarkedAt: Date | null; correctedAt: Date | null }[],
  reports: readonly { id: string; inquiryRequestId: string | null; submittedAt: Date; valueFen: bigint; validUntil: Date; excluded: boolean }[],
  objections: readonly { reportId: string; status: ObjectionStatus }[],
) {
  return requests
    .filter((r) => r.platformId !== null)
    .flatMap((request) => {
      const own = reports.filter((r) => r.inquiryRequestId === request.id).sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
      const current = own[0];
      if (!current) return [];
      const ids = new Set(own.map((r) => r.id));
      const statuses = objections.filter((o) => ids.has(o.reportId)).map((o) => o.status);
      const objection = statuses.some((s) => objectionPending(s)) ? "pending" : current.excluded || statuses.includes("upheld") ? "upheld" : statuses.includes("rejected") ? "rejected" : "none";
      const errorMarked = request.errorMarkedAt !== null && (request.correctedAt === null || request.errorMarkedAt.getTime() > request.correctedAt.getTime());
      return [{ requestId: request.id, reportId: current.id, valueFen: current.valueFen, validUntil: current.validUntil, errorMarked, corrected: request.correctedAt !== null, excluded: current.excluded, objection: objection as "none" | "pending" | "upheld" | "rejected" }];
    });
}

export function inquiryMeanPreview(extras: ProcedureExtras, now: Date) {
  const requests = extras.requests.filter((r) => r.platformId !== null);
  const results = platformResults(requests, extras.reports, extras.objections);
  const decision = decideInquiryMean(results, now, CN_SPC_2016, { correctionsAsked: requests.some((r) => r.correctionDueAt !== null) });
  // The same close of reporting the use case waits for: until then the price cannot be fixed, whatever the mean.
  const reporting = extras.requests.map((r) => ({ hasReport: extras.reports.some((x) => x.inquiryRequestId === r.id), late: r.late, correctionDueAt: r.correctionDueAt, correctedAt: r.correctedAt }));
  const over = reportingOver(reporting, now);
  return decision.ok
    ? { ok: true as const, amountFen: decision.amountFen, used: decision.used.length, of: results.length, reportingOver: over }
    : { ok: false as const, reason: decision.reason, of: results.length, reportingOver: over };
}
