// What the agencies' and the inquiry platforms' pages (and their JSON API) share: reading a report upload,
// the report form's parsing, the answer to a forwarded objection (A21), and the columns both portals read.
// The rules themselves stay in the appraisal context's use cases; this only adapts forms to them.
import { and, asc, inArray, isNotNull } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import { assets, reportObjections, valuationReports } from "../../db/schema/index.ts";
import type { Clock } from "../../core/clock.ts";
import { answerObjection, checkReportUpload, REPORT_MAX_BYTES, type UploadedFile } from "../../appraisal/index.ts";
import type { SessionUser } from "../../identity/index.ts";
import { rowTextForm } from "./appraisal-forms.server.ts";
import { formFailure, pageId, parseForm } from "./forms.server.ts";

/** The multipart body around the file (field names, boundaries) never needs more than this. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** Whether the request says it is larger than a report plus the form around it: refused before it is read. */
export function uploadTooLarge(request: Request): boolean {
  return Number(request.headers.get("content-length") ?? 0) > REPORT_MAX_BYTES + FORM_OVERHEAD_BYTES;
}

/** The PDF in the form's `file` field, or null when none was chosen. */
export async function uploadedFile(form: FormData): Promise<UploadedFile | null> {
  const upload = form.get("file");
  return upload instanceof File && upload.name !== "" ? { name: upload.name, type: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) } : null;
}

/** The fields of the report form, agency's or platform's, first or corrected. */
export const REPORT_FIELDS = ["valuationMethod", "valueFen", "valuationDate", "validUntil", "file"] as const;

/** The page's answer to an upload over the limit, on the report form. */
export function reportTooLarge() {
  return formFailure("report", {}, { file: "file.error.tooLarge.document" }, [], 413);
}

type Failure = ReturnType<typeof formFailure>;

/**
 * The report form read for a use case: value typed in yuan, dates as Asia/Shanghai days (the validity to
 * the end of its day), and the file. On a fault, every one is named at once, the fields' and the file's,
 * as a failure of form `formName`.
 */
export async function readReportForm<S extends z.ZodType>(
  schema: S,
  form: FormData,
  values: Record<string, string>,
  formName: string,
): Promise<{ ok: true; input: z.output<S> & { file: UploadedFile | null } } | { ok: false; failure: Failure }> {
  const file = await uploadedFile(form);
  const parsed = parseForm(schema, values, { yuan: ["valueFen"], dates: ["valuationDate", "validUntil"], endOfDay: ["validUntil"] });
  if (!parsed.ok) {
    const checked = checkReportUpload(file);
    return { ok: false, failure: formFailure(formName, values, { ...parsed.fields, ...(checked.ok ? {} : { file: checked.error }) }, [], 400) };
  }
  return { ok: true, input: Object.assign({}, parsed.data as z.output<S>, { file }) };
}

/**
 * A21: the agency's or platform's answer to an objection the court forwarded, from the form whose field is
 * `answer-<objectionId>`. Returns the failure to show, or null once answered.
 */
export async function answerForwardedObjection(db: Db, clock: Clock, user: SessionUser, values: Record<string, string>): Promise<Failure | null> {
  const objectionId = pageId(values.objectionId);
  return rowTextForm("answer", values, `answer-${objectionId}`, "answer", (answer) => answerObjection(db, clock, user, objectionId, { answer }));
}

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
