import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CN_SPC_2016, halfUpRatio } from "../../core/ruleset.ts";
import { appraisalFeeBasis, inquiryFeeShares, reissueFee } from "../../escrow/rules/fees.ts";

const P = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("inquiry fee (A26)", () => {
  it("A26: the whole inquiry fee goes to the platform whose result is closest to the deal price", () => {
    const shares = inquiryFeeShares(300_000n, 1_050_000_00n, [
      { platformId: P(1), valueFen: 1_000_000_00n },
      { platformId: P(2), valueFen: 1_040_000_00n },
      { platformId: P(3), valueFen: 1_200_000_00n },
    ]);
    expect(shares).toEqual([{ platformId: P(2), amountFen: 300_000n }]);
  });

  it("A26: a result above the deal price is as close as one the same distance below it", () => {
    const shares = inquiryFeeShares(100n, 1_000n, [
      { platformId: P(2), valueFen: 1_010n },
      { platformId: P(1), valueFen: 990n },
      { platformId: P(3), valueFen: 1_011n },
    ]);
    expect(shares).toEqual([
      { platformId: P(1), amountFen: 50n },
      { platformId: P(2), amountFen: 50n },
    ]);
  });

  it("A26: a tie splits an odd fen amount without losing or creating a fen, the odd fen to the first platform by id", () => {
    const shares = inquiryFeeShares(100_001n, 500n, [
      { platformId: P(9), valueFen: 400n },
      { platformId: P(4), valueFen: 600n },
    ]);
    expect(shares).toEqual([
      { platformId: P(4), amountFen: 50_001n },
      { platformId: P(9), amountFen: 50_000n },
    ]);
    expect(shares.reduce((s, x) => s + x.amountFen, 0n)).toBe(100_001n);
  });

  it("A26: a three-way tie of 100 fen gives 34, 33 and 33", () => {
    const shares = inquiryFeeShares(100n, 1_000n, [P(3), P(1), P(2)].map((platformId) => ({ platformId, valueFen: 1_000n })));
    expect(shares.map((s) => s.amountFen)).toEqual([34n, 33n, 33n]);
  });

  it("A26: whatever the results, the shares add up to the fee and go only to the closest platforms, within one fen of each other", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 6 }),
        (fee, deal, values) => {
          const results = values.map((valueFen, i) => ({ platformId: P(i), valueFen }));
          const shares = inquiryFeeShares(fee, deal, results);
          const distance = (v: bigint) => (v > deal ? v - deal : deal - v);
          const best = results.map((r) => distance(r.valueFen)).reduce((a, b) => (a < b ? a : b));
          expect(shares.reduce((s, x) => s + x.amountFen, 0n)).toBe(fee);
          for (const s of shares) expect(distance(results.find((r) => r.platformId === s.platformId)!.valueFen)).toBe(best);
          expect(shares.length).toBe(results.filter((r) => distance(r.valueFen) === best).length);
          const amounts = shares.map((s) => s.amountFen);
          const [max, min] = [amounts.reduce((a, b) => (a > b ? a : b)), amounts.reduce((a, b) => (a < b ? a : b))];
          expect(max - min <= 1n).toBe(true);
        },
      ),
    );
  });

  it("A26: a fee of zero or no result to compare is refused", () => {
    expect(() => inquiryFeeShares(0n, 1n, [{ platformId: P(1), valueFen: 1n }])).toThrow(RangeError);
    expect(() => inquiryFeeShares(1n, 1n, [])).toThrow(RangeError);
  });
});

describe("appraisal fee (A26)", () => {
  it("A26: after a sale below the appraised value, the fee is based on the deal price", () => {
    expect(appraisalFeeBasis(1_000_000_00n, 800_000_00n)).toEqual({ basis: "lower_of_value_and_deal", baseFen: 800_000_00n });
  });

  it("A26: after a sale above the appraised value, the fee is based on the appraised value", () => {
    expect(appraisalFeeBasis(1_000_000_00n, 1_200_000_00n)).toEqual({ basis: "lower_of_value_and_deal", baseFen: 1_000_000_00n });
  });

  it("A26: when nothing sells, the fee is the agency's actual costs", () => {
    expect(appraisalFeeBasis(1_000_000_00n, null)).toEqual({ basis: "actual_costs", baseFen: null });
  });
});

describe("re-issued report (A26)", () => {
  it("A26: a re-issued report earns 30% of the fee", () => {
    expect(reissueFee(CN_SPC_2016, 1_000_000n)).toBe(300_000n);
  });

  it("A26: 30% is rounded half-up to the fen (P9)", () => {
    expect(reissueFee(CN_SPC_2016, 5n)).toBe(2n); // 1.5 → 2
    expect(reissueFee(CN_SPC_2016, 3n)).toBe(1n); // 0.9 → 1
    expect(reissueFee(CN_SPC_2016, 1n)).toBe(0n); // 0.3 → 0
    expect(halfUpRatio(7n, { num: 1n, den: 2n })).toBe(4n);
  });

  it("A26: a fee of zero is refused", () => {
    expect(() => reissueFee(CN_SPC_2016, 0n)).toThrow(RangeError);
  });
});
