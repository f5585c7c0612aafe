import type { Route } from "./+types/lot-notice-pdf";
import { lotDocumentPdfResponse } from "../lib/lot-documents.server.ts";

/** GET /lots/:lotId/notice.pdf — the lot's 竞买须知 as a PDF, for anyone once it is announced; 404 before. */
export function loader({ params, context }: Route.LoaderArgs) {
  return lotDocumentPdfResponse("notice", context, params.lotId);
}
