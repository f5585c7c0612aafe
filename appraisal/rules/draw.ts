// The draw's rules on the server (A12, A13, P6): the one implementation of the verifiable draw
// (draw-algorithm.ts, which the public draw page runs in the browser too) with node:crypto's SHA-256, and the
// sub-lists an asset's draw is made from.
import { createHash } from "node:crypto";
import type { AssetCategory, Specialty } from "../../db/schema/index.ts";
import * as algorithm from "./draw-algorithm.ts";
import type { DrawInput, EligibleAgency, EntropyContribution, Sha256 } from "./draw-algorithm.ts";

export {
  DRAW_ALGORITHM,
  DRAW_ALGORITHM_V1,
  DRAW_ALGORITHM_V2,
  DRAW_ALGORITHMS,
  ROTATION_MAX_EXTRA_TICKETS,
  ROTATION_WINDOW_DAYS,
  canonicalEligible,
  eligibleJson,
  entropyJson,
  isCanonicalOrder,
  isDrawAlgorithm,
  isSeedHex,
  rotationWeights,
  rotationWindowStart,
  uniformBelow,
  weightedIndex,
  withRotationCounts,
  type DrawAlgorithm,
  type DrawInput,
  type EligibleAgency,
  type EntropyContribution,
} from "./draw-algorithm.ts";

const sha256: Sha256 = (data) => createHash("sha256").update(data).digest();

/** P6: the published hash of the eligible list, as given (the caller passes the canonical order). */
export function eligibleSha256(list: readonly EligibleAgency[], drawAlgorithm?: string): string {
  return algorithm.eligibleSha256(sha256, list, drawAlgorithm);
}

/** P6: the commitment published before the draw — SHA-256 of the 32 seed bytes, hex. */
export function seedCommitment(seedHex: string): string {
  return algorithm.seedCommitment(sha256, seedHex);
}

/** The draw key (see draw-algorithm.ts). */
export function drawKey(seedHex: string, entropy: readonly EntropyContribution[], eligible: readonly EligibleAgency[], drawAlgorithm?: string): Buffer {
  return Buffer.from(algorithm.drawKey(sha256, seedHex, entropy, eligible, drawAlgorithm));
}

/** The random stream of a draw key (see draw-algorithm.ts). */
export function wordStream(key: Uint8Array): () => number {
  return algorithm.wordStream(sha256, key);
}

/** A13, P6: the ranked agency ids, by the draw's algorithm (see draw-algorithm.ts). */
export function drawRanking(input: DrawInput): string[] {
  return algorithm.drawRanking(sha256, input);
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
