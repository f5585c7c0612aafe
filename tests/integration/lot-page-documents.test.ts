// The lot page's documents and sharing over real HTTP: the 竞买公告 and 竞买须知 as pages and as PDFs (B7–B9, B14),
// the reference price's basis with its published report (B8), the starting price against the reference price, the
// place by name, the Open Graph card and the QR code of the lot's address. Nothing sealed on any of them (P4, P16).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { TestClock } from "../../core/clock.ts";
import { valuationReports } from "../../db/schema/index.ts";
import { addLotFile, B9_WARNINGS, createLotDraft, publishLot } from "../../auction/index.ts";
import {
  acceptCommission,
  agreeAgencies,
  deliverReport,
  fixInquiryPrice,
  fixReferencePrice,
  markReportError,
  recordDirectedAnswer,
  startDirectedInquiry,
  startOnlineInquiry,
  startProcedure,
  submitAppraisalReport,
  submitInquiryReport,
} from "../../appraisal/index.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";
import { en } from "../../app/i18n/en.ts";
import { lotDraftInput, makePublishedLot, residentId } from "../fixtures/auction.ts";
import { appraisalReportInput, makePlatform, makePricingCase } from "../fixtures/appraisal.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";

const DAY = 24 * 60 * 60 * 1000;
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));
let platform: TestPlatform;
const db = () => platform.database.db;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
const REPORT_PDF = new TextEncoder().encode("%PDF-1.4\n% 定向询价复函\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const HOLDER = "优先权人张某某";

/** A home in 北京市朝阳区 at ¥1,000,000.00, starting at 70%, with a co-owner holding a priority right. */
let home: Awaited<ReturnType<typeof makePublishedLot>>;

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  home = await makePublishedLot(db(), clock, { category: "residential", priorityHolders: [{ name: HOLDER, identityNumber: residentId(), rank: 1 }] });
});
afterAll(() => platform?.stop());

const anyone = () => new Visitor(platform.url);
const squeeze = (s: string) => s.replace(/\s+/gu, "");

/** The text of every page of a PDF, through its fonts' ToUnicode maps. */
async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const document = await task.promise;
    let text = "";
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      for (const item of content.items) if ("str" in item) text += item.str;
    }
    return { text, pages: document.numPages };
  } finally {
    await task.destroy();
  }
}

/** The content of a `<meta property="…">` in the page's head. */
function metaContent(html: string, property: string): string | null {
  const tag = new RegExp(`<meta[^>]*property="${property}"[^>]*>`).exec(html)?.[0];
  if (!tag) return null;
  return /content="([^"]*)"/.exec(tag)![1]!.replaceAll("&amp;", "&").replaceAll("&quot;", '"');
}

/** The dark modules an SVG from the qrcode package draws ("M x y.5 h n m dx 0 …" runs), as a matrix. */
function svgModules(svg: string): { size: number; dark: Set<string> } {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)![1]!;
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of path.matchAll(/([Mmh])([\d.]+)(?:[ ,]([\d.]+))?/g)) {
    if (op === "M") [x, y] = [Number(a), Math.floor(Number(b))];
    else if (op === "m") x += Number(a);
    else for (let i = 0; i < Number(a); i++) dark.add(`${x++},${y}`);
  }
  return { size, dark };
}

describe("the 竞买公告 and the 竞买须知", () => {
  it("B7, B8, B9, B14: the announcement page states the property, place, prices with 大写, deposit account, time, platform, court, defects and every warning", async () => {
    const res = await anyone().get(`/lots/${home.lotId}/announcement`);
    expect(res.status).toBe(200);
    const text = await pageText(res);
    for (const part of [
      zhCN.lotDocs.announcement,
      "朝阳区某商铺",
      "北京市朝阳区",
      "¥1,000,000.00",
      "壹佰万元整",
      "¥700,000.00",
      "柒拾万元整",
      "起拍价为参考价的 70%（七折）",
      "测试法院执行款专户",
      "买卖双方各自承担",
      "抵押一项",
      zhCN.lot.rules.extensionText,
      zhCN.site.name,
      home.court.name,
      zhCN.lotDocs.housingRule,
      ...B9_WARNINGS.map((w) => zhCN.warnings[w]),
    ]) {
      expect(text, part).toContain(part);
    }
    // Linked from the lot page, and each links its PDF.
    expect(text).toContain(`href="/lots/${home.lotId}/announcement.pdf"`);
    const lotPage = await pageText(await anyone().get(`/lots/${home.lotId}`));
    expect(lotPage).toContain(`href="/lots/${home.lotId}/announcement"`);
    expect(lotPage).toContain(`href="/lots/${home.lotId}/notice"`);
  });

  it("P4, P16: before the close the documents name the priority holder by kind and rank only, and nobody who registered", async () => {
    for (const path of ["announcement", "notice"]) {
      const text = await pageText(await anyone().get(`/lots/${home.lotId}/${path}`));
      expect(text).toContain(`${zhCN.lot.disclosure.rank} 1 · ${zhCN.priorityHolderKind.co_owner}`);
      expect(text).not.toContain(HOLDER);
      const pdf = await pdfText(new Uint8Array(await (await anyone().get(`/lots/${home.lotId}/${path}.pdf`)).arrayBuffer()));
      expect(squeeze(pdf.text)).toContain(squeeze(zhCN.priorityHolderKind.co_owner));
      expect(squeeze(pdf.text)).not.toContain(HOLDER);
    }
  });

  it("B7: the announcement's PDF is a real PDF, generated on the server, whose text holds the lot's title, court, case and prices", async () => {
    const res = await anyone().get(`/lots/${home.lotId}/announcement.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 5)).toString("latin1")).toBe("%PDF-");
    const { text, pages } = await pdfText(bytes);
    expect(pages).toBeGreaterThanOrEqual(1);
    const flat = squeeze(text);
    for (const part of [zhCN.lotDocs.announcement, "朝阳区某商铺", home.court.name, "¥700,000.00", "柒拾万元整", "七折", "北京市朝阳区", zhCN.warnings.identityPublished, home.lotId]) {
      expect(flat, part).toContain(squeeze(part));
    }
    // The same lot gives the same document.
    const again = new Uint8Array(await (await anyone().get(`/lots/${home.lotId}/announcement.pdf`)).arrayBuffer());
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it("C1–C3, D1, D3, E2, E3, E6, E7, F1, F3, F4: the bidding notice gives this lot's deposit, increment, extension, priority, payment deadline, handover and taxes", async () => {
    const res = await anyone().get(`/lots/${home.lotId}/notice`);
    expect(res.status).toBe(200);
    const text = await pageText(res);
    for (const part of [
      zhCN.lotDocs.notice,
      `${zhCN.lotDocs.depositAmount} ¥70,000.00（${zhCN.lotDocs.capitalPrefix}柒万元整）`,
      `${zhCN.lotDocs.field.increment}：¥1,000.00`,
      zhCN.lot.rules.extensionText,
      zhCN.lotDocs.priorityHolderText,
      `${zhCN.lotDocs.field.balanceDue}：${zhCN.lotDocs.balanceDueBefore}10${zhCN.lotDocs.balanceDueAfter}`,
      zhCN.lotDocs.handoverText,
      `${zhCN.lotDocs.field.transferTaxes}：买卖双方各自承担`,
      zhCN.warnings.depositForfeited,
      zhCN.lotDocs.housingRule,
    ]) {
      expect(text, part).toContain(part);
    }
    const pdf = await anyone().get(`/lots/${home.lotId}/notice.pdf`);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const flat = squeeze((await pdfText(new Uint8Array(await pdf.arrayBuffer()))).text);
    for (const part of [zhCN.lotDocs.notice, "朝阳区某商铺", "柒万元整", squeeze(zhCN.lotDocs.handoverText)]) expect(flat, part).toContain(squeeze(part));
  });

  it("a draft's documents are the court's: not found for the public, as an unknown lot's", async () => {
    const { judge, clerk, assetId } = await makePricingCase(db(), clock, { category: "commercial" });
    const draft = await directedLotDraft(judge, clerk, assetId);
    for (const path of ["announcement", "announcement.pdf", "notice", "notice.pdf"]) {
      expect((await anyone().get(`/lots/${draft.lotId}/${path}`)).status, path).toBe(404);
      expect((await anyone().get(`/lots/00000000-0000-4000-8000-0000000000ff/${path}`)).status, path).toBe(404);
    }
    expect((await anyone().get(`/lots/${draft.lotId}/basis/${draft.reportId}`)).status).toBe(404);
  });
});

/** A commercial asset priced by a directed inquiry (A4, its answer a PDF), and a lot drafted from that price. */
async function directedLotDraft(judge: Parameters<typeof startDirectedInquiry>[2], clerk: Parameters<typeof recordDirectedAnswer>[2], assetId: string) {
  const started = await startDirectedInquiry(db(), clock, judge, assetId, {
    addresseeKind: "tax_authority",
    addressee: "国家税务总局北京市朝阳区税务局",
    priceKind: "tax_base_price",
    dueAt: new Date(clock.now().getTime() + 7 * DAY),
    basis: "议价不能，有计税基准价",
  });
  const { reportId } = await recordDirectedAnswer(db(), clock, clerk, started.procedureId, {
    valuationMethod: "计税基准价",
    valueFen: "90000000",
    valuationDate: new Date(clock.now().getTime() - DAY),
    validUntil: new Date(clock.now().getTime() + 200 * DAY),
    file: { name: "复函.pdf", type: "application/pdf", bytes: REPORT_PDF },
  });
  const lot = await createLotDraft(db(), clock, clerk, lotDraftInput(assetId, clock.now(), { startingPriceFen: 63_000_000n, depositFen: 6_300_000n }));
  return { lotId: lot.id, reportId };
}

describe("the reference price's basis (B8)", () => {
  it("B8: a published lot priced by a directed inquiry links the answer the price rests on, for anyone; no other report is served through it", async () => {
    const { judge, clerk, assetId } = await makePricingCase(db(), clock, { category: "commercial" });
    const draft = await directedLotDraft(judge, clerk, assetId);
    await publishLot(db(), clock, judge, draft.lotId);
    const text = await pageText(await anyone().get(`/lots/${draft.lotId}`));
    expect(text).toContain(zhCN.lotPrice.basis.directed_inquiry);
    expect(text).toContain(`href="/lots/${draft.lotId}/basis/${draft.reportId}"`);
    expect(text).toContain("国家税务总局北京市朝阳区税务局");
    const file = await anyone().get(`/lots/${draft.lotId}/basis/${draft.reportId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(REPORT_PDF))).toBe(true);
    // Another lot's report is not this lot's basis; the report's own address stays for those A19 names.
    const other = await makePricingCase(db(), clock, { category: "commercial" });
    const otherDraft = await directedLotDraft(other.judge, other.clerk, other.assetId);
    expect((await anyone().get(`/lots/${draft.lotId}/basis/${otherDraft.reportId}`)).status).toBe(404);
    expect((await anyone().get(`/reports/${draft.reportId}/report.pdf`)).status).toBe(302);
    const [report] = await db().select({ excluded: valuationReports.excluded }).from(valuationReports).where(eq(valuationReports.id, draft.reportId));
    expect(report!.excluded).toBe(false);
  });

  it("B8: a price the parties agreed has no report, and the page says so in words", async () => {
    const text = await pageText(await anyone().get(`/lots/${home.lotId}`));
    expect(text).toContain(zhCN.lotPrice.basis.negotiation);
    expect(text).toContain(zhCN.lotPrice.noReport);
    expect(text).not.toContain(`/lots/${home.lotId}/basis/`);
  });
});

describe("prices, place and sharing on the lot page", () => {
  it("B3: the starting price stands beside the reference price with its share and 折, on the lot page and on the list's card, in both languages", async () => {
    const text = await pageText(await anyone().get(`/lots/${home.lotId}`));
    const compare = /data-testid="price-compare"[\s\S]*?data-testid="price-share"[^>]*>([^<]*)<\/p>/.exec(text);
    expect(compare, "price comparison").not.toBeNull();
    expect(compare![0]).toContain("¥700,000.00");
    expect(compare![0]).toContain("¥1,000,000.00");
    expect(compare![1]).toBe("起拍价为参考价的 70%（七折）");
    const list = await pageText(await anyone().get(`/lots?q=${encodeURIComponent("朝阳区某商铺")}`));
    expect(list).toContain("起拍价为参考价的 70%（七折）");

    const english = anyone();
    english.cookies.set("lang", "en");
    const enText = await pageText(await english.get(`/lots/${home.lotId}`));
    expect(enText).toContain(`${en.lotPrice.shareLead} 70% (30% ${en.lotPrice.off})`);
    expect(enText).not.toContain("七折");
  });

  it("the place is shown by name, with a tile-free diagram marking the district, and never as a division code", async () => {
    const text = await pageText(await anyone().get(`/lots/${home.lotId}`));
    const section = /<section[^>]*data-testid="lot-place"[\s\S]*?<\/section>/.exec(text)![0];
    expect(section).toContain("北京市朝阳区");
    expect(section).toMatch(/<g data-here="true">[\s\S]*?● 朝阳区<\/text>/);
    expect(section).toContain("海淀区");
    expect(section).not.toContain("110105");
    // Drawn here: nothing loaded from a map service.
    expect(section).not.toMatch(/(?:href|src)="https?:/);
    // The disclosures' place is its name too.
    const disclosures = /data-testid="disclosures"[\s\S]*?<\/dl>/.exec(text)![0];
    expect(disclosures).toContain("北京市朝阳区");
    expect(disclosures).not.toContain("110105");
  });

  it("P4: the Open Graph card that WeChat reads names the lot, its price and place, its address and its first photo, and nothing sealed", async () => {
    const url = `${platform.url}/lots/${home.lotId}`;
    let html = await (await anyone().get(`/lots/${home.lotId}`)).text();
    expect(metaContent(html, "og:title")).toBe("朝阳区某商铺");
    expect(metaContent(html, "og:url")).toBe(url);
    const description = metaContent(html, "og:description")!;
    for (const part of ["¥700,000.00", "七折", "北京市朝阳区", home.court.name]) expect(description).toContain(part);
    expect(description).not.toContain(HOLDER);
    expect(metaContent(html, "og:image")).toBeNull();

    const photo = await addLotFile(db(), clock, home.clerk, home.lotId, { kind: "photo", title: "外观", file: { name: "front.png", type: "image/png", bytes: PNG } });
    html = await (await anyone().get(`/lots/${home.lotId}`)).text();
    const image = metaContent(html, "og:image")!;
    expect(image).toBe(`${platform.url}/lots/${home.lotId}/files/${photo.id}`);
    const served = await fetch(image);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
  });

  it("the QR code on the page, drawn on the server as an SVG, is exactly the code of the lot's address", async () => {
    const url = `${platform.url}/lots/${home.lotId}`;
    const html = await (await anyone().get(`/lots/${home.lotId}`)).text();
    expect(html).toMatch(new RegExp(`data-testid="share-url"[^>]*>${url}</a>`));
    const figure = /<figure[^>]*data-testid="share-qr"[^>]*>([\s\S]*?)<\/figure>/.exec(html)!;
    expect(figure[0]).toContain(`aria-label="${zhCN.lotShare.qr}"`);
    const drawn = svgModules(figure[1]!);
    const expected = QRCode.create(url, { errorCorrectionLevel: "M" }).modules;
    const margin = (drawn.size - expected.size) / 2;
    expect(margin).toBe(2);
    const want = new Set<string>();
    for (let y = 0; y < expected.size; y++) for (let x = 0; x < expected.size; x++) if (expected.get(y, x)) want.add(`${x + margin},${y + margin}`);
    expect(drawn.dark).toEqual(want);
    // Another address is another code: the comparison can fail.
    const other = QRCode.create(`${url}x`, { errorCorrectionLevel: "M" }).modules;
    let differs = other.size !== expected.size;
    for (let i = 0; !differs && i < other.data.length; i++) differs = other.data[i] !== expected.data[i];
    expect(differs).toBe(true);
  });
});

describe("an appraised lot (B8, A14)", () => {
  it("B8, A14: the lot priced by an appraisal shows the 评估价 and links the one report it was fixed from, with its agency, method and value", async () => {
    const c = await makePricingCase(db(), clock, { category: "commercial" });
    const procedure = await startProcedure(db(), clock, c.clerk, c.assetId, { method: "appraisal", basisKind: "both_parties_ask", basis: "双方当事人申请委托评估" });
    const { commissionId } = await agreeAgencies(db(), clock, c.clerk, procedure.id, c.agencies.map((a) => a.agency.id));
    await acceptCommission(db(), clock, c.agencies[0]!.member, commissionId);
    const report = await submitAppraisalReport(db(), clock, c.agencies[0]!.member, commissionId, appraisalReportInput(clock.now(), { valueFen: 120_000_000n }));
    const { objectionDueAt } = await deliverReport(db(), clock, c.clerk, report.id);
    clock.set(new Date(objectionDueAt!.getTime() + 1));
    await fixReferencePrice(db(), clock, c.judge, procedure.id);
    const draft = await createLotDraft(db(), clock, c.clerk, lotDraftInput(c.assetId, clock.now(), { startingPriceFen: 96_000_000n, depositFen: 9_600_000n }));
    // Before the announcement the report is not the public's.
    expect((await anyone().get(`/lots/${draft.id}/basis/${report.id}`)).status).toBe(404);
    await publishLot(db(), clock, c.judge, draft.id);

    const text = await pageText(await anyone().get(`/lots/${draft.id}`));
    expect(text).toContain(zhCN.lotPrice.basis.appraisal);
    expect(text).toMatch(new RegExp(`${zhCN.lotPrice.appraisal}</dt><dd[^>]*>.*?¥1,200,000.00`));
    expect(text).toContain("起拍价为参考价的 80%（八折）");
    const links = [...text.matchAll(/href="(\/lots\/[^/]+\/basis\/[^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([`/lots/${draft.id}/basis/${report.id}`]);
    expect(text).toContain(c.agencies[0]!.agency.name);
    expect(text).toContain("市场法");
    const file = await anyone().get(links[0]!);
    expect(file.status).toBe(200);
    expect(file.headers.get("etag")).toBe(`"${report.sha256}"`);
  });

  it("B8, A9, A10: a lot priced by online inquiry links the platforms' reports its mean was taken from, not the one an error left out", async () => {
    const c = await makePricingCase(db(), clock, { category: "commercial" });
    const platforms = [await makePlatform(db(), clock, ["commercial"]), await makePlatform(db(), clock, ["commercial"]), await makePlatform(db(), clock, ["commercial"])];
    const s = await startOnlineInquiry(db(), clock, c.judge, c.assetId, { ground: "parties_jointly_chose", basis: "双方当事人共同选择网络询价" });
    const reportIds: string[] = [];
    for (const [i, valueFen] of [100_000_000n, 110_000_000n, 300_000_000n].entries()) {
      const requestId = s.requests.find((r) => r.platformId === platforms[i]!.platform.id)!.id;
      const input = { valuationMethod: "大数据询价", valueFen, valuationDate: new Date(clock.now().getTime() - DAY), validUntil: new Date(clock.now().getTime() + 180 * DAY), file: { name: "询价报告.pdf", type: "application/pdf", bytes: REPORT_PDF } };
      reportIds.push((await submitInquiryReport(db(), clock, platforms[i]!.member, requestId, input)).reportId);
    }
    await markReportError(db(), clock, c.judge, reportIds[2]!, { note: "遗漏附属车位" });
    let objectionsEnd = 0;
    for (const id of reportIds) objectionsEnd = Math.max(objectionsEnd, (await deliverReport(db(), clock, c.judge, id)).objectionDueAt!.getTime());
    clock.set(new Date(objectionsEnd + 1));
    expect(await fixInquiryPrice(db(), clock, c.judge, s.procedureId)).toMatchObject({ kind: "priced", amountFen: 105_000_000n });
    const draft = await createLotDraft(db(), clock, c.clerk, lotDraftInput(c.assetId, clock.now(), { startingPriceFen: 73_500_000n, depositFen: 7_350_000n }));
    await publishLot(db(), clock, c.judge, draft.id);

    const text = await pageText(await anyone().get(`/lots/${draft.id}`));
    expect(text).toContain(zhCN.lotPrice.basis.online_inquiry);
    expect(text).toContain("起拍价为参考价的 70%（七折）");
    const links = [...text.matchAll(/href="\/lots\/[^/]+\/basis\/([^"]+)"/g)].map((m) => m[1]).sort();
    expect(links).toEqual([reportIds[0]!, reportIds[1]!].sort());
    for (const id of links) expect((await anyone().get(`/lots/${draft.id}/basis/${id}`)).status).toBe(200);
    expect((await anyone().get(`/lots/${draft.id}/basis/${reportIds[2]}`)).status).toBe(404);
  });
});
