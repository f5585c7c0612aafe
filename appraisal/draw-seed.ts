// P6: where a draw's seed comes from. It is an HMAC of the draw's id under a key the server holds outside the
// database (DRAW_SEED_KEY, kept like the session secret), so reading the database before the draw tells nobody
// the seed: only its commitment is stored, and the seed itself is written at the reveal. Each draw stores the
// id of the key it was opened under, so a draw opened before a rotation still draws under its own key. ADR 009.
import { createHmac } from "node:crypto";

export interface DrawSeedKey {
  /** A fingerprint of the key (not the key), stored with each draw opened under it. */
  id: string;
  secret: string;
}

export interface DrawSeedKeys {
  /** New draws are opened under this key. */
  current: DrawSeedKey;
  /** Every key draws may still be run under, the current one included, by id. */
  byId: ReadonlyMap<string, DrawSeedKey>;
}

/** The shortest key accepted: as for the session secret, at least 32 characters. */
export const DRAW_SEED_KEY_MIN_LENGTH = 32;

// Domain strings keep the key's fingerprint and the seeds apart: no draw id can be either.
const KEY_ID_DOMAIN = "judicial-appraisal-draw/seed-key-id";
const SEED_DOMAIN = "judicial-appraisal-draw/seed\u0000";

const hmac = (secret: string, message: string) => createHmac("sha256", secret).update(message, "utf8").digest("hex");

function seedKey(secret: string): DrawSeedKey {
  if (secret.length < DRAW_SEED_KEY_MIN_LENGTH) throw new RangeError(`A draw seed key must be at least ${DRAW_SEED_KEY_MIN_LENGTH} characters`);
  // 64 bits of an HMAC name the key without telling anything about it.
  return { id: hmac(secret, KEY_ID_DOMAIN).slice(0, 16), secret };
}

/** The key ring: `current` opens new draws; `retired` keys still run the draws opened under them. */
export function drawSeedKeys(current: string, retired: readonly string[] = []): DrawSeedKeys {
  const keys = [seedKey(current), ...retired.map(seedKey)];
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) };
}

/** The draw's seed: 64 lowercase hex digits, HMAC-SHA256(key, domain ‖ 0x00 ‖ draw id). */
export function drawSeed(key: DrawSeedKey, drawId: string): string {
  return hmac(key.secret, SEED_DOMAIN + drawId);
}
