// A lot's public documents (竞买公告, 竞买须知) as A4 PDFs, set like the confirmation (same font, margins and
// line breaking, auction/confirmation-pdf.ts): a title, the lot's name, numbered sections of paragraphs, the
// court's name and date, and a footer on every page. The text comes ready-made from the page that shows the same
// document, so the PDF and the page never disagree.
import PDFDocument from "pdfkit";
import {
  assertGlyphs,
  BODY_LINE,
  BODY_SIZE,
  BODY_BOTTOM,
  centered,
  clean,
  CONTENT_WIDTH,
  ensureRoom,
  FOOTER_SIZE,
  GREY,
  INK,
  loadFonts,
  MARGIN_TOP,
  MARGIN_X,
  paragraph,
  rightAligned,
  SMALL_SIZE,
  TITLE_SIZE,
  TITLE_TRACKING,
  type Cursor,
} from "./confirmation-pdf.ts";

export interface DocumentSection {
  heading: string;
  paragraphs: string[];
}

export interface LotDocumentPdf {
  /** e.g. 竞买公告 */
  title: string;
  /** The lot's title, under the document's. */
  subtitle: string;
  /** e.g. 北京市朝阳区人民法院 · （2026）京0105执1234号 */
  caption: string;
  intro: string[];
  sections: DocumentSection[];
  /** The court's name and the date under the text, right-aligned. */
  signature: { court: string; date: string };
  /** Left of every page's footer, e.g. 拍品编号：… */
  footer: string;
  /** Right of the footer before the page count, e.g. 本文件由平台自动生成. */
  footerNote: string;
  /** Page n of m, in the document's language. */
  pageLabel: (page: number, pages: number) => string;
  info: { author: string; creator: string; date: Date };
}

/** Renders a lot document as a PDF with the Chinese font embedded (subset); the same input gives the same bytes. */
export async function renderLotDocumentPdf(d: LotDocumentPdf): Promise<Uint8Array> {
  const fonts = await loadFonts();
  const texts = [d.title, d.subtitle, d.caption, ...d.intro, ...d.sections.flatMap((s) => [s.heading, ...s.paragraphs]), d.signature.court, d.signature.date, d.footer, d.footerNote].map(clean);
  assertGlyphs(fonts.regular.font, texts);
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: "1.7",
    lang: "zh-CN",
    displayTitle: true,
    info: { Title: `${clean(d.title)}：${clean(d.subtitle)}`, Author: clean(d.info.author), Subject: clean(d.subtitle), Creator: clean(d.info.creator), CreationDate: d.info.date, ModDate: d.info.date },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", fonts.regular.bytes);
  doc.registerFont("bold", fonts.bold.bytes);

  const cursor: Cursor = { y: MARGIN_TOP };
  doc.font("bold").fontSize(TITLE_SIZE).fillColor(INK);
  centered(doc, clean(d.title), cursor.y, TITLE_TRACKING);
  cursor.y += TITLE_SIZE + 14;
  // The lot's title may be long: pdfkit wraps it, centred.
  doc.font("bold").fontSize(BODY_SIZE);
  doc.text(clean(d.subtitle), MARGIN_X, cursor.y, { width: CONTENT_WIDTH, align: "center" });
  cursor.y = doc.y + 6;
  doc.font("regular").fontSize(SMALL_SIZE).fillColor(GREY);
  doc.text(clean(d.caption), MARGIN_X, cursor.y, { width: CONTENT_WIDTH, align: "center" });
  cursor.y = doc.y + 18;

  for (const text of d.intro) paragraph(doc, cursor, clean(text));
  for (const section of d.sections) {
    // A heading never ends a page: keep it with its first line.
    ensureRoom(doc, cursor, 2 * BODY_LINE + 6);
    cursor.y += 6;
    doc.font("bold").fontSize(BODY_SIZE).fillColor(INK);
    doc.text(clean(section.heading), MARGIN_X, cursor.y + (BODY_LINE - BODY_SIZE) / 2, { lineBreak: false });
    cursor.y += BODY_LINE;
    for (const text of section.paragraphs) paragraph(doc, cursor, clean(text));
  }

  doc.font("regular").fontSize(BODY_SIZE).fillColor(INK);
  cursor.y += BODY_LINE;
  ensureRoom(doc, cursor, 2 * BODY_LINE);
  const right = MARGIN_X + CONTENT_WIDTH - 2 * BODY_SIZE;
  rightAligned(doc, clean(d.signature.court), right, cursor.y);
  rightAligned(doc, clean(d.signature.date), right, cursor.y + BODY_LINE);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const ruleY = BODY_BOTTOM + 10;
    doc.moveTo(MARGIN_X, ruleY).lineTo(MARGIN_X + CONTENT_WIDTH, ruleY).lineWidth(0.5).strokeColor(GREY).stroke();
    doc.font("regular").fontSize(FOOTER_SIZE).fillColor(GREY);
    doc.text(clean(d.footer), MARGIN_X, ruleY + 6, { lineBreak: false });
    rightAligned(doc, `${clean(d.footerNote)}　${d.pageLabel(i - range.start + 1, range.count)}`, MARGIN_X + CONTENT_WIDTH, ruleY + 6);
  }
  doc.end();
  return finished;
}
