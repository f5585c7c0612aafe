import type { Route } from "./+types/lot.announcement";
import { LotDocumentPage } from "../components/lot-document.tsx";
import { createI18n } from "../i18n/index.ts";
import { languageOf } from "../lib/http.server.ts";
import { documentLot } from "../lib/lot-documents.server.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData?.pageTitle ?? "人民法院司法拍卖与评估平台" }];

/** Public: the lot's 竞买公告 (B7–B9, B14), as a page; its PDF is beside it. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const found = await documentLot(context, params.lotId);
  const { t } = createI18n(languageOf(request));
  return { ...found, pageTitle: `${t("lotDocs.announcement")} · ${found.lot.title} · ${t("site.name")}` };
}

export default function LotDocument({ loaderData }: Route.ComponentProps) {
  return <LotDocumentPage kind="announcement" lot={loaderData.lot} place={loaderData.place} />;
}
