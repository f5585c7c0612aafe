// The starting price against the reference price, as bidders compare lots: "起拍价为参考价的 70%（七折）".

const DIGITS = "〇一二三四五六七八九";

/**
 * The starting price as a share of the reference price, in basis points, rounded up as the search stores it
 * (a lot found "at most 70%" never reads above 70% here).
 */
export function startingShareBp(startingFen: string | bigint, referenceFen: string | bigint): number {
  const start = BigInt(startingFen);
  const reference = BigInt(referenceFen);
  if (reference <= 0n) return 0;
  return Number((start * 10000n + reference - 1n) / reference);
}

/** "70%", "72.5%", "56.25%": basis points as a percentage, without trailing zeros. */
export function percentText(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}

/**
 * The share as Chinese shops say a discount: 70% is 七折, 56% 五六折. Only for a whole percentage from 10% up to
 * 99% (a share like 72.5% has no such name, and 100% or more is no discount): null otherwise.
 */
export function zheText(bp: number): string | null {
  if (bp % 100 !== 0 || bp < 1000 || bp >= 10000) return null;
  const percent = bp / 100;
  const tens = Math.floor(percent / 10);
  const ones = percent % 10;
  return `${DIGITS[tens]}${ones === 0 ? "" : DIGITS[ones]}折`;
}
