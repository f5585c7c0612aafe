import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocateDistribution, applyForfeitedDeposit, proRata, type Claim } from "../../escrow/rules/distribution.ts";

const costs = (claimFen: bigint): Claim => ({ kind: "court_costs", claimFen });
const secured = (claimFen: bigint, rank: number): Claim => ({ kind: "secured_creditor", claimFen, rank });
const ordinary = (claimFen: bigint): Claim => ({ kind: "creditor", claimFen });
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("the distribution's allocation (H3, P9)", () => {
  it("H3: costs are paid first; when the money does not cover them, no creditor gets anything", () => {
    expect(allocateDistribution(500n, [ordinary(1_000n), costs(800n), secured(300n, 1)])).toEqual({ amounts: [0n, 500n, 0n], surplusFen: 0n });
  });

  it("H3: at exactly the costs, the costs are paid in full and nothing is left for creditors or the debtor", () => {
    expect(allocateDistribution(800n, [costs(800n), ordinary(1_000n)])).toEqual({ amounts: [800n, 0n], surplusFen: 0n });
  });

  it("H3: secured creditors are paid by rank, each up to its claim, before ordinary creditors", () => {
    const claims = [ordinary(1_000n), secured(400n, 2), secured(300n, 1), costs(100n)];
    expect(allocateDistribution(600n, claims).amounts).toEqual([0n, 200n, 300n, 100n]);
    expect(allocateDistribution(800n, claims).amounts).toEqual([0n, 400n, 300n, 100n]);
    expect(allocateDistribution(801n, claims).amounts).toEqual([1n, 400n, 300n, 100n]);
  });

  it("H3: money left after every claim is paid in full is the debtor's surplus; one fen less leaves none", () => {
    const claims = [costs(100n), secured(200n, 1), ordinary(300n)];
    expect(allocateDistribution(601n, claims)).toEqual({ amounts: [100n, 200n, 300n], surplusFen: 1n });
    expect(allocateDistribution(600n, claims)).toEqual({ amounts: [100n, 200n, 300n], surplusFen: 0n });
    expect(allocateDistribution(599n, claims)).toEqual({ amounts: [100n, 200n, 299n], surplusFen: 0n });
  });

  it("P9: ordinary creditors share pro rata to the fen; the odd fen go to the largest remainders, ties to the earlier line", () => {
    // 100 fen among three equal claims: 33.33 each, the one fen left goes to the first.
    expect(allocateDistribution(100n, [ordinary(500n), ordinary(500n), ordinary(500n)]).amounts).toEqual([34n, 33n, 33n]);
    // 10 fen among claims 1:2:3 → 1.67, 3.33, 5: the fen goes to the largest remainder (the first line's .67).
    expect(proRata(10n, [100n, 200n, 300n])).toEqual([2n, 3n, 5n]);
    // Equal secured ranks share like ordinary creditors.
    expect(allocateDistribution(101n, [secured(100n, 1), secured(100n, 1)]).amounts).toEqual([51n, 50n]);
  });

  it("H3: nothing in the escrow allocates nothing; no claims leave everything to the debtor", () => {
    expect(allocateDistribution(0n, [costs(1n), ordinary(5n)])).toEqual({ amounts: [0n, 0n], surplusFen: 0n });
    expect(allocateDistribution(700n, [])).toEqual({ amounts: [], surplusFen: 700n });
  });

  const claimArb = fc.oneof(
    fc.record({ kind: fc.constant("court_costs" as const), claimFen: fc.bigInt({ min: 0n, max: 10n ** 12n }) }),
    fc.record({ kind: fc.constant("secured_creditor" as const), claimFen: fc.bigInt({ min: 0n, max: 10n ** 12n }), rank: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant("creditor" as const), claimFen: fc.bigInt({ min: 0n, max: 10n ** 12n }) }),
  );

  it("H3, P9 (property): every fen is allocated once, no claim is overpaid, ranks are respected, pro rata within one fen", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 5n * 10n ** 12n }), fc.array(claimArb, { maxLength: 12 }), (available, claims) => {
        const { amounts, surplusFen } = allocateDistribution(available, claims);
        expect(sum(amounts) + surplusFen).toBe(available);
        claims.forEach((c, i) => expect(amounts[i]! >= 0n && amounts[i]! <= c.claimFen).toBe(true));
        if (surplusFen > 0n) claims.forEach((c, i) => expect(amounts[i]).toBe(c.claimFen));
        // A later class (or rank) is paid only when every earlier one is paid in full.
        const order = (c: Claim) => (c.kind === "court_costs" ? 0 : c.kind === "secured_creditor" ? c.rank! : 100);
        claims.forEach((later, j) => {
          if (amounts[j]! === 0n) return;
          claims.forEach((earlier, i) => {
            if (order(earlier) < order(later)) expect(amounts[i]).toBe(earlier.claimFen);
          });
        });
        // Within the ordinary creditors, each share is within one fen of its exact proportion of what they got.
        const ord = claims.flatMap((c, i) => (c.kind === "creditor" ? [i] : []));
        const total = sum(ord.map((i) => claims[i]!.claimFen));
        const got = sum(ord.map((i) => amounts[i]!));
        if (total > 0n) {
          for (const i of ord) {
            const exactTimesTotal = got * claims[i]!.claimFen;
            const diff = amounts[i]! * total - exactTimesTotal;
            expect(diff > -total && diff < total).toBe(true);
          }
        }
      }),
    );
  });
});

describe("a forfeited deposit applied in order (F4)", () => {
  const uses = { costsAndLossesFen: 1_000n, reauctionShortfallFen: 2_000n, caseDebtFen: 3_000n, otherDebtsFen: 4_000n };

  it("F4: costs and losses first, then the re-auction's shortfall, this case's debt, the debtor's other debts", () => {
    expect(applyForfeitedDeposit(2_500n, uses)).toEqual({ costsAndLossesFen: 1_000n, reauctionShortfallFen: 1_500n, caseDebtFen: 0n, otherDebtsFen: 0n, unappliedFen: 0n });
    expect(applyForfeitedDeposit(6_001n, uses)).toEqual({ costsAndLossesFen: 1_000n, reauctionShortfallFen: 2_000n, caseDebtFen: 3_000n, otherDebtsFen: 1n, unappliedFen: 0n });
  });

  it("F4: what is left after all four uses stays unapplied; at exactly their total nothing is left", () => {
    expect(applyForfeitedDeposit(10_000n, uses).unappliedFen).toBe(0n);
    expect(applyForfeitedDeposit(10_001n, uses).unappliedFen).toBe(1n);
  });
});
