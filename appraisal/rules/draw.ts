// The verifiable random draw of appraisal agencies (A13, A27, P6). Pure: no I/O, no clock, no ambient
// randomness. Anyone holding the published eligible list, the parties' entropy and the revealed seed
// recomputes the same ranking. docs/decisions/009-verifiable-draw.md specifies the algorithm byte by byte;
// change nothing here without changing DRAW_ALGORITHM and that document.
import { createHash } from "node:crypto";
import type { AssetCategory, Specialty } from "../../db/schema/index.ts";

/** Stored with every draw, so a later version of the algorithm never reinterprets an old draw. */
export const DRAW_ALGORITHM = "sha256-ctr-fisher-yates-v1";
/** Domain separation: a key made for a draw can never collide with a hash made for any other purpose. */
const DOMAIN = "judicial-appraisal-draw/v1";

export interface EligibleAgency {
  agencyId: string;
  creditCode: string;
  name: string;
}

export interface EntropyContribution {
  partyId: string;
  value: string;
}

export interface DrawInput {
  /** 32 bytes as 64 lowercase hex digits. */
  seedHex: string;
  entropy: readonly EntropyContribution[];
  /** The eligible list in canonical order (see canonicalEligible). */
  eligible: readonly EligibleAgency[];
  /** How many to rank: A13 says 3; fewer when fewer are eligible. */
  size: number;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

// Plain code-unit order, never localeCompare: every implementation must sort the same way. Credit
// codes and UUIDs are ASCII, so this is also byte order.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `seedHex` is a well-formed seed: exactly 32 bytes in lowercase hex. */
export function isSeedHex(seedHex: string): boolean {
  return /^[0-9a-f]{64}$/.test(seedHex);
}

function seedBytes(seedHex: string): Buffer {
  if (!isSeedHex(seedHex)) throw new RangeError("The seed must be 64 lowercase hex digits (32 bytes)");
  return Buffer.from(seedHex, "hex");
}

/** P6: the eligible list in canonical order — by credit code ascending, each entry reduced to its three fields. */
export function canonicalEligible(list: readonly EligibleAgency[]): EligibleAgency[] {
  return list
    .map((a) => ({ agencyId: a.agencyId, creditCode: a.creditCode, name: a.name }))
    .sort((a, b) => byCodeUnits(a.creditCode, b.creditCode) || byCodeUnits(a.agencyId, b.agencyId));
}

/**
 * The list's JSON, byte-exact: an array of {"agencyId","creditCode","name"} objects with keys in that
 * order, in the order given, no whitespace, strings escaped as ECMAScript JSON.stringify does.
 */
export function eligibleJson(list: readonly EligibleAgency[]): string {
  return JSON.stringify(list.map((a) => ({ agencyId: a.agencyId, creditCode: a.creditCode, name: a.name })));
}

/** P6: the published hash of the eligible list, as given (the caller passes the canonical order). */
export function eligibleSha256(list: readonly EligibleAgency[]): string {
  return sha256Hex(eligibleJson(list));
}

/** Whether the list is in canonical order (credit codes strictly ascending, as canonicalEligible sorts). */
export function isCanonicalOrder(list: readonly EligibleAgency[]): boolean {
  return eligibleJson(list) === eligibleJson(canonicalEligible(list));
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
 * The draw key: SHA-256(UTF-8 DOMAIN ‖ 0x00 ‖ seed (32 bytes) ‖ SHA-256(entropy JSON) ‖ SHA-256(eligible JSON)).
 * Every part after the domain has a fixed length, so no two different inputs concatenate alike.
 */
export function drawKey(seedHex: string, entropy: readonly EntropyContribution[], eligible: readonly EligibleAgency[]): Buffer {
  return sha256(
    Buffer.concat([Buffer.from(DOMAIN, "utf8"), Buffer.from([0]), seedBytes(seedHex), sha256(entropyJson(entropy)), sha256(eligibleJson(eligible))]),
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
 * A13, P6: the ranked agency ids — the first `size` places of a Fisher–Yates shuffle of the eligible list
 * driven by the draw key's stream. Every ordered choice of `size` agencies is equally likely, so every
 * eligible agency comes first with probability 1/n. Fewer than `size` eligible: all of them, in drawn order.
 */
export function drawRanking(input: DrawInput): string[] {
  const { seedHex, entropy, eligible, size } = input;
  if (!Number.isInteger(size) || size < 1) throw new RangeError("size must be a positive integer");
  const ids = eligible.map((a) => a.agencyId);
  if (new Set(ids).size !== ids.length) throw new RangeError("The eligible list repeats an agency");
  const next = wordStream(drawKey(seedHex, entropy, eligible));
  const k = Math.min(size, ids.length);
  for (let i = 0; i < k; i++) {
    const j = i + uniformBelow(next, ids.length - i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
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
