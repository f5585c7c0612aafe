// Helpers of the appraisal JSON API: reading a report upload (multipart/form-data), a body of optional fields, and the API's views of
// an agency's commissions and a platform's requests. Refusals are AppErrors, answered as JSON by `api()`.
import type { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { parseOrThrow } from "../../core/validation.ts";
import type { UploadedFile } from "../../appraisal/index.ts";
import { readJson } from "./api.server.ts";
import { uploadedFile, uploadTooLarge } from "./appraisal-portal.server.ts";

export interface ReportUpload {
  fields: { valuationMethod: string; valueFen: string; valuationDate: string; validUntil: string };
  file: UploadedFile | null;
}

/**
 * Reads a report sent as multipart/form-data: the text fields `valuationMethod`, `valueFen` (integer fen,
 * digits), `valuationDate` and `validUntil` (ISO 8601), and the PDF in `file`. A body over the size limit is
 * refused before it is read; a body that is not multipart is VALIDATION_FAILED. The use case checks the rest.
 */
export async function readReportUpload(request: Request): Promise<ReportUpload> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) throw new AppError("VALIDATION_FAILED", { fields: { _body: "validation.invalid" } });
  if (uploadTooLarge(request)) {
    throw new AppError("VALIDATION_FAILED", { fields: { file: "file.error.tooLarge.document" } });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("VALIDATION_FAILED", { fields: { _body: "validation.invalid" } });
  }
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const file = await uploadedFile(form);
  return { fields: { valuationMethod: text("valuationMethod"), valueFen: text("valueFen"), valuationDate: text("valuationDate"), validUntil: text("validUntil") }, file };
}

/**
 * A JSON body whose fields are all optional (the posting time, the report to price from): an empty body
 * reads as `{}`; anything else is parsed as `readJson` does.
 */
export async function readOptionalJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await request.text();
  if (text.trim() === "") return parseOrThrow(schema, {});
  return readJson(new Request(request.url, { method: "POST", headers: { "content-type": "application/json" }, body: text }), schema);
}
