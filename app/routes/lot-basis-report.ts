import type { Route } from "./+types/lot-basis-report";
import { lotPriceReportFile } from "../../appraisal/index.ts";
import { pageId } from "../lib/forms.server.ts";
import { services } from "../lib/http.server.ts";

/**
 * GET /lots/:lotId/basis/:reportId — a report behind an announced lot's reference price (B8, OJA 13: published with
 * the announcement), for anyone. Any other report, or any report of a draft, is not found here (ADR 027).
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const lotId = pageId(params.lotId);
  const reportId = pageId(params.reportId);
  const file = await lotPriceReportFile(services(context).db, lotId, reportId);
  if (!file) throw new Response("Not found", { status: 404 });
  const body = Buffer.from(file.content);
  return new Response(body, {
    headers: {
      "content-type": "application/pdf",
      "content-length": String(body.length),
      "content-disposition": `inline; filename="report-${reportId}.pdf"`,
      "x-content-type-options": "nosniff",
      etag: `"${file.sha256}"`,
      "cache-control": "public, max-age=3600",
    },
  });
}
