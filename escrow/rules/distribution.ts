// The distribution's arithmetic (分配方案): pure, integer fen, no I/O. H3: costs are paid first and any surplus goes
// to the debtor; secured creditors are paid by rank; ordinary creditors share what is left in proportion to their
// claims, to the fen (P9). Every fen available is allocated exactly once.

export type ClaimKind = "court_costs" | "secured_creditor" | "creditor";

export interface Claim {
  kind: ClaimKind;
  claimFen: bigint;
  /** Secured creditors only: 1 is paid first; equal ranks share pro rata. */
  rank?: number;
}

export interface Allocation {
  /** What each claim receives, in the order the claims were given. */
  amounts: bigint[];
  /** H3: what is left after every claim is paid in full, for the debtor. */
  surplusFen: bigint;
}

/**
 * Shares `availableFen` among claims that together exceed it, in proportion to each claim: each gets the floor of its
 * exact share, and the fen left over go one each to the largest remainders, ties to the earlier position. No claim
 * gets more than it claimed, and each share is within one fen of the exact proportion.
 */
export function proRata(availableFen: bigint, claims: readonly bigint[]): bigint[] {
  const total = claims.reduce((sum, c) => sum + c, 0n);
  if (total <= availableFen) return [...claims];
  const shares = claims.map((c) => (availableFen * c) / total);
  let left = availableFen - shares.reduce((sum, s) => sum + s, 0n);
  const byRemainder = claims
    .map((c, i) => ({ i, remainder: (availableFen * c) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares;
}

/**
 * Pays groups of claims in order: each group in full while the money lasts; the group it runs out in shares pro rata;
 * later groups get nothing. Returns each group's shares and what is left.
 */
export function waterfall(availableFen: bigint, groups: readonly (readonly bigint[])[]): { shares: bigint[][]; leftFen: bigint } {
  let left = availableFen;
  const shares = groups.map((group) => {
    const paid = proRata(left, group);
    left -= paid.reduce((sum, p) => sum + p, 0n);
    return paid;
  });
  return { shares, leftFen: left };
}

/** The order of payment: costs, then secured creditors rank by rank, then ordinary creditors (H3). */
function groupOrder(claims: readonly Claim[]): number[][] {
  const positions = (kind: ClaimKind) => claims.flatMap((c, i) => (c.kind === kind ? [i] : []));
  const secured = positions("secured_creditor");
  const ranks = [...new Set(secured.map((i) => claims[i]!.rank ?? 1))].sort((a, b) => a - b);
  return [positions("court_costs"), ...ranks.map((r) => secured.filter((i) => (claims[i]!.rank ?? 1) === r)), positions("creditor")];
}

/** H3, P9: allocates a case's escrow among its claims; the amounts and the surplus add up to `availableFen`. */
export function allocateDistribution(availableFen: bigint, claims: readonly Claim[]): Allocation {
  if (availableFen < 0n) throw new RangeError("available money cannot be negative");
  if (claims.some((c) => c.claimFen < 0n)) throw new RangeError("a claim cannot be negative");
  const groups = groupOrder(claims);
  const { shares, leftFen } = waterfall(
    availableFen,
    groups.map((g) => g.map((i) => claims[i]!.claimFen)),
  );
  const amounts = claims.map(() => 0n);
  groups.forEach((g, n) => g.forEach((i, k) => (amounts[i] = shares[n]![k]!)));
  return { amounts, surplusFen: leftFen };
}

/** F4's four uses of a forfeited deposit, in order. */
export interface ForfeitureUses {
  costsAndLossesFen: bigint;
  reauctionShortfallFen: bigint;
  caseDebtFen: bigint;
  otherDebtsFen: bigint;
}

/**
 * F4: a forfeited deposit is applied, in order, to the costs and losses of the default, any shortfall of the
 * re-auction, this case's debt, and the debtor's other debts tied to the property; each use up to its amount.
 * `unappliedFen` is what is left after all four: it stays in the case's escrow for the distribution (H3).
 */
export function applyForfeitedDeposit(depositFen: bigint, uses: ForfeitureUses): ForfeitureUses & { unappliedFen: bigint } {
  const order = [uses.costsAndLossesFen, uses.reauctionShortfallFen, uses.caseDebtFen, uses.otherDebtsFen];
  if (depositFen < 0n || order.some((u) => u < 0n)) throw new RangeError("amounts cannot be negative");
  const { shares, leftFen } = waterfall(depositFen, order.map((u) => [u]));
  const [costsAndLossesFen, reauctionShortfallFen, caseDebtFen, otherDebtsFen] = shares.map((s) => s[0]!) as [bigint, bigint, bigint, bigint];
  return { costsAndLossesFen, reauctionShortfallFen, caseDebtFen, otherDebtsFen, unappliedFen: leftFen };
}
