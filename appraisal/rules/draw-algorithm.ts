// The verifiable random draw of appraisal agencies (A13, A27, P6), with fair rotation (轮候) of the first
// place, and the draw's numbers. The one implementation: the server runs it with node:crypto's SHA-256
// (rules/draw.ts), the public draw page runs it in the browser with Web Crypto's (appraisal/browser.ts).
// So it is pure and needs nothing of Node: no I/O, no clock, no ambient randomness, no Buffer — SHA-256 is
// passed in. Anyone holding the published eligible list (with each agency's rotation count), the parties'
// entropy and the revealed seed recomputes the same ranking. docs/decisions/009-verifiable-draw.md specifies
// both algorithms byte by byte; change nothing here without a new algorithm name and that document.

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

/**
 * The rotation window (A13, P6): an agency's rotation count is how many draws of the specialty, drawn at most
 * this many days before the opening, ranked it first. A year is long enough that every agency of a sub-list
 * has been drawn many times, so the rotation has something to even out, and short enough that a newcomer or
 * an agency back from a suspension is not measured against years it was not on the list (ADR 009).
 */
export const ROTATION_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

/** The earliest draw time that counts toward the rotation counts of a draw opened at `openedAt`. */
export function rotationWindowStart(openedAt: Date): Date {
  return new Date(openedAt.getTime() - ROTATION_WINDOW_DAYS * DAY_MS);
}

/** SHA-256: the 32-byte digest of `data`. Passed in, so the same code runs on node:crypto and on Web Crypto. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

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

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Bytes as lowercase hex. */
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

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

function seedBytes(seedHex: string): Uint8Array {
  if (!isSeedHex(seedHex)) throw new RangeError("The seed must be 64 lowercase hex digits (32 bytes)");
  return Uint8Array.from(seedHex.match(/../g)!, (byte) => parseInt(byte, 16));
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
export function eligibleSha256(sha256: Sha256, list: readonly EligibleAgency[], algorithm: string = DRAW_ALGORITHM): string {
  return toHex(sha256(utf8(eligibleJson(list, algorithm))));
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
export function seedCommitment(sha256: Sha256, seedHex: string): string {
  return toHex(sha256(seedBytes(seedHex)));
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
export function drawKey(
  sha256: Sha256,
  seedHex: string,
  entropy: readonly EntropyContribution[],
  eligible: readonly EligibleAgency[],
  algorithm: string = DRAW_ALGORITHM,
): Uint8Array {
  const alg = algorithmOf(algorithm);
  const parts = [utf8(DOMAIN[alg]), new Uint8Array([0]), seedBytes(seedHex), sha256(utf8(entropyJson(entropy))), sha256(utf8(eligibleJson(eligible, alg)))];
  return sha256(concat(...parts));
}

const uint32BE = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const readUint32BE = (bytes: Uint8Array, at: number) => ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;

/**
 * The random stream: block i = SHA-256(key ‖ i as 4-byte big-endian), i = 0, 1, 2 …; read 4 bytes at a
 * time as a big-endian unsigned integer.
 */
export function wordStream(sha256: Sha256, key: Uint8Array): () => number {
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = sha256(concat(key, uint32BE(counter++)));
      offset = 0;
    }
    const word = readUint32BE(block, offset);
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
export function drawRanking(sha256: Sha256, input: DrawInput): string[] {
  const { seedHex, entropy, eligible, size } = input;
  const algorithm = algorithmOf(input.algorithm);
  if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be a positive integer");
  const ids = eligible.map((a) => a.agencyId);
  if (new Set(ids).size !== ids.length) throw new RangeError("The eligible list repeats an agency");
  const next = wordStream(sha256, drawKey(sha256, seedHex, entropy, eligible, algorithm));
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

/** P6: what anyone recomputes from a published draw — the list's hash, the seed's commitment and the ranking. */
export function recomputeDraw(sha256: Sha256, input: DrawInput): { listSha256: string; seedSha256: string; ranking: string[] } {
  return { listSha256: eligibleSha256(sha256, input.eligible, input.algorithm), seedSha256: seedCommitment(sha256, input.seedHex), ranking: drawRanking(sha256, input) };
}

/** Thrown by withAsyncSha256's hash for data it has no digest of yet. */
class DigestPending {
  readonly data: Uint8Array;
  constructor(data: Uint8Array) {
    this.data = data;
  }
}

/**
 * Runs `compute` with a SHA-256 that only an async API offers (Web Crypto's, in the browser). The draw is
 * synchronous and deterministic, so it is run with the digests known so far; data without one stops the run,
 * is digested, and the run starts again. A draw needs about six digests, so it runs about six times — still
 * instant, and the server, which hashes synchronously, runs the same code once. `compute` must let every
 * exception it does not own pass (the draw catches only RangeError).
 */
export async function withAsyncSha256<T>(digest: (data: Uint8Array) => Promise<Uint8Array>, compute: (sha256: Sha256) => T): Promise<T> {
  const known = new Map<string, Uint8Array>();
  const sha256: Sha256 = (data) => {
    const hit = known.get(toHex(data));
    if (!hit) throw new DigestPending(data);
    return hit;
  };
  for (;;) {
    try {
      return compute(sha256);
    } catch (error) {
      if (!(error instanceof DigestPending)) throw error;
      known.set(toHex(error.data), await digest(error.data));
    }
  }
}
