// What the lot page shows besides the lot itself: its place by name (never the code), the basis of its reference
// price with the reports the law publishes (B8), and what a share needs: the lot's address, its QR code and the
// Open Graph card that WeChat and other apps read from the page's head. Nothing sealed (P4): the share card says
// what the announcement says, and no count of bidders or registrations.
import QRCode from "qrcode";
import { lotPriceBasis } from "../../appraisal/index.ts";
import type { PublicLot } from "../../auction/index.ts";
import { placeChain, placeName } from "../../core/regions.ts";
import type { Db } from "../../db/client.ts";
import { serverT } from "../i18n/texts.server.ts";
import { formatDateTime, formatFenText, toPlain } from "./format.ts";
import type { Language } from "./language.ts";
import { shareText } from "./lot-documents.ts";

/** The lot's own address on this site, as the visitor reached it (behind a trusted proxy, as it was forwarded). */
export function lotUrl(request: Request, lotId: string): string {
  return new URL(`/lots/${lotId}`, request.url).href;
}

/** Drawn codes by URL, oldest dropped first: a watched lot's page is rendered again and again (about 1 ms a code). */
const drawnCodes = new Map<string, string>();
const DRAWN_CODES_MAX = 2000;

/** The QR code of a URL as an SVG, drawn on the server: scanned with WeChat, it opens the lot. */
export async function qrSvg(url: string): Promise<string> {
  const known = drawnCodes.get(url);
  if (known !== undefined) return known;
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  if (drawnCodes.size >= DRAWN_CODES_MAX) drawnCodes.delete(drawnCodes.keys().next().value!);
  drawnCodes.set(url, svg);
  return svg;
}

export async function lotPageExtras(db: Db, request: Request, lang: Language, lot: PublicLot) {
  const url = lotUrl(request, lot.id);
  const place = placeName(lot.asset.regionCode);
  const t = serverT(lang);
  const photo = lot.files.find((f) => f.kind === "photo");
  const description = [
    `${t("lotPrice.starting")} ${formatFenText(lot.startingPriceFen)}`,
    shareText(t, lang, lot.startingPriceFen.toString(), lot.reference.amountFen.toString()),
    place,
    lot.courtName,
    `${t("lot.rules.biddingStartsAt")} ${formatDateTime(lot.biddingStartsAt.toISOString(), lang)}`,
  ].filter((part) => part !== "");
  return {
    place: placeChain(lot.asset.regionCode),
    // An agreed price has no report (A3): no query for one on each load of the page.
    basis: lot.reference.method === "negotiation" ? { reports: [], drawId: null } : toPlain(await lotPriceBasis(db, lot.id)),
    share: {
      url,
      qrSvg: await qrSvg(url),
      title: lot.title,
      description: description.join(" · "),
      image: photo ? new URL(`/lots/${lot.id}/files/${photo.id}`, request.url).href : null,
    },
  };
}

export type LotPageExtras = Awaited<ReturnType<typeof lotPageExtras>>;
