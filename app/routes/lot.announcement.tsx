import type { Route } from "./+types/lot.announcement";
import { LotDocumentPage } from "../components/lot-document.tsx";
import { documentLot } from "../lib/lot-documents.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("lotDocs.announcement", (d) => d.lot.title);

/** Public: the lot's 竞买公告 (B7–B9, B14), as a page; its PDF is beside it. */
export async function loader({ params, context }: Route.LoaderArgs) {
  return documentLot(context, params.lotId);
}

export default function LotDocument({ loaderData }: Route.ComponentProps) {
  return <LotDocumentPage kind="announcement" lot={loaderData.lot} place={loaderData.place} />;
}
