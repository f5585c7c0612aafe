// What the agencies' and the inquiry platforms' pages (and their JSON API) share: reading a report upload,
// the report form's parsing and the answer to a forwarded objection (A21). The rules themselves stay in the
// appraisal context's use cases; this only adapts forms to them.
import type { z } from "zod";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../core/clock.ts";
import { answerObjection, checkReportUpload, REPORT_MAX_BYTES, reportDatesFault, type UploadedFile } from "../../appraisal/index.ts";
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
  now: Date,
): Promise<{ ok: true; input: z.output<S> & { file: UploadedFile | null } } | { ok: false; failure: Failure }> {
  const file = await uploadedFile(form);
  const parsed = parseForm(schema, values, { yuan: ["valueFen"], dates: ["valuationDate", "validUntil"], endOfDay: ["validUntil"] });
  if (!parsed.ok) {
    // Every fault in one round: the fields', the dates' rules and the file's.
    const checked = checkReportUpload(file);
    const dates = parsed.valid as { valuationDate?: Date; validUntil?: Date };
    return { ok: false, failure: formFailure(formName, values, { ...parsed.fields, ...reportDatesFault(now, dates), ...(checked.ok ? {} : { file: checked.error }) }, [], 400) };
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
