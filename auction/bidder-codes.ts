import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: codes are read aloud and typed.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/**
 * A per-lot pseudonym (C4). Random, so codes cannot be linked across lots. Priority holders get a
 * code that shows their rank (E1: different ranks, different codes).
 */
export function newBidderCode(priorityRank: number | null): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return priorityRank === null ? code : `P${priorityRank}-${code}`;
}
