import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recomputeDraw } from "../../app/lib/recompute-draw.ts";
import { ASSET_CATEGORIES, SPECIALTIES } from "../../db/schema/index.ts";
import {
  canonicalEligible,
  cityOf,
  DRAW_ALGORITHM,
  DRAW_ALGORITHM_V1,
  DRAW_ALGORITHM_V2,
  drawKey,
  drawRanking,
  eligibleJson,
  eligibleSha256,
  entropyJson,
  isCanonicalOrder,
  provinceOf,
  regionLevel,
  rotationWeights,
  seedCommitment,
  specialtyForCategory,
  uniformBelow,
  weightedIndex,
  withRotationCounts,
  wordStream,
  type EligibleAgency,
} from "../../appraisal/rules/draw.ts";

const hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** `n` agencies in canonical order; agency i has rotation count counts(i) (0 by default). */
function agencies(n: number, counts: (i: number) => number = () => 0): EligibleAgency[] {
  return canonicalEligible(
    Array.from({ length: n }, (_, i) => ({
      agencyId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      creditCode: `9111000000000${String(i).padStart(4, "0")}X`,
      name: `评估机构${i}`,
      rotationCount: counts(i),
    })),
  );
}

const ENTROPY = [
  { partyId: "11111111-1111-4111-8111-111111111111", value: "申请人的随机数 4711" },
  { partyId: "22222222-2222-4222-8222-222222222222", value: "debtor-0815" },
];

/** The published example of docs/decisions/009-verifiable-draw.md (v2: with rotation counts 2, 0, 1, 3, 0). */
const EXAMPLE = {
  seedHex: hex("example seed"),
  entropy: [
    { partyId: "p-2", value: "被执行人的数字" },
    { partyId: "p-1", value: "12345" },
  ],
  eligible: [
    { agencyId: "a-1", creditCode: "91110000000000001X", name: "甲评估", rotationCount: 2 },
    { agencyId: "a-2", creditCode: "91110000000000002X", name: "乙评估", rotationCount: 0 },
    { agencyId: "a-3", creditCode: "91110000000000003X", name: "丙评估", rotationCount: 1 },
    { agencyId: "a-4", creditCode: "91110000000000004X", name: "丁评估", rotationCount: 3 },
    { agencyId: "a-5", creditCode: "91110000000000005X", name: "戊评估", rotationCount: 0 },
  ],
};

/**
 * A second implementation of sha256-ctr-rotation-v2 written from the text of ADR 009 alone (BigInt
 * arithmetic, byte arrays and JSON built by hand), so the document and the code cannot drift apart unnoticed.
 */
function referenceDraw(seedHex: string, entropy: { partyId: string; value: string }[], eligible: EligibleAgency[], size: number): string[] {
  const h = (...parts: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const sortedEntropy = [...entropy].sort((a, b) => (a.partyId < b.partyId ? -1 : 1)).map((e) => `{"partyId":${JSON.stringify(e.partyId)},"value":${JSON.stringify(e.value)}}`);
  const list = eligible.map(
    (a) => `{"agencyId":${JSON.stringify(a.agencyId)},"creditCode":${JSON.stringify(a.creditCode)},"name":${JSON.stringify(a.name)},"rotationCount":${String(a.rotationCount)}}`,
  );
  const seed = Uint8Array.from(seedHex.match(/../g)!.map((b) => parseInt(b, 16)));
  const key = h(utf8("judicial-appraisal-draw/v2"), new Uint8Array([0]), seed, h(utf8(`[${sortedEntropy.join(",")}]`)), h(utf8(`[${list.join(",")}]`)));
  const words: bigint[] = [];
  let counter = 0;
  const word = () => {
    if (words.length === 0) {
      const block = h(key, new Uint8Array([(counter >>> 24) & 255, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]));
      counter++;
      for (let i = 0; i < 32; i += 4) words.push((BigInt(block[i]!) << 24n) | (BigInt(block[i + 1]!) << 16n) | (BigInt(block[i + 2]!) << 8n) | BigInt(block[i + 3]!));
    }
    return words.shift()!;
  };
  const uniform = (m: bigint) => {
    const limit = (2n ** 32n / m) * m;
    let w = word();
    while (w >= limit) w = word();
    return w % m;
  };
  const ids = eligible.map((a) => a.agencyId);
  const k = Math.min(size, ids.length);
  if (k === 0) return [];
  // Place 1: tickets 1 + min(max − count, 4); r uniform below the total; walk the list.
  const counts = eligible.map((a) => BigInt(a.rotationCount!));
  const max = counts.reduce((m, c) => (c > m ? c : m), 0n);
  const tickets = counts.map((c) => 1n + (max - c < 4n ? max - c : 4n));
  let r = uniform(tickets.reduce((s, t) => s + t, 0n));
  let f = 0;
  while (r >= tickets[f]!) r -= tickets[f++]!;
  [ids[0], ids[f]] = [ids[f]!, ids[0]!];
  // Places 2 … k: Fisher–Yates over the rest.
  for (let i = 1; i < k; i++) {
    const j = i + Number(uniform(BigInt(ids.length - i)));
    const t = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = t;
  }
  return ids.slice(0, k);
}

describe("the draw (A13, P6): determinism and the published algorithm", () => {
  it("P6: the same seed, entropy and list always give the same ranking", () => {
    const eligible = agencies(12);
    const input = { seedHex: hex("s"), entropy: ENTROPY, eligible, size: 3 };
    const first = drawRanking(input);
    for (let i = 0; i < 20; i++) expect(drawRanking({ ...input, entropy: [...ENTROPY].reverse(), eligible: eligible.map((a) => ({ ...a })) })).toEqual(first);
  });

  it("P6: the published example of ADR 009 gives its published values (anyone can check a reimplementation)", () => {
    const eligible = canonicalEligible(EXAMPLE.eligible);
    expect(DRAW_ALGORITHM).toBe("sha256-ctr-rotation-v2");
    expect(seedCommitment(EXAMPLE.seedHex)).toBe("2addbb64f918f80dc4de3ae6a5c6042b1a4b127ea737a518b00c01e6033fa810");
    expect(eligibleJson(eligible)).toBe(
      '[{"agencyId":"a-1","creditCode":"91110000000000001X","name":"甲评估","rotationCount":2},{"agencyId":"a-2","creditCode":"91110000000000002X","name":"乙评估","rotationCount":0},' +
        '{"agencyId":"a-3","creditCode":"91110000000000003X","name":"丙评估","rotationCount":1},{"agencyId":"a-4","creditCode":"91110000000000004X","name":"丁评估","rotationCount":3},' +
        '{"agencyId":"a-5","creditCode":"91110000000000005X","name":"戊评估","rotationCount":0}]',
    );
    expect(eligibleSha256(eligible)).toBe("cedd9f1ad2c53538250f8d5c90181afbff0331dc4154881ca91dcada854b6046");
    const key = drawKey(EXAMPLE.seedHex, EXAMPLE.entropy, eligible);
    expect(key.toString("hex")).toBe("3b2627e4b101f2e0a8be780fc22b45454ef9d470f7bd1eb37251d99536f70bec");
    // The worked steps of the ADR: tickets 2, 4, 3, 1, 4 (14 in all); word 0 = 3,028,680,394, mod 14 = 12 → a-5;
    // word 1 = 867,716,280, mod 4 = 0 → place 2 is a-2; word 2 = 3,205,944,981, mod 3 = 0 → place 3 is a-3.
    expect(rotationWeights(eligible)).toEqual([2, 4, 3, 1, 4]);
    const next = wordStream(key);
    expect([next(), next(), next()]).toEqual([3_028_680_394, 867_716_280, 3_205_944_981]);
    expect(drawRanking({ ...EXAMPLE, eligible, size: 3 })).toEqual(["a-5", "a-2", "a-3"]);
  });

  it("P6: a draw stored under sha256-ctr-fisher-yates-v1 still recomputes to v1's published example (old draws keep verifying)", () => {
    const eligible = canonicalEligible(EXAMPLE.eligible.map(({ rotationCount: _, ...a }) => a));
    expect(eligibleSha256(eligible, DRAW_ALGORITHM_V1)).toBe("fadc7186df275bd865680ea332ad68924b111b1cfb9f35ce9793b60f596368ce");
    expect(drawKey(EXAMPLE.seedHex, EXAMPLE.entropy, eligible, DRAW_ALGORITHM_V1).toString("hex")).toBe("c92e1aed0966bec4d05d1f222e4d6eb1d0544f7fd5d770699a5e1355e0380702");
    expect(drawRanking({ ...EXAMPLE, eligible, size: 3, algorithm: DRAW_ALGORITHM_V1 })).toEqual(["a-3", "a-2", "a-4"]);
    // v1 ignores rotation counts entirely: the same list with counts hashes and draws the same under v1.
    expect(eligibleSha256(canonicalEligible(EXAMPLE.eligible), DRAW_ALGORITHM_V1)).toBe("fadc7186df275bd865680ea332ad68924b111b1cfb9f35ce9793b60f596368ce");
    // A name this version does not know is refused, never guessed; so is a v2 list without its counts.
    expect(() => drawRanking({ ...EXAMPLE, eligible, size: 3, algorithm: "sha256-ctr-fisher-yates-v3" })).toThrow(RangeError);
    expect(() => drawRanking({ ...EXAMPLE, eligible, size: 3, algorithm: DRAW_ALGORITHM_V2 })).toThrow(RangeError);
    expect(isCanonicalOrder(eligible, DRAW_ALGORITHM_V1)).toBe(true);
    expect(isCanonicalOrder(eligible, DRAW_ALGORITHM_V2)).toBe(false);
  });

  it("P6: an independent implementation written from ADR 009 agrees on 500 random draws", () => {
    for (let t = 0; t < 500; t++) {
      // Counts of every shape: all equal, spread below the cap, and far apart (the cap binds).
      const eligible = agencies(1 + (t % 30), (i) => (t % 4 === 0 ? 3 : t % 4 === 1 ? (i * 7 + t) % 3 : (i * 31 + t * 17) % 50));
      const entropy = t % 3 === 0 ? [] : [...ENTROPY, { partyId: `p-${t}`, value: `值${t}"\\\n` }];
      const seedHex = hex(`seed ${t}`);
      expect(drawRanking({ seedHex, entropy, eligible, size: 3 })).toEqual(referenceDraw(seedHex, entropy, eligible, 3));
    }
  });

  it("P6: the commitment is SHA-256 of the 32 seed bytes, and malformed seeds are refused", () => {
    const seedHex = hex("x");
    expect(seedCommitment(seedHex)).toBe(createHash("sha256").update(Buffer.from(seedHex, "hex")).digest("hex"));
    for (const bad of ["", "00", seedHex.toUpperCase(), `${seedHex}00`, `${seedHex.slice(0, 63)}g`]) {
      expect(() => seedCommitment(bad)).toThrow(RangeError);
      expect(() => drawRanking({ seedHex: bad, entropy: [], eligible: agencies(5), size: 3 })).toThrow(RangeError);
    }
  });

  it("P6: the canonical list is ordered by credit code and hashed in that order; any other order is detected", () => {
    const eligible = agencies(6);
    const shuffled = [eligible[3]!, eligible[0]!, eligible[5]!, eligible[1]!, eligible[4]!, eligible[2]!];
    expect(canonicalEligible(shuffled)).toEqual(eligible);
    expect(isCanonicalOrder(eligible)).toBe(true);
    expect(isCanonicalOrder(shuffled)).toBe(false);
    expect(eligibleSha256(shuffled)).not.toBe(eligibleSha256(eligible));
    // Extra fields and key order (as jsonb returns them) do not change the bytes.
    const roundTripped = eligible.map((a) => ({ name: a.name, rotationCount: a.rotationCount, creditCode: a.creditCode, agencyId: a.agencyId, extra: 1 }));
    expect(eligibleJson(roundTripped)).toBe(eligibleJson(eligible));
    // The entropy is sorted by party, so the order the parties typed in does not matter.
    expect(entropyJson([...ENTROPY].reverse())).toBe(entropyJson(ENTROPY));
  });
});

describe("the draw (A13, P6): the result is a ranking of distinct eligible agencies", () => {
  it("A13: three distinct agencies from the list, in drawn order; all of them when fewer than three are eligible", () => {
    for (let n = 1; n <= 25; n++) {
      const eligible = agencies(n);
      const ids = new Set(eligible.map((a) => a.agencyId));
      for (let t = 0; t < 20; t++) {
        const ranking = drawRanking({ seedHex: hex(`${n}/${t}`), entropy: ENTROPY, eligible, size: 3 });
        expect(ranking).toHaveLength(Math.min(3, n));
        expect(new Set(ranking).size).toBe(ranking.length);
        for (const id of ranking) expect(ids.has(id)).toBe(true);
      }
    }
  });

  it("A13: an empty list ranks nobody; a list repeating an agency is refused", () => {
    expect(drawRanking({ seedHex: hex("e"), entropy: [], eligible: [], size: 3 })).toEqual([]);
    const [a] = agencies(1);
    expect(() => drawRanking({ seedHex: hex("e"), entropy: [], eligible: [a!, a!], size: 3 })).toThrow(RangeError);
  });
});

describe("the draw (P6): every input byte counts", () => {
  // What is asserted, and why it can fail: the draw key is SHA-256 over every input, so flipping a byte
  // changes the key unless SHA-256 collides (never observed) — asserted for every flip. The ranking is 3
  // ordered places out of 20 agencies: 20·19·18 = 6,840 outcomes, so for a fair generator a flip leaves the
  // ranking unchanged with probability 1/6,840. Over 256 flips about 0.04 are expected to stay the same; we
  // allow at most 1% (2 of 256). The inputs are fixed, so the test is deterministic; it fails if the key or the
  // stream ignored part of the input (then most flips would leave the ranking alone).
  const eligible = agencies(20);
  const seedHex = hex("flip base");
  const base = drawRanking({ seedHex, entropy: ENTROPY, eligible, size: 3 });
  const baseKey = drawKey(seedHex, ENTROPY, eligible).toString("hex");

  function flipHex(h: string, byte: number, bit: number): string {
    const b = Buffer.from(h, "hex");
    b[byte]! ^= 1 << bit;
    return b.toString("hex");
  }

  it("P6: flipping any single bit of the 32-byte seed changes the key always and the ranking in ≥99% of 256 flips", () => {
    let unchanged = 0;
    for (let byte = 0; byte < 32; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = flipHex(seedHex, byte, bit);
        expect(drawKey(flipped, ENTROPY, eligible).toString("hex")).not.toBe(baseKey);
        if (JSON.stringify(drawRanking({ seedHex: flipped, entropy: ENTROPY, eligible, size: 3 })) === JSON.stringify(base)) unchanged++;
      }
    }
    expect(unchanged).toBeLessThanOrEqual(2);
  });

  it("P6: changing one byte of either party's entropy changes the key always and the ranking in ≥99% of the changes", () => {
    let unchanged = 0;
    let total = 0;
    for (const [p, contribution] of ENTROPY.entries()) {
      const bytes = Buffer.from(contribution.value, "utf8");
      for (let i = 0; i < bytes.length; i++) {
        for (const delta of [1, 2, 3, 4]) {
          const changed = Buffer.from(bytes);
          // Inside a Chinese character this makes invalid UTF-8, which decodes to U+FFFD: still a different value.
          changed[i] = (changed[i]! + delta) % 256;
          const value = changed.toString("utf8");
          if (value === contribution.value) continue;
          const entropy = ENTROPY.map((e, q) => (q === p ? { ...e, value } : e));
          total++;
          expect(drawKey(seedHex, entropy, eligible).toString("hex")).not.toBe(baseKey);
          if (JSON.stringify(drawRanking({ seedHex, entropy, eligible, size: 3 })) === JSON.stringify(base)) unchanged++;
        }
      }
    }
    expect(total).toBeGreaterThan(100);
    expect(unchanged).toBeLessThanOrEqual(Math.floor(total / 100));
  });

  it("P6: adding or removing a party's contribution, or changing the list, changes the key", () => {
    expect(drawKey(seedHex, ENTROPY.slice(1), eligible).toString("hex")).not.toBe(baseKey);
    expect(drawKey(seedHex, [...ENTROPY, { partyId: "x", value: "" }], eligible).toString("hex")).not.toBe(baseKey);
    expect(drawKey(seedHex, ENTROPY, eligible.slice(1)).toString("hex")).not.toBe(baseKey);
    const renamed = eligible.map((a, i) => (i === 7 ? { ...a, name: `${a.name} ` } : a));
    expect(drawKey(seedHex, ENTROPY, renamed).toString("hex")).not.toBe(baseKey);
  });

  it("P6: changing one agency's rotation count changes the list hash and the key", () => {
    const baseHash = eligibleSha256(eligible);
    for (const [i, delta] of [[0, 1], [7, 1], [19, 5]] as const) {
      const changed = eligible.map((a, j) => (j === i ? { ...a, rotationCount: a.rotationCount! + delta } : a));
      expect(eligibleSha256(changed)).not.toBe(baseHash);
      expect(drawKey(seedHex, ENTROPY, changed).toString("hex")).not.toBe(baseKey);
    }
    // A count that is not a non-negative integer makes no list at all.
    for (const bad of [-1, 1.5, Number.NaN, "3" as unknown as number, undefined]) {
      const broken = eligible.map((a, j) => (j === 3 ? { ...a, rotationCount: bad } : a));
      expect(() => eligibleSha256(broken)).toThrow(RangeError);
      expect(() => drawRanking({ seedHex, entropy: ENTROPY, eligible: broken, size: 3 })).toThrow(RangeError);
      expect(isCanonicalOrder(broken)).toBe(false);
    }
  });
});

describe("the draw (A13, P6): fair rotation of the first place", () => {
  /** Draws `draws` times over `eligible` and counts how often each agency is first and second. */
  function tally(draws: number, eligibleFor: (t: number, firsts: Map<string, number>) => EligibleAgency[], base: EligibleAgency[], label: string) {
    const firsts = new Map<string, number>(base.map((a) => [a.agencyId, 0]));
    const seconds = new Map<string, number>(base.map((a) => [a.agencyId, 0]));
    for (let t = 0; t < draws; t++) {
      const [first, second] = drawRanking({ seedHex: hex(`${label} ${t}`), entropy: ENTROPY, eligible: eligibleFor(t, firsts), size: 3 });
      firsts.set(first!, firsts.get(first!)! + 1);
      seconds.set(second!, seconds.get(second!)! + 1);
    }
    return { firsts, seconds };
  }

  it("A13/P6: 10,000 simulated draws over 20 eligible agencies, rotation counts carried from draw to draw → each agency's first-rank count is within ±10% of the mean (500 ± 50)", () => {
    // Each draw has its own seed (SHA-256 of the draw number), and its list carries the counts openDraw would
    // publish: every earlier draw's first place (all 10,000 fall inside the 365-day window, ~27 a day).
    // Why a uniform draw is not enough: its first-rank counts are Binomial(10,000, 1/20), sd 21.8, so ±50 is only
    // 2.3 sd and about a third of seed sets break the band for some agency. Rotation pulls an agency that fell
    // behind back, so the counts stay within a few of each other whatever the seeds: asserted below as ±2% too,
    // which a uniform draw would meet with probability far below one in a million.
    const base = agencies(20);
    const { firsts, seconds } = tally(10_000, (_, counts) => withRotationCounts(base, counts), base, "fairness");
    const mean = 10_000 / 20;
    for (const count of firsts.values()) {
      expect(count).toBeGreaterThanOrEqual(mean * 0.9);
      expect(count).toBeLessThanOrEqual(mean * 1.1);
      expect(Math.abs(count - mean)).toBeLessThanOrEqual(mean * 0.02);
    }
    // Places 2 and 3 stay a uniform draw among the rest: second places pass a chi-square test
    // (19 degrees of freedom, fail at 43.8, p = 0.001).
    const chiSquare = [...seconds.values()].reduce((s, c) => s + (c - mean) ** 2 / mean, 0);
    expect(chiSquare).toBeLessThan(43.8);
  });

  it("A13/P6: with equal rotation counts every agency holds one ticket and the draw is uniform: in 1,000 draws over 20 agencies each is first in a substantial share (≥ 25, mean 50)", () => {
    const base = agencies(20, () => 7);
    expect(rotationWeights(base)).toEqual(Array(20).fill(1));
    const { firsts } = tally(1_000, () => base, base, "equal counts");
    // Binomial(1,000, 1/20): mean 50, sd 6.9; 25 is 3.6 sd below, so a fair draw fails it with p < 0.5%.
    for (const count of firsts.values()) expect(count).toBeGreaterThanOrEqual(25);
    const chiSquare = [...firsts.values()].reduce((s, c) => s + (c - 50) ** 2 / 50, 0);
    expect(chiSquare).toBeLessThan(43.8);
  });

  it("A13/P6: tickets are 1 + min(max count − own count, 4): the least-drawn holds the most, never more than 5 against 1", () => {
    const tickets = (counts: number[]) => rotationWeights(counts.map((rotationCount, i) => ({ agencyId: `a-${i}`, creditCode: `c-${i}`, name: "", rotationCount })));
    expect(tickets([2, 0, 1, 3, 0])).toEqual([2, 4, 3, 1, 4]);
    expect(tickets([5, 5, 5])).toEqual([1, 1, 1]);
    expect(tickets([0, 0, 0])).toEqual([1, 1, 1]);
    expect(tickets([9, 8, 5, 4, 0])).toEqual([1, 2, 5, 5, 5]);
    expect(tickets([0, 1000, 1000])).toEqual([5, 1, 1]);
    expect(tickets([])).toEqual([]);
    expect(() => tickets([1, -1])).toThrow(RangeError);
  });

  it("A13/P6: the agency with the lowest count is favoured but not always first: 5 of 24 tickets against 19 agencies 1,000 first places ahead, 5 of 7 against two", () => {
    // 20 agencies, agency 0 never first, the others first 1,000 times each: tickets 5 and 19 × 1, so agency 0
    // is first with probability 5/24 ≈ 20.8% (mean 208, sd 12.8, in 1,000 draws) — the cap bounds it however
    // far behind it is; each other agency keeps 1/24 (mean 42).
    const wide = agencies(20, (i) => (i === 0 ? 0 : 1000));
    const { firsts } = tally(1_000, () => wide, wide, "lowest of 20");
    const lowest = firsts.get(wide[0]!.agencyId)!;
    expect(lowest).toBeGreaterThanOrEqual(150);
    expect(lowest).toBeLessThanOrEqual(270);
    for (const a of wide.slice(1)) expect(firsts.get(a.agencyId)!).toBeGreaterThanOrEqual(15);
    // The smallest list A13 draws from: 3 agencies, counts 0, 50, 50 → tickets 5, 1, 1: first with
    // probability 5/7 ≈ 71.4% (mean 714, sd 14.3), so the two others are still first in ~2 of 7 draws.
    const three = agencies(3, (i) => (i === 0 ? 0 : 50));
    const small = tally(1_000, () => three, three, "lowest of 3");
    expect(small.firsts.get(three[0]!.agencyId)!).toBeGreaterThanOrEqual(650);
    expect(small.firsts.get(three[0]!.agencyId)!).toBeLessThanOrEqual(780);
    for (const a of three.slice(1)) expect(small.firsts.get(a.agencyId)!).toBeGreaterThanOrEqual(100);
  });

  it("A13/P6: with equal counts the v2 procedure is the uniform one (same stream → same ranking as Fisher–Yates from place 1)", () => {
    // Equal tickets make the weighted pick uniformBelow(n), exactly v1's first step; so the rotation adds no
    // bias of its own. Checked by running v2's stream through the v1 steps by hand.
    for (let t = 0; t < 200; t++) {
      const eligible = agencies(3 + (t % 20), () => t % 5);
      const seedHex = hex(`uniform ${t}`);
      const next = wordStream(drawKey(seedHex, ENTROPY, eligible));
      const ids = eligible.map((a) => a.agencyId);
      for (let i = 0; i < 3; i++) {
        const j = i + uniformBelow(next, ids.length - i);
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      expect(drawRanking({ seedHex, entropy: ENTROPY, eligible, size: 3 })).toEqual(ids.slice(0, 3));
    }
  });

  it("P6: integers are drawn by rejection, without modulo bias", () => {
    // For n = 20 the largest multiple of 20 below 2^32 is 4,294,967,280: words from there up are discarded.
    const words = [4_294_967_295, 4_294_967_280, 4_294_967_279, 7];
    const next = () => words.shift()!;
    expect(uniformBelow(next, 20)).toBe(4_294_967_279 % 20);
    expect(uniformBelow(next, 20)).toBe(7);
    expect(uniformBelow(() => 123, 1)).toBe(0);
    expect(() => uniformBelow(() => 0, 0)).toThrow(RangeError);
  });

  it("P6: the weighted pick walks the cumulative tickets in list order", () => {
    // Tickets 2, 4, 3, 1, 4 (14): r = word mod 14 → 0–1 index 0, 2–5 index 1, 6–8 index 2, 9 index 3, 10–13 index 4.
    const pick = (word: number) => weightedIndex(() => word, [2, 4, 3, 1, 4]);
    expect([0, 1, 2, 5, 6, 8, 9, 10, 13, 14].map(pick)).toEqual([0, 0, 1, 1, 2, 2, 3, 4, 4, 0]);
    // Words at or above 4,294,967,292 (the largest multiple of 14 below 2^32) are discarded: 27 mod 14 = 13.
    const words = [4_294_967_292, 4_294_967_295, 27];
    expect(weightedIndex(() => words.shift()!, [2, 4, 3, 1, 4])).toBe(4);
    expect(() => weightedIndex(() => 0, [])).toThrow(RangeError);
    expect(() => weightedIndex(() => 0, [1, 0])).toThrow(RangeError);
  });

  it("P6: the word stream is SHA-256(key ‖ counter) read in 4-byte big-endian words", () => {
    const key = Buffer.alloc(32, 7);
    const next = wordStream(key);
    const block0 = createHash("sha256").update(Buffer.concat([key, Buffer.from([0, 0, 0, 0])])).digest();
    const block1 = createHash("sha256").update(Buffer.concat([key, Buffer.from([0, 0, 0, 1])])).digest();
    for (let i = 0; i < 8; i++) expect(next()).toBe(block0.readUInt32BE(i * 4));
    expect(next()).toBe(block1.readUInt32BE(0));
  });
});

describe("the draw (P6): the public page recomputes it by the server's own code", () => {
  // The page runs the same implementation in the browser with Web Crypto's SHA-256 (async), Node has
  // globalThis.crypto.subtle too: so this is the page's function, checked against the server's (node:crypto).
  const agency = fc.record({ creditCode: fc.string({ unit: "binary", minLength: 1, maxLength: 18 }), name: fc.string({ unit: "binary", maxLength: 12 }), rotationCount: fc.nat({ max: 60 }) });
  const inputs = fc.record({
    seedHex: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString("hex")),
    entropy: fc.array(fc.record({ partyId: fc.uuid(), value: fc.string({ unit: "binary", maxLength: 40 }) }), { maxLength: 4 }),
    agencies: fc.uniqueArray(agency, { minLength: 1, maxLength: 25, selector: (a) => a.creditCode }),
    algorithm: fc.constantFrom(DRAW_ALGORITHM_V1, DRAW_ALGORITHM_V2),
    size: fc.integer({ min: 1, max: 5 }),
  });

  it("P6: on random seeds, entropies, agency lists and rotation counts (v1 and v2), the page's recomputation gives the server's list hash, seed commitment and ranking", async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async ({ seedHex, entropy, agencies, algorithm, size }) => {
        const eligible = canonicalEligible(agencies.map((a, i) => ({ agencyId: `agency-${i}`, ...a })));
        const input = { seedHex, entropy, eligible, size, algorithm };
        const server = { listSha256: eligibleSha256(eligible, algorithm), seedSha256: seedCommitment(seedHex), ranking: drawRanking(input) };
        expect(await recomputeDraw(input)).toEqual(server);
      }),
      { numRuns: 300 },
    );
  });

  it("P6: what the server refuses (an unknown algorithm, a v2 list without counts, a malformed seed) the page refuses too", async () => {
    const eligible = canonicalEligible(EXAMPLE.eligible);
    const input = { ...EXAMPLE, eligible, size: 3 };
    await expect(recomputeDraw(input)).resolves.toMatchObject({ ranking: ["a-5", "a-2", "a-3"] });
    await expect(recomputeDraw({ ...input, algorithm: "sha256-ctr-fisher-yates-v3" })).rejects.toThrow(RangeError);
    await expect(recomputeDraw({ ...input, eligible: eligible.map(({ rotationCount: _, ...a }) => a) })).rejects.toThrow(RangeError);
    await expect(recomputeDraw({ ...input, seedHex: EXAMPLE.seedHex.toUpperCase() })).rejects.toThrow(RangeError);
  });
});

describe("sub-lists and specialties (A12, A13)", () => {
  it("A13: every asset category maps to a specialty sub-library", () => {
    expect(specialtyForCategory("residential")).toBe("real_estate");
    expect(specialtyForCategory("commercial")).toBe("real_estate");
    expect(specialtyForCategory("industrial")).toBe("real_estate");
    expect(specialtyForCategory("land_use_right")).toBe("land");
    expect(specialtyForCategory("vehicle")).toBe("vehicles");
    expect(specialtyForCategory("machinery")).toBe("machinery");
    expect(specialtyForCategory("equity")).toBe("equity");
    expect(specialtyForCategory("other")).toBe("other");
    for (const c of ASSET_CATEGORIES) expect(SPECIALTIES).toContain(specialtyForCategory(c));
  });

  it("A12: sub-list codes are six digits; provinces end in 0000, cities in 00; districts are no sub-list", () => {
    expect(regionLevel("110000")).toBe("province");
    expect(regionLevel("110100")).toBe("city");
    expect(regionLevel("440300")).toBe("city");
    for (const bad of ["110105", "11000", "1100000", "abcdef", "000000", "010000", ""]) expect(regionLevel(bad)).toBeNull();
    expect(provinceOf("110105")).toBe("110000");
    expect(cityOf("110105")).toBe("110100");
    expect(cityOf("440305")).toBe("440300");
    expect(cityOf("110000")).toBeNull();
  });
});
