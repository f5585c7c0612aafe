import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { formatFen, parseYuan, toChineseCapital, MAX_CAPITAL_FEN } from "../../core/money.ts";

describe("formatFen", () => {
  it.each([
    [0n, "¥0.00"],
    [1n, "¥0.01"],
    [10n, "¥0.10"],
    [100n, "¥1.00"],
    [123456n, "¥1,234.56"],
    [100000n, "¥1,000.00"],
    [99999n, "¥999.99"],
    [123456789012n, "¥1,234,567,890.12"],
    [-123456n, "-¥1,234.56"],
    [-1n, "-¥0.01"],
  ])("formats %s fen as %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});

describe("parseYuan", () => {
  it.each([
    ["1234.56", 123456n],
    ["1,234.5", 123450n],
    ["¥1,234", 123400n],
    ["￥1,234.00", 123400n],
    ["¥ 8", 800n],
    ["  0.01 ", 1n],
    ["0", 0n],
    ["1,234,567.89", 123456789n],
    ["1234567", 123456700n],
  ])("parses %j as %s fen", (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each([
    "",
    "   ",
    "¥",
    "1.234",
    "1.",
    ".5",
    "12a",
    "abc",
    "-1",
    "-¥1.00",
    "1e3",
    "1,23",
    "12,34.00",
    ",123",
    "1.2.3",
    "NaN",
  ])("refuses %j with a RangeError", (text) => {
    expect(() => parseYuan(text)).toThrow(RangeError);
  });

  it("round-trips formatFen output for any non-negative amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), (fen) => {
        expect(parseYuan(formatFen(fen))).toBe(fen);
      }),
    );
  });
});

describe("toChineseCapital", () => {
  it.each([
    [0n, "零元整"],
    [1n, "壹分"],
    [10n, "壹角整"],
    [56n, "伍角陆分"],
    [5n, "伍分"],
    [100n, "壹元整"],
    [120n, "壹元贰角整"],
    [105n, "壹元零伍分"],
    [1000n, "壹拾元整"],
    [1500n, "壹拾伍元整"],
    [1050n, "壹拾元伍角整"],
    [11000n, "壹佰壹拾元整"],
    [123456n, "壹仟贰佰叁拾肆元伍角陆分"],
    [100005n, "壹仟元零伍分"],
    [1000000n, "壹万元整"],
    [1020300n, "壹万零贰佰零叁元整"],
    [10000050n, "壹拾万元伍角整"],
    [10050000n, "壹拾万零伍佰元整"],
    [11000000n, "壹拾壹万元整"],
    [100001000n, "壹佰万零壹拾元整"],
    [1000000100n, "壹仟万零壹元整"],
    [10000000000n, "壹亿元整"],
    [10001000000n, "壹亿零壹万元整"],
    [10000000100n, "壹亿零壹元整"],
    [12345678n, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"],
    [12345678900n, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"],
    [MAX_CAPITAL_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"],
  ])("writes %s fen as %s", (fen, text) => {
    expect(toChineseCapital(fen)).toBe(text);
  });

  // The worked examples of 《支付结算办法》 附件一; where the rules allow two forms we
  // assert the one this module chose (no 零 after a zero 元 digit, 整 after 角).
  it.each([
    [140950n, "壹仟肆佰零玖元伍角整"],
    [600714n, "陆仟零柒元壹角肆分"],
    [168032n, "壹仟陆佰捌拾元叁角贰分"],
    [10700053n, "壹拾万零柒仟元伍角叁分"],
    [1640902n, "壹万陆仟肆佰零玖元零贰分"],
    [32504n, "叁佰贰拾伍元零肆分"],
  ])("matches the PBoC worked example %s fen → %s", (fen, text) => {
    expect(toChineseCapital(fen)).toBe(text);
  });

  it("prefixes negative amounts with 负", () => {
    expect(toChineseCapital(-123456n)).toBe("负壹仟贰佰叁拾肆元伍角陆分");
    expect(toChineseCapital(-1n)).toBe("负壹分");
  });

  it("refuses amounts of 1万亿 yuan or more with a RangeError", () => {
    expect(() => toChineseCapital(MAX_CAPITAL_FEN + 1n)).toThrow(RangeError);
    expect(() => toChineseCapital(100000000000000n)).toThrow(RangeError);
  });

  it("reads back to the same amount with an independent decoder", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_CAPITAL_FEN }), (fen) => {
        expect(decodeCapital(toChineseCapital(fen))).toBe(fen);
      }),
    );
  });

  it("never doubles 零, never ends on 零, and writes 整 only when there are no 分", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_CAPITAL_FEN }), (fen) => {
        const text = toChineseCapital(fen);
        expect(text).not.toMatch(/零零|^零|零$|零[元万亿]/);
        expect(text.endsWith("整")).toBe(fen % 10n === 0n);
        expect(text.endsWith("分")).toBe(fen % 10n !== 0n);
      }),
    );
  });
});

// Test-only reader for 大写 amounts, written without reference to the encoder.
function decodeCapital(text: string): bigint {
  const digits = "零壹贰叁肆伍陆柒捌玖";
  const places: Record<string, bigint> = { 拾: 10n, 佰: 100n, 仟: 1000n };
  let total = 0n; // completed 亿 groups
  let section = 0n; // value below 亿 so far
  let digit = 0n; // last digit not yet consumed by a unit
  let fen = 0n;
  for (const ch of text) {
    const d = digits.indexOf(ch);
    if (d >= 0) {
      digit = BigInt(d);
      continue;
    }
    switch (ch) {
      case "拾":
      case "佰":
      case "仟":
        section += digit * places[ch]!;
        break;
      case "万":
        section = (section + digit) * 10000n;
        break;
      case "亿":
        total = (total + section + digit) * 100000000n;
        section = 0n;
        break;
      case "元":
        fen += (total + section + digit) * 100n;
        total = section = 0n;
        break;
      case "角":
        fen += digit * 10n;
        break;
      case "分":
        fen += digit;
        break;
      case "整":
        break;
      default:
        throw new Error(`unexpected ${ch} in ${text}`);
    }
    digit = 0n;
  }
  return fen;
}
