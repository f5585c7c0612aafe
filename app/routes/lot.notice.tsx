import type { Route } from "./+types/lot.notice";
import { LotDocumentPage } from "../components/lot-document.tsx";
import { createI18n } from "../i18n/index.ts";
import { languageOf } from "../lib/http.server.ts";
import { documentLot } from "../lib/lot-documents.server.ts";

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData?.pageTitle ?? "人民法院司法拍卖与评估平台" }];

/** Public: the lot's 竞买须知 (C, D, E, F as this lot applies them), as a page; its PDF is beside it. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const found = await documentLot(context, params.lotId);
  const { t } = createI18n(languageOf(request));
  return { ...found, pageTitle: `${t("lotDocs.notice")} · ${found.lot.title} · ${t("site.name")}` };
}

export default function LotDocument({ loaderData }: Route.ComponentProps) {
  return <LotDocumentPage kind="notice" lot={loaderData.lot} place={loaderData.place} />;
}
