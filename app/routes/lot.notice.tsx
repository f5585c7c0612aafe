import type { Route } from "./+types/lot.notice";
import { LotDocumentPage } from "../components/lot-document.tsx";
import { documentLot } from "../lib/lot-documents.server.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("lotDocs.notice", (d) => d.lot.title);

/** Public: the lot's 竞买须知 (C, D, E, F as this lot applies them), as a page; its PDF is beside it. */
export async function loader({ params, context }: Route.LoaderArgs) {
  return documentLot(context, params.lotId);
}

export default function LotDocument({ loaderData }: Route.ComponentProps) {
  return <LotDocumentPage kind="notice" lot={loaderData.lot} place={loaderData.place} />;
}
