import type { Route } from "./+types/report-file";
import { reportFile } from "../../appraisal/index.ts";
import { pageId } from "../lib/forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";

/**
 * GET /reports/:reportId/report.pdf — a valuation report's PDF: for the court's staff, the agency or
 * platform that wrote it, and the parties once it was delivered to them (A19). Others are refused (403),
 * unknown ids are not found; visitors who are not signed in are sent to sign in.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "account.view");
  const reportId = pageId(params.reportId);
  let file: Awaited<ReturnType<typeof reportFile>>;
  try {
    file = await reportFile(services(context).db, user, reportId);
  } catch (error) {
    throw asPageError(error);
  }
  const body = Buffer.from(file.content);
  return new Response(body, {
    headers: {
      "content-type": file.contentType,
      "content-length": String(body.length),
      // The name the agency gave it, for the browser's save dialog (RFC 6266 / 5987 for non-ASCII names).
      "content-disposition": `inline; filename="report-${reportId}.pdf"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "x-content-type-options": "nosniff",
      etag: `"${file.sha256}"`,
      // Not for shared caches: only some people may read it.
      "cache-control": "private, no-store",
    },
  });
}
