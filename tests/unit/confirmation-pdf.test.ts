import { describe, it, expect } from "vitest";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import {
  CONFIRMATION_NOTES,
  CONFIRMATION_TITLE,
  formatShanghaiDateTime,
  renderConfirmationPdf,
  type ConfirmationData,
} from "../../auction/confirmation-pdf.ts";

function sample(overrides: Partial<ConfirmationData> = {}): ConfirmationData {
  return {
    courtName: "北京市朝阳区人民法院",
    caseNumber: "（2026）京0105执1234号",
    lotTitle: "北京市朝阳区某小区3号楼2单元501室住宅",
    lotId: "lot_01HZX7Q2XM9K",
    buyerName: "张三",
    buyerIdentityMasked: "110***********002X",
    bidderCode: "K7Q2XM",
    priceFen: 1234567890n,
    closedAt: new Date("2026-11-26T06:05:30Z"),
    platformName: "人民法院司法拍卖与评估平台",
    issuedAt: new Date("2026-11-26T06:10:00Z"),
    documentNumber: "QR-2026-000123",
    ...overrides,
  };
}

/** The text of every page, in drawing order, through the fonts' ToUnicode maps. */
async function extractText(pdf: Uint8Array): Promise<{ text: string; pages: number }> {
  // pdfjs takes ownership of the buffer it is given, so hand it a copy.
  const task = getDocument({ data: new Uint8Array(pdf), verbosity: 0 });
  try {
    const document = await task.promise;
    let text = "";
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) if ("str" in item) text += item.str;
      text += "\n";
    }
    return { text, pages: document.numPages };
  } finally {
    await task.destroy();
  }
}

/** Line breaks and justification may come out as spaces; compare without them. */
const squeeze = (s: string): string => s.replace(/\s+/gu, "");

const latin1 = (pdf: Uint8Array): string => Buffer.from(pdf).toString("latin1");

describe("renderConfirmationPdf", () => {
  it("E5: the confirmation PDF names the buyer, code, lot, case number, price in figures and 大写, close time and court", async () => {
    const c = sample();
    const { text, pages } = await extractText(await renderConfirmationPdf(c));
    const flat = squeeze(text);

    expect(pages).toBe(1);
    for (const field of [
      CONFIRMATION_TITLE,
      "QR-2026-000123",
      "张三",
      "110***********002X",
      "K7Q2XM",
      "北京市朝阳区某小区3号楼2单元501室住宅",
      "（2026）京0105执1234号",
      "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整",
      "¥12,345,678.90",
      "2026年11月26日14时05分30秒",
      "北京市朝阳区人民法院",
      "人民法院司法拍卖与评估平台",
      "lot_01HZX7Q2XM9K",
      "本文件由平台自动生成",
    ]) {
      expect(flat, field).toContain(squeeze(field));
    }
    // The close time keeps its space between date and time.
    expect(text).toContain("2026年11月26日 14时05分30秒");
    // The case number's own brackets are not doubled.
    expect(flat).toContain("北京市朝阳区人民法院在（2026）京0105执1234号案件中拍卖的标的物");
    expect(flat).not.toContain("（（");
    expect(flat).toContain("竞买人张三（证件号码：110***********002X，竞买号：K7Q2XM）");
    expect(flat).toContain("成交价：人民币壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整（¥12,345,678.90）");
    // The standard notes: balance due (F3), ownership on service of the ruling (E6), not a title
    // document, deposit forfeited on default (B9).
    for (const note of CONFIRMATION_NOTES) expect(flat).toContain(squeeze(note));
    expect(flat).toContain("标的物所有权自拍卖成交裁定送达买受人时起转移");
    expect(flat).toContain("如买受人悔拍，交纳的保证金不予退还");
    // Signature block: the court and the issue date in Asia/Shanghai.
    expect(flat).toMatch(/北京市朝阳区人民法院2026年11月26日/u);
  });

  it("embeds a subset of the Chinese font and stays small", async () => {
    const pdf = await renderConfirmationPdf(sample());
    const raw = latin1(pdf);

    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw).toMatch(/\/FontFile[23]\s/u);
    // A subset font's name carries a six-letter tag: /BaseFont /ABCDEF+NotoSansHans-Regular.
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/u);
    expect(raw).toMatch(/\/ToUnicode \d+ 0 R/u);
    expect(pdf.byteLength).toBeLessThan(1024 * 1024);
  });

  it("writes 壹亿元整 and ¥100,000,000.00 for a price of one hundred million yuan", async () => {
    const { text } = await extractText(await renderConfirmationPdf(sample({ priceFen: 10000000000n })));
    const flat = squeeze(text);
    expect(flat).toContain("人民币壹亿元整（¥100,000,000.00）");
  });

  it("prints the close time in Asia/Shanghai whatever the server's zone", async () => {
    expect(formatShanghaiDateTime(new Date("2026-11-26T06:05:30Z"))).toBe("2026年11月26日 14时05分30秒");
    // 17:30 UTC is already the next day in Beijing.
    expect(formatShanghaiDateTime(new Date("2026-11-26T17:30:00Z"))).toBe("2026年11月27日 01时30分00秒");

    const { text } = await extractText(
      await renderConfirmationPdf(sample({ closedAt: new Date("2026-11-26T06:05:30Z") })),
    );
    expect(text).toContain("2026年11月26日 14时05分30秒");
  });

  it("writes a case number given with ASCII brackets with the full-width ones, once", async () => {
    const { text } = await extractText(await renderConfirmationPdf(sample({ caseNumber: "(2026)京0105执1234号" })));
    expect(squeeze(text)).toContain("在（2026）京0105执1234号案件中");
  });

  it("wraps long names and titles without losing a character", async () => {
    const buyerName = "北京某某房地产开发有限责任公司";
    const lotTitle =
      "北京市朝阳区某某街道某某小区3号楼2单元501室住宅及地下一层B2-017号车位、储藏室一间（含室内装修及附属设施）";
    const { text, pages } = await extractText(await renderConfirmationPdf(sample({ buyerName, lotTitle })));
    expect(pages).toBe(1);
    expect(squeeze(text)).toContain(`竞买人${buyerName}（`);
    expect(squeeze(text)).toContain(squeeze(lotTitle));
  });

  it("renders the same bytes for the same data, so a published copy can be hashed", async () => {
    const first = await renderConfirmationPdf(sample());
    const second = await renderConfirmationPdf(sample());
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it("refuses a character the embedded font cannot draw rather than print a blank box", async () => {
    await expect(renderConfirmationPdf(sample({ buyerName: "张\u{E000}" }))).rejects.toThrow(/U\+E000/u);
  });
});
