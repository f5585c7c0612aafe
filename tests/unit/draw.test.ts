import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ASSET_CATEGORIES, SPECIALTIES } from "../../db/schema/index.ts";
import {
  canonicalEligible,
  cityOf,
  drawKey,
  drawRanking,
  eligibleJson,
  eligibleSha256,
  entropyJson,
  isCanonicalOrder,
  provinceOf,
  regionLevel,
  seedCommitment,
  specialtyForCategory,
  uniformBelow,
  wordStream,
  type EligibleAgency,
} from "../../appraisal/rules/draw.ts";

const hex = (s: string) => createHash("sha256").update(s).digest("hex");

function agencies(n: number): EligibleAgency[] {
  return canonicalEligible(
    Array.from({ length: n }, (_, i) => ({
      agencyId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      creditCode: `9111000000000${String(i).padStart(4, "0")}X`,
      name: `评估机构${i}`,
    })),
  );
}

const ENTROPY = [
  { partyId: "11111111-1111-4111-8111-111111111111", value: "申请人的随机数 4711" },
  { partyId: "22222222-2222-4222-8222-222222222222", value: "debtor-0815" },
];

/** The published example of docs/decisions/009-verifiable-draw.md. */
const EXAMPLE = {
  seedHex: hex("example seed"),
  entropy: [
    { partyId: "p-2", value: "被执行人的数字" },
    { partyId: "p-1", value: "12345" },
  ],
  eligible: [
    { agencyId: "a-1", creditCode: "91110000000000001X", name: "甲评估" },
    { agencyId: "a-2", creditCode: "91110000000000002X", name: "乙评估" },
    { agencyId: "a-3", creditCode: "91110000000000003X", name: "丙评估" },
    { agencyId: "a-4", creditCode: "91110000000000004X", name: "丁评估" },
    { agencyId: "a-5", creditCode: "91110000000000005X", name: "戊评估" },
  ],
};

/**
 * A second implementation written from the text of ADR 009 alone (BigInt arithmetic, byte arrays built by
 * hand), so the document and the code cannot drift apart unnoticed.
 */
function referenceDraw(seedHex: string, entropy: { partyId: string; value: string }[], eligible: EligibleAgency[], size: number): string[] {
  const h = (...parts: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const sortedEntropy = [...entropy].sort((a, b) => (a.partyId < b.partyId ? -1 : 1)).map((e) => `{"partyId":${JSON.stringify(e.partyId)},"value":${JSON.stringify(e.value)}}`);
  const list = eligible.map((a) => `{"agencyId":${JSON.stringify(a.agencyId)},"creditCode":${JSON.stringify(a.creditCode)},"name":${JSON.stringify(a.name)}}`);
  const seed = Uint8Array.from(seedHex.match(/../g)!.map((b) => parseInt(b, 16)));
  const key = h(utf8("judicial-appraisal-draw/v1"), new Uint8Array([0]), seed, h(utf8(`[${sortedEntropy.join(",")}]`)), h(utf8(`[${list.join(",")}]`)));
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
  const ids = eligible.map((a) => a.agencyId);
  for (let i = 0; i < Math.min(size, ids.length); i++) {
    const n = BigInt(ids.length - i);
    const limit = (2n ** 32n / n) * n;
    let w = word();
    while (w >= limit) w = word();
    const j = i + Number(w % n);
    const t = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = t;
  }
  return ids.slice(0, Math.min(size, ids.length));
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
    expect(seedCommitment(EXAMPLE.seedHex)).toBe("2addbb64f918f80dc4de3ae6a5c6042b1a4b127ea737a518b00c01e6033fa810");
    expect(eligibleSha256(eligible)).toBe("fadc7186df275bd865680ea332ad68924b111b1cfb9f35ce9793b60f596368ce");
    expect(drawKey(EXAMPLE.seedHex, EXAMPLE.entropy, eligible).toString("hex")).toBe("c92e1aed0966bec4d05d1f222e4d6eb1d0544f7fd5d770699a5e1355e0380702");
    expect(drawRanking({ ...EXAMPLE, eligible, size: 3 })).toEqual(["a-3", "a-2", "a-4"]);
  });

  it("P6: an independent implementation written from ADR 009 agrees on 500 random draws", () => {
    for (let t = 0; t < 500; t++) {
      const eligible = agencies(1 + (t % 30));
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
    const roundTripped = eligible.map((a) => ({ name: a.name, creditCode: a.creditCode, agencyId: a.agencyId, extra: 1 }));
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
});

describe("the draw (A13, P6): fairness", () => {
  it("P6/A13: in 100,000 draws (at least the 10,000 asked) over 20 agencies each agency is ranked first within ±10% of the mean", () => {
    // Why 100,000 and not 10,000: first-rank counts are Binomial(draws, 1/20). At 10,000 draws ±10% of the
    // mean (±50) is only 2.3 standard deviations, so a perfectly fair draw breaks the band for some agency
    // in about a third of seed sets (the first seed set tried here did: 445). At 100,000, ±10% is 7.3
    // standard deviations: a fair draw essentially never fails, and a 10% bias still always does. The seeds
    // are fixed (SHA-256 of the draw number), so the counts are reproducible. The chi-square checks
    // (19 degrees of freedom, fail at 43.8, p = 0.001) catch smaller biases spread over many agencies.
    const eligible = agencies(20);
    const firsts = new Map<string, number>(eligible.map((a) => [a.agencyId, 0]));
    const seconds = new Map<string, number>(eligible.map((a) => [a.agencyId, 0]));
    const draws = 100_000;
    for (let t = 0; t < draws; t++) {
      const [first, second] = drawRanking({ seedHex: hex(`fairness ${t}`), entropy: ENTROPY, eligible, size: 3 });
      firsts.set(first!, firsts.get(first!)! + 1);
      seconds.set(second!, seconds.get(second!)! + 1);
    }
    const mean = draws / eligible.length;
    for (const count of firsts.values()) {
      expect(count).toBeGreaterThanOrEqual(mean * 0.9);
      expect(count).toBeLessThanOrEqual(mean * 1.1);
    }
    const chiSquare = (m: Map<string, number>) => [...m.values()].reduce((s, c) => s + (c - mean) ** 2 / mean, 0);
    expect(chiSquare(firsts)).toBeLessThan(43.8);
    expect(chiSquare(seconds)).toBeLessThan(43.8);
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

  it("P6: the word stream is SHA-256(key ‖ counter) read in 4-byte big-endian words", () => {
    const key = Buffer.alloc(32, 7);
    const next = wordStream(key);
    const block0 = createHash("sha256").update(Buffer.concat([key, Buffer.from([0, 0, 0, 0])])).digest();
    const block1 = createHash("sha256").update(Buffer.concat([key, Buffer.from([0, 0, 0, 1])])).digest();
    for (let i = 0; i < 8; i++) expect(next()).toBe(block0.readUInt32BE(i * 4));
    expect(next()).toBe(block1.readUInt32BE(0));
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
