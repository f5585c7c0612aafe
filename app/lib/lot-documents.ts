// The lot's two documents, 竞买公告 (B7–B9, B14) and 竞买须知, as numbered sections of plain paragraphs: built once
// from what the court published (the lot, its latest announcement version, the asset's disclosures) and the rules,
// and shown the same way on the page and in the PDF. Nothing sealed goes in (P4): priority holders come as the
// public read gives them (by kind and rank until the close, P16), and no bidder is named.
import { toChineseCapital } from "../../core/money.ts";
import { formatDate, formatDateTime, formatFenText } from "./format.ts";
import { chineseNumber } from "./legal-basis.ts";
import { percentText, startingShareBp, zheText } from "./price-share.ts";
import type { LotView } from "./lot-view.server.ts";

export const LOT_DOCUMENTS = ["announcement", "notice"] as const;
export type LotDocumentKind = (typeof LOT_DOCUMENTS)[number];

export interface LotDocument {
  title: string;
  intro: string[];
  sections: { heading: string; paragraphs: string[] }[];
  /** The day the announcement was published (its first version), or its latest revision. */
  publishedAt: string;
}

type T = (key: string) => string;

/** What the documents read of a lot: the page's lot, and its place by name. */
export interface DocumentLot {
  lot: Pick<
    LotView,
    | "title"
    | "round"
    | "courtName"
    | "caseNumber"
    | "enforcementBasis"
    | "asset"
    | "reference"
    | "startingPriceFen"
    | "depositFen"
    | "incrementFen"
    | "biddingStartsAt"
    | "biddingEndsAt"
    | "balanceDueDays"
    | "priorityHolders"
    | "partiesNotifiedAt"
    | "announceAt"
    | "announcements"
  >;
  place: string;
  platformName: string;
}

/** "一、" in Chinese, "1. " otherwise. */
function numbered(lang: string, n: number, text: string): string {
  return lang.startsWith("zh") ? `${chineseNumber(n)}、${text}` : `${n}. ${text}`;
}

/** An amount in figures and in 大写 (DESIGN §8: documents show both). */
function amount(t: T, fen: string): string {
  return `${formatFenText(fen)}（${t("lotDocs.capitalPrefix")}${toChineseCapital(BigInt(fen))}）`;
}

/** The starting price's share of the reference price, with its 折 in Chinese: "起拍价为参考价的70%（七折）". */
export function shareText(t: T, lang: string, startingFen: string, referenceFen: string): string {
  return shareTextBp(t, lang, startingShareBp(startingFen, referenceFen));
}

/** The same, from the share in basis points (as the search stores it). */
export function shareTextBp(t: T, lang: string, bp: number): string {
  const zhe = zheText(bp);
  const detail = lang.startsWith("zh") ? (zhe ? `（${zhe}）` : "") : bp < 10000 ? ` (${percentText(10000 - bp)} ${t("lotPrice.off")})` : "";
  return `${t("lotPrice.shareLead")} ${percentText(bp)}${detail}`;
}

/** The colon after a label: full-width in Chinese. */
export const colon = (lang: string) => (lang.startsWith("zh") ? "：" : ": ");

/** F3: "余款交纳期限：竞价结束后10日内，…", the period the announcement sets. */
function balanceDue(t: T, lang: string, days: number): string {
  const space = lang.startsWith("zh") ? "" : " ";
  return `${t("lotDocs.field.balanceDue")}${colon(lang)}${t("lotDocs.balanceDueBefore")}${space}${days}${space}${t("lotDocs.balanceDueAfter")}`;
}

/** "标的物名称：…": a labelled line of a document; an empty value reads 无. */
function rowIn(t: T, lang: string) {
  return (label: string, value: string) => `${t(`lotDocs.field.${label}`)}${colon(lang)}${value.trim() === "" ? t("lotDocs.none") : value}`;
}

function sections(lang: string, list: [string, string[]][]) {
  return list.filter(([, paragraphs]) => paragraphs.length > 0).map(([heading, paragraphs], i) => ({ heading: numbered(lang, i + 1, heading), paragraphs }));
}

/** The holders as announced: "顺位1 · 承租人", with name and basis only once the read gives them (after the close). */
function holders(t: T, d: DocumentLot, none: string): string[] {
  if (d.lot.priorityHolders.length === 0) return [none];
  return d.lot.priorityHolders.map((h) => {
    const named = "name" in h ? ` · ${h.name} · ${h.basis}` : "";
    return `${t("lot.disclosure.rank")} ${h.rank} · ${t(`priorityHolderKind.${h.kind}`)}${named}`;
  });
}

/** The announcement's date: its latest revision's, else the day it was published. */
function publishedAt(lot: DocumentLot["lot"]): string {
  const latest = lot.announcements[0];
  return latest && latest.version > 1 ? latest.createdAt : (lot.announceAt ?? latest?.createdAt ?? lot.biddingStartsAt);
}

/** 竞买公告: what the court announced (B7, B8), with the special warnings (B9) and, for a home, 购房资格 (B14). */
export function announcementDocument(d: DocumentLot, t: T, lang: string): LotDocument {
  const { lot } = d;
  const latest = lot.announcements[0];
  const content = latest?.content;
  const when = (iso: string) => formatDateTime(iso, lang);
  const row = rowIn(t, lang);
  const c = colon(lang);
  const method = `${t(`priceMethod.${lot.reference.method}`)}${lang.startsWith("zh") ? "。" : ". "}${t(`lotPrice.basis.${lot.reference.method}`)}`;
  return {
    title: t("lotDocs.announcement"),
    // "北京市朝阳区人民法院将在本平台…": the court's name begins the sentence.
    intro: [`${lot.courtName}${lang.startsWith("zh") ? "" : " "}${t("lotDocs.opening")}`],
    sections: sections(lang, [
      [
        t("lotDocs.section.property"),
        [
          row("title", lot.title),
          row("place", d.place),
          row("category", t(`category.${lot.asset.category}`)),
          row("description", lot.asset.description),
          row("caseNumber", lot.caseNumber),
          row("enforcementBasis", lot.enforcementBasis),
        ],
      ],
      [
        t("lotDocs.section.price"),
        [
          row("referencePrice", amount(t, lot.reference.amountFen)),
          row("pricingMethod", method),
          row("pricingDocument", lot.reference.documentTitle),
          row("validUntil", formatDate(lot.reference.validUntil, lang)),
          row("startingPrice", `${amount(t, lot.startingPriceFen)} ${shareText(t, lang, lot.startingPriceFen, lot.reference.amountFen)}`),
          row("deposit", amount(t, lot.depositFen)),
          row("increment", formatFenText(lot.incrementFen)),
          row("depositAccount", content?.depositAccount ?? ""),
        ],
      ],
      [
        t("lotDocs.section.bidding"),
        [
          row("round", t(`round.${lot.round}`)),
          row("startsAt", when(lot.biddingStartsAt)),
          row("endsAt", when(lot.biddingEndsAt)),
          row("extension", t("lot.rules.extensionText")),
          row("platform", d.platformName),
          t("lotDocs.anonymity"),
          ...(lot.round === "sale_off" ? [t("lot.round.saleOffRules")] : []),
        ],
      ],
      [
        t("lotDocs.section.status"),
        [
          `${t("lot.disclosure.encumbrances")}${c}${lot.asset.encumbrances}`,
          `${t("lot.disclosure.occupancy")}${c}${lot.asset.occupancy}`,
          `${t("lot.disclosure.lease")}${c}${lot.asset.lease}`,
          `${t("lot.disclosure.taxes")}${c}${lot.asset.taxes}`,
          `${t("lot.disclosure.knownDefects")}${c}${lot.asset.knownDefects}`,
        ],
      ],
      [t("lotDocs.section.priority"), holders(t, d, t("lot.disclosure.noPriorityHolders"))],
      [t("lotDocs.section.conditions"), [t("warnings.capacity"), t("warnings.proxy"), t("lotDocs.eligibilityBarred"), ...(content?.housingEligibilityRequired ? [t("lotDocs.housingRule")] : [])]],
      [
        t("lotDocs.section.payment"),
        [balanceDue(t, lang, lot.balanceDueDays), row("transferTaxes", content?.transferTaxes ?? "")],
      ],
      [t("lotDocs.section.warnings"), (content?.warnings ?? []).map((w) => t(`warnings.${w}`))],
      [
        t("lotDocs.section.other"),
        [
          row("partiesNotified", lot.partiesNotifiedAt ? formatDate(lot.partiesNotifiedAt, lang) : t("lot.disclosure.partiesNotNotified")),
          row("panelDecision", content?.panelDecision ?? ""),
          ...(latest && latest.version > 1 ? [`${t("lotDocs.versionNote")} ${latest.version}${latest.reason ? ` · ${t("lotDocs.revisionReason")}${c}${latest.reason}` : ""}`] : []),
        ],
      ],
      [t("lotDocs.section.contact"), [row("courtContact", content?.courtContact ?? "")]],
    ]),
    publishedAt: publishedAt(lot),
  };
}

/** 竞买须知: the standard terms of taking part, each with this lot's figures (C, D, E, F rules as the lot applies them). */
export function biddingNoticeDocument(d: DocumentLot, t: T, lang: string): LotDocument {
  const { lot } = d;
  const content = lot.announcements[0]?.content;
  const row = rowIn(t, lang);
  return {
    title: t("lotDocs.notice"),
    intro: [t("lotDocs.noticeOpening")],
    sections: sections(lang, [
      [t("lotDocs.section.eligibility"), [t("warnings.capacity"), t("lotDocs.eligibilityBarred"), t("warnings.proxy"), ...(content?.housingEligibilityRequired ? [t("lotDocs.housingRule")] : [])]],
      [t("lotDocs.section.registration"), [t("lotDocs.registrationText"), `${t("lotDocs.depositAmount")} ${amount(t, lot.depositFen)}`, t("lotDocs.depositRelease"), t("lotDocs.depositCreditor")]],
      [
        t("lotDocs.section.bids"),
        [
          row("startingPrice", `${amount(t, lot.startingPriceFen)} ${shareText(t, lang, lot.startingPriceFen, lot.reference.amountFen)}`),
          row("increment", formatFenText(lot.incrementFen)),
          row("startsAt", formatDateTime(lot.biddingStartsAt, lang)),
          row("endsAt", formatDateTime(lot.biddingEndsAt, lang)),
          t("lotDocs.bidsText"),
          t("lot.rules.extensionText"),
          t("lotDocs.anonymity"),
          ...(lot.round === "sale_off" ? [t("lot.round.saleOffRules")] : []),
        ],
      ],
      [t("lotDocs.section.priorityTerms"), [t("lotDocs.priorityHolderText"), ...holders(t, d, t("lotDocs.noPriorityHolders"))]],
      [t("lotDocs.section.sale"), [t("lotDocs.saleText"), t("warnings.identityPublished")]],
      [t("lotDocs.section.balance"), [balanceDue(t, lang, lot.balanceDueDays), row("depositAccount", content?.depositAccount ?? ""), t("lotDocs.balanceText"), t("warnings.depositForfeited")]],
      [t("lotDocs.section.handover"), [t("lotDocs.handoverText")]],
      [t("lotDocs.section.taxes"), [row("transferTaxes", content?.transferTaxes ?? ""), row("taxesOwed", lot.asset.taxes)]],
      [t("lotDocs.section.warnings"), [t("warnings.defects"), t("warnings.acceptance")]],
      [t("lotDocs.section.contact"), [row("courtContact", content?.courtContact ?? "")]],
    ]),
    publishedAt: publishedAt(lot),
  };
}

export function lotDocument(kind: LotDocumentKind, d: DocumentLot, t: T, lang: string): LotDocument {
  return kind === "announcement" ? announcementDocument(d, t, lang) : biddingNoticeDocument(d, t, lang);
}
