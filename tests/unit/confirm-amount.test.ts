import { describe, expect, it } from "vitest";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { amountInWords, AmountToConfirm } from "../../app/components/confirm-amount.tsx";
import { createI18n } from "../../app/i18n/index.ts";
import { en } from "../../app/i18n/en.ts";
import { zhCN } from "../../app/i18n/zh-CN.ts";

const render = (node: ReactNode, lang: "zh-CN" | "en" = "zh-CN") => renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n(lang, lang === "en" ? en : zhCN) }, node));

describe("the amount a bidder or judge confirms", () => {
  it("is written in 大写 after 人民币, as on a cheque", () => {
    expect(amountInWords("12345678")).toBe("人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分");
    expect(amountInWords("300000")).toBe("人民币叁仟元整");
  });

  it("has no words for nothing, for what is not an amount, or beyond 万亿", () => {
    for (const fen of [null, "0", "", "-5", "12.5", "abc", "100000000000000"]) expect(amountInWords(fen)).toBeNull();
  });

  it("shows the figures and the words together, in either language", () => {
    const zh = render(createElement(AmountToConfirm, { label: "bid.confirm.amount", fen: "3050000" }));
    expect(zh).toContain("¥30,500.00");
    expect(zh).toContain("人民币叁万零伍佰元整");
    expect(zh).toContain("金额大写");
    const en = render(createElement(AmountToConfirm, { label: "bid.confirm.amount", fen: "3050000" }), "en");
    expect(en).toContain("¥30,500.00");
    expect(en).toContain("人民币叁万零伍佰元整");
  });
});
