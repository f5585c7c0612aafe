import type { Route } from "./+types/lot-announcement-pdf";
import { lotDocumentPdfResponse } from "../lib/lot-documents.server.ts";

/** GET /lots/:lotId/announcement.pdf — the lot's 竞买公告 as a PDF, for anyone once it is announced; 404 before. */
export function loader({ params, context }: Route.LoaderArgs) {
  return lotDocumentPdfResponse("announcement", context, params.lotId);
}
