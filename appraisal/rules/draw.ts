// The verifiable random draw of appraisal agencies (A13, A27, P6), with fair rotation (轮候) of the first
// place. Pure: no I/O, no clock, no ambient randomness. Anyone holding the published eligible list (with each
// agency's rotation count), the parties' entropy and the revealed seed recomputes the same ranking.
// docs/decisions/009-verifiable-draw.md specifies both algorithms byte by byte; change nothing here without
// a new algorithm name and that document.
import { createHash } from "node:crypto";
import type { AssetCategory, Specialty } from "../../db/schema/index.ts";

/** The first algorithm: a plain uniform draw (kept so draws stored under it still verify). */
export const DRAW_ALGORITHM_V1 = "sha256-ctr-fisher-yates-v1";
/** The current algorithm: the first place by a lottery weighted by rotation counts, places 2 and 3 uniform. */
export const DRAW_ALGORITHM_V2 = "sha256-ctr-rotation-v2";
/** New draws use this one. Stored with every draw, so a later version never reinterprets an old draw. */
export const DRAW_ALGORITHM = DRAW_ALGORITHM_V2;
export const DRAW_ALGORITHMS = [DRAW_ALGORITHM_V1, DRAW_ALGORITHM_V2] as const;
export type DrawAlgorithm = (typeof DRAW_ALGORITHMS)[number];

/** Domain separation, one per algorithm: a key made for a draw never collides with any other hash. */
const DOMAIN: Record<DrawAlgorithm, string> = {
  [DRAW_ALGORITHM_V1]: "judicial-appraisal-draw/v1",
  [DRAW_ALGORITHM_V2]: "judicial-appraisal-draw/v2",
};

/**
 * Fair rotation (A13, P6): an agency gets one ticket for the first place plus one for every first place it
 * is behind the most-drawn agency of the list, but at most this many extra. The cap keeps the first place
 * a lottery, not a queue: no agency ever holds more than 1 + ROTATION_MAX_EXTRA_TICKETS times the tickets of
 * another, so an agency far behind (new on the list, back from a suspension) is favoured, never certain.
 * Part of the algorithm: changing it needs a new algorithm name.
 */
export const ROTATION_MAX_EXTRA_TICKETS = 4;

export interface EligibleAgency {
  agencyId: string;
  creditCode: string;
  name: string;
  /**
   * Rotation count (v2 lists): how many draws of the specialty in the window before the opening ranked this
   * agency first. Published and hashed with the list. Absent in v1 lists and before openDraw adds it.
   */
  rotationCount?: number;
}

export interface EntropyContribution {
  partyId: string;
  value: string;
}

export interface DrawInput {
  /** 32 bytes as 64 lowercase hex digits. */
  seedHex: string;
  entropy: readonly EntropyContribution[];
  /** The eligible list in canonical order (see canonicalEligible); v2 needs every entry's rotationCount. */
  eligible: readonly EligibleAgency[];
  /** How many to rank: A13 says 3; fewer when fewer are eligible. */
  size: number;
  /** The algorithm the draw was opened with (stored with it); the current one by default. */
  algorithm?: string;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

// Plain code-unit order, never localeCompare: every implementation must sort the same way. Credit
// codes and UUIDs are ASCII, so this is also byte order.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function isDrawAlgorithm(name: string): name is DrawAlgorithm {
  return (DRAW_ALGORITHMS as readonly string[]).includes(name);
}

function algorithmOf(name: string | undefined): DrawAlgorithm {
  const algorithm = name ?? DRAW_ALGORITHM;
  if (!isDrawAlgorithm(algorithm)) throw new RangeError(`Unknown draw algorithm: ${algorithm}`);
  return algorithm;
}

/** Whether `seedHex` is a well-formed seed: exactly 32 bytes in lowercase hex. */
export function isSeedHex(seedHex: string): boolean {
  return /^[0-9a-f]{64}$/.test(seedHex);
}

function seedBytes(seedHex: string): Buffer {
  if (!isSeedHex(seedHex)) throw new RangeError("The seed must be 64 lowercase hex digits (32 bytes)");
  return Buffer.from(seedHex, "hex");
}

/**
 * P6: the eligible list in canonical order — by credit code ascending, each entry reduced to its fields
 * (agencyId, creditCode, name, and rotationCount when it has one).
 */
export function canonicalEligible(list: readonly EligibleAgency[]): EligibleAgency[] {
  return list
    .map((a) => ({ agencyId: a.agencyId, creditCode: a.creditCode, name: a.name, ...(a.rotationCount === undefined ? {} : { rotationCount: a.rotationCount }) }))
    .sort((a, b) => byCodeUnits(a.creditCode, b.creditCode) || byCodeUnits(a.agencyId, b.agencyId));
}

/** A13, P6: the list with each agency's rotation count (how often it was first; 0 when not in `firsts`). */
export function withRotationCounts(list: readonly EligibleAgency[], firsts: ReadonlyMap<string, number>): EligibleAgency[] {
  return canonicalEligible(list.map((a) => ({ ...a, rotationCount: firsts.get(a.agencyId) ?? 0 })));
}

function rotationCountOf(a: EligibleAgency): number {
  const c = a.rotationCount;
  if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) throw new RangeError(`The rotation count of ${a.agencyId} must be a non-negative integer`);
  return c;
}

/**
 * The list's JSON, byte-exact: an array of objects with keys in the order "agencyId", "creditCode", "name"
 * and, from v2, "rotationCount" (a JSON integer), in the order given, no whitespace, strings escaped as
 * ECMAScript JSON.stringify does.
 */
export function eligibleJson(list: readonly EligibleAgency[], algorithm: string = DRAW_ALGORITHM): string {
  const alg = algorithmOf(algorithm);
  return JSON.stringify(
    list.map((a) =>
      alg === DRAW_ALGORITHM_V1
        ? { agencyId: a.agencyId, creditCode: a.creditCode, name: a.name }
        : { agencyId: a.agencyId, creditCode: a.creditCode, name: a.name, rotationCount: rotationCountOf(a) },
    ),
  );
}

/** P6: the published hash of the eligible list, as given (the caller passes the canonical order). */
export function eligibleSha256(list: readonly EligibleAgency[], algorithm: string = DRAW_ALGORITHM): string {
  return sha256Hex(eligibleJson(list, algorithm));
}

/**
 * Whether the list is well-formed for the algorithm and in canonical order (credit codes ascending, as
 * canonicalEligible sorts). A v2 list missing a rotation count, or with one that is no non-negative integer, is not.
 */
export function isCanonicalOrder(list: readonly EligibleAgency[], algorithm: string = DRAW_ALGORITHM): boolean {
  try {
    return eligibleJson(list, algorithm) === eligibleJson(canonicalEligible(list), algorithm);
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** P6: the commitment published before the draw — SHA-256 of the 32 seed bytes, hex. */
export function seedCommitment(seedHex: string): string {
  return sha256Hex(seedBytes(seedHex));
}

/** The parties' entropy, byte-exact: sorted by partyId, an array of {"partyId","value"} objects. */
export function entropyJson(entropy: readonly EntropyContribution[]): string {
  const sorted = entropy.map((e) => ({ partyId: e.partyId, value: e.value })).sort((a, b) => byCodeUnits(a.partyId, b.partyId));
  return JSON.stringify(sorted);
}

/**
 * The draw key: SHA-256(UTF-8 domain ‖ 0x00 ‖ seed (32 bytes) ‖ SHA-256(entropy JSON) ‖ SHA-256(eligible JSON)),
 * the domain and the list JSON those of the algorithm. Every part after the domain has a fixed length, so no
 * two different inputs concatenate alike.
 */
export function drawKey(seedHex: string, entropy: readonly EntropyContribution[], eligible: readonly EligibleAgency[], algorithm: string = DRAW_ALGORITHM): Buffer {
  const alg = algorithmOf(algorithm);
  return sha256(
    Buffer.concat([Buffer.from(DOMAIN[alg], "utf8"), Buffer.from([0]), seedBytes(seedHex), sha256(entropyJson(entropy)), sha256(eligibleJson(eligible, alg))]),
  );
}

/**
 * The random stream: block i = SHA-256(key ‖ i as 4-byte big-endian), i = 0, 1, 2 …; read 4 bytes at a
 * time as a big-endian unsigned integer.
 */
export function wordStream(key: Buffer): () => number {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      const i = Buffer.alloc(4);
      i.writeUInt32BE(counter++);
      block = sha256(Buffer.concat([key, i]));
      offset = 0;
    }
    const word = block.readUInt32BE(offset);
    offset += 4;
    return word;
  };
}

const TWO_32 = 2 ** 32;

/**
 * A uniform integer in [0, n) from 32-bit words, by rejection: words at or above the largest multiple of
 * n below 2^32 are discarded, so every result has exactly the same number of words mapping to it.
 */
export function uniformBelow(nextWord: () => number, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError("n must be an integer in [1, 2^32]");
  const limit = Math.floor(TWO_32 / n) * n;
  for (;;) {
    const w = nextWord();
    if (w < limit) return w % n;
  }
}

/**
 * A13, P6 (fair rotation): the first-place tickets of each agency of a v2 list, in list order:
 * 1 + min(max_j c_j − c_i, ROTATION_MAX_EXTRA_TICKETS). Equal counts give every agency one ticket (a uniform
 * draw); every agency has at least one (nobody is excluded by rotation).
 */
export function rotationWeights(eligible: readonly EligibleAgency[]): number[] {
  const counts = eligible.map(rotationCountOf);
  const max = counts.reduce((m, c) => Math.max(m, c), 0);
  return counts.map((c) => 1 + Math.min(max - c, ROTATION_MAX_EXTRA_TICKETS));
}

/**
 * A weighted pick: r = uniformBelow(sum of the weights); the result is the first index whose cumulative
 * weight (in the order given) exceeds r. Each index i comes out with probability weight_i / sum, exactly.
 */
export function weightedIndex(nextWord: () => number, weights: readonly number[]): number {
  if (weights.length === 0 || weights.some((w) => !Number.isSafeInteger(w) || w < 1)) throw new RangeError("weights must be positive integers");
  let r = uniformBelow(
    nextWord,
    weights.reduce((s, w) => s + w, 0),
  );
  for (const [i, w] of weights.entries()) {
    if (r < w) return i;
    r -= w;
  }
  throw new RangeError("unreachable: r is below the sum of the weights");
}

/** Partial Fisher–Yates from place `from`: places from … k−1 uniform among the agencies not yet placed. */
function shuffleFrom(ids: string[], from: number, k: number, next: () => number): void {
  for (let i = from; i < k; i++) {
    const j = i + uniformBelow(next, ids.length - i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
}

/**
 * A13, P6: the ranked agency ids, by the draw's algorithm (the stored one; the current by default):
 * - v1: the first `size` places of a Fisher–Yates shuffle of the list; every agency first with probability 1/n.
 * - v2: place 1 by the rotation lottery (rotationWeights, weightedIndex), swapped to the front; places 2 … size
 *   by Fisher–Yates over the rest, as in v1. With equal counts this is exactly the uniform draw.
 * Fewer than `size` eligible: all of them, in drawn order.
 */
export function drawRanking(input: DrawInput): string[] {
  const { seedHex, entropy, eligible, size } = input;
  const algorithm = algorithmOf(input.algorithm);
  if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be a positive integer");
  const ids = eligible.map((a) => a.agencyId);
  if (new Set(ids).size !== ids.length) throw new RangeError("The eligible list repeats an agency");
  const next = wordStream(drawKey(seedHex, entropy, eligible, algorithm));
  const k = Math.min(size, ids.length);
  if (algorithm === DRAW_ALGORITHM_V1 || k === 0) {
    shuffleFrom(ids, 0, k, next);
  } else {
    const first = weightedIndex(next, rotationWeights(eligible));
    [ids[0], ids[first]] = [ids[first]!, ids[0]!];
    shuffleFrom(ids, 1, k, next);
  }
  return ids.slice(0, k);
}

/** The asset categories' specialty sub-libraries (A12, A13). */
const CATEGORY_SPECIALTY: Record<AssetCategory, Specialty> = {
  residential: "real_estate",
  commercial: "real_estate",
  industrial: "real_estate",
  land_use_right: "land",
  vehicle: "vehicles",
  machinery: "machinery",
  equity: "equity",
  other: "other",
};

/** A13: the specialty sub-library an asset of this category is drawn from. */
export function specialtyForCategory(category: AssetCategory): Specialty {
  return CATEGORY_SPECIALTY[category];
}

/** A12: region codes of the sub-lists (GB/T 2260): six digits; a province ends in 0000, a city in 00. */
export type RegionLevel = "province" | "city";

export function regionLevel(code: string): RegionLevel | null {
  if (!/^[1-9]\d{5}$/.test(code)) return null;
  if (code.endsWith("0000")) return "province";
  if (code.endsWith("00")) return "city";
  return null;
}

/** The province code (xx0000) of any six-digit region code. */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** The city code (xxxx00) of a district or city code; a province code has no city. */
export function cityOf(code: string): string | null {
  if (code.endsWith("0000")) return null;
  return `${code.slice(0, 4)}00`;
}
