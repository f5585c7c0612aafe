import { createHash } from "node:crypto";
import { data, type RouterContextProvider } from "react-router";
import { getPublicLot, renderLotDocumentPdf, type LotDocumentPdf } from "../../auction/index.ts";
import { placeName } from "../../core/regions.ts";
import { serverT } from "../i18n/texts.server.ts";
import { services } from "./http.server.ts";
import { pageId } from "./forms.server.ts";
import { lotDocument, type LotDocumentKind } from "./lot-documents.ts";
import { lotView } from "./lot-view.server.ts";

/** An announced lot as its documents read it (drafts are the court's: not found), with its place by name. */
export async function documentLot(context: Readonly<RouterContextProvider>, lotIdParam: string | undefined) {
  const { db, clock } = services(context);
  const lot = await getPublicLot(db, clock, pageId(lotIdParam));
  if (!lot) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const view = lotView(lot);
  return {
    lot: {
      id: view.id,
      title: view.title,
      round: view.round,
      courtName: view.courtName,
      caseNumber: view.caseNumber,
      enforcementBasis: view.enforcementBasis,
      asset: view.asset,
      reference: view.reference,
      startingPriceFen: view.startingPriceFen,
      depositFen: view.depositFen,
      incrementFen: view.incrementFen,
      biddingStartsAt: view.biddingStartsAt,
      biddingEndsAt: view.biddingEndsAt,
      balanceDueDays: view.balanceDueDays,
      priorityHolders: view.priorityHolders,
      partiesNotifiedAt: view.partiesNotifiedAt,
      announceAt: view.announceAt,
      announcements: view.announcements.slice(0, 1),
    },
    place: placeName(lot.asset.regionCode),
  };
}

/**
 * Made documents by a digest of everything printed in them, oldest dropped first: setting a PDF with its font subset
 * takes a few hundred milliseconds, and the same lot state always gives the same bytes, so each is made once.
 */
const madeDocuments = new Map<string, Uint8Array>();
const MADE_DOCUMENTS_MAX = 64;

/**
 * A lot's document as a PDF: the official text, in Chinese, set from the same sections as its page. The same lot
 * gives the same bytes until the court revises the announcement or the lot closes (priority holders then named).
 */
export async function lotDocumentPdfResponse(kind: LotDocumentKind, context: Readonly<RouterContextProvider>, lotIdParam: string | undefined): Promise<Response> {
  const { lot, place } = await documentLot(context, lotIdParam);
  const zh = serverT("zh-CN");
  const t = (key: string) => zh(key);
  const document = lotDocument(kind, { lot, place, platformName: t("site.name") }, t, "zh-CN");
  const publishedAt = new Date(document.publishedAt);
  const input: LotDocumentPdf = {
    title: document.title,
    subtitle: lot.title,
    caption: `${lot.courtName} · ${lot.caseNumber}`,
    intro: document.intro,
    sections: document.sections,
    signature: { court: lot.courtName, date: new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "long" }).format(publishedAt) },
    footer: `${t("lotDocs.footerLot")}${lot.id}`,
    footerNote: t("lotDocs.generated"),
    pageLabel: (page, pages) => `${t("lotDocs.page")} ${page} / ${pages}`,
    info: { author: lot.courtName, creator: t("site.name"), date: publishedAt },
  };
  const digest = createHash("sha256").update(JSON.stringify(input)).digest("hex");
  let pdf = madeDocuments.get(digest);
  if (!pdf) {
    pdf = await renderLotDocumentPdf(input);
    if (madeDocuments.size >= MADE_DOCUMENTS_MAX) madeDocuments.delete(madeDocuments.keys().next().value!);
    madeDocuments.set(digest, pdf);
  }
  return new Response(Buffer.from(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${kind}-${lot.id}.pdf"`,
      "x-content-type-options": "nosniff",
      etag: `"${digest}"`,
      "cache-control": "public, max-age=300",
    },
  });
}
