// Money is always an integer number of fen (1 yuan = 100 fen) held in a bigint,
// so sums of large court-auction amounts never lose precision.
export type Fen = bigint;

/** "¥1,234.56"; negative amounts put the sign before the currency symbol. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+$)/g, ",");
  const cents = (abs % 100n).toString().padStart(2, "0");
  return `${sign}¥${yuan}.${cents}`;
}

// Either plain digits or correctly grouped thousands ("1,234,567"), then up to 2 decimals.
const YUAN_PATTERN = /^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

/**
 * Parses user-entered yuan ("1234.56", "1,234.5", "¥1,234", "￥8") into fen.
 * Throws RangeError for anything else, including negatives and fractions of a fen.
 */
export function parseYuan(text: string): Fen {
  const body = text.trim().replace(/^[¥￥]\s*/, "");
  const match = YUAN_PATTERN.exec(body);
  if (!match) throw new RangeError(`Invalid yuan amount: ${JSON.stringify(text)}`);
  const whole = BigInt(match[1]!.replaceAll(",", ""));
  const fraction = BigInt((match[2] ?? "").padEnd(2, "0"));
  return whole * 100n + fraction;
}

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const PLACES = ["", "拾", "佰", "仟"];
const GROUPS = ["", "万", "亿"];
/** 9999亿9999万9999元9角9分 — the largest amount the 万/亿 units can express. */
export const MAX_CAPITAL_FEN: Fen = 10n ** 14n - 1n;

/**
 * Chinese financial capital numerals (大写金额) per the PBoC 《支付结算办法》 writing rules:
 * - "整" follows an amount ending at 元 (mandatory) or 角 (permitted; we always write it
 *   so nothing can be appended); never after 分.
 * - A run of zeros between non-zero digits is written as a single 零, also across 万/亿.
 * - 角 = 0 with 分 ≠ 0 requires 零 after 元 ("壹元零伍分").
 * - 元 digit = 0 with 角 ≠ 0: the rules allow either form; we write no 零 ("壹拾元伍角整").
 * - 10–19 keep the leading 壹 ("壹拾元整"); amounts under one yuan omit 元 ("伍角陆分").
 */
export function toChineseCapital(fen: Fen): string {
  if (fen < 0n) return "负" + toChineseCapital(-fen);
  if (fen > MAX_CAPITAL_FEN) throw new RangeError(`Amount too large for 大写: ${fen} fen`);

  const jiao = Number((fen / 10n) % 10n);
  const cents = Number(fen % 10n);
  const integer = integerCapital(fen / 100n);
  let out = integer === "" ? "" : integer + "元";

  if (jiao === 0 && cents === 0) return out === "" ? "零元整" : out + "整";
  if (jiao !== 0) out += DIGITS[jiao] + "角";
  else if (out !== "") out += "零";
  return out + (cents !== 0 ? DIGITS[cents] + "分" : "整");
}

/** Integer yuan in 大写 without the 元 unit; "" for zero. */
function integerCapital(yuan: bigint): string {
  if (yuan === 0n) return "";
  const digits = yuan.toString();
  let out = "";
  let pendingZero = false; // zeros seen since the last written digit
  let groupHasDigit = false; // whether the current 4-digit group wrote anything
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const power = digits.length - 1 - i;
    if (d === 0) {
      pendingZero = true;
    } else {
      // Leading digit never has a pending zero, so this only fires between digits.
      if (pendingZero) out += "零";
      out += DIGITS[d]! + PLACES[power % 4]!;
      pendingZero = false;
      groupHasDigit = true;
    }
    if (power % 4 === 0) {
      // An all-zero group (e.g. the 万 group of 1,0000,0001) gets no unit.
      if (groupHasDigit) out += GROUPS[power / 4]!;
      groupHasDigit = false;
    }
  }
  return out;
}
