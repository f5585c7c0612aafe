import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { drawSeed, drawSeedKeys } from "../../appraisal/index.ts";
import { loadConfig } from "../../server/config.ts";

// P6, ADR 009: the seed is HMAC-SHA256(key, "judicial-appraisal-draw/seed" ‖ 0x00 ‖ draw id); the key's id is the
// first 16 hex digits of HMAC-SHA256(key, "judicial-appraisal-draw/seed-key-id"). The expected values below were
// computed with OpenSSL (`printf 'judicial-appraisal-draw/seed\0<id>' | openssl dgst -sha256 -hmac <key>`), not
// with this code.
const KEY = "example draw seed key, 32 characters or more";
const DRAW_ID = "00000000-0000-4000-8000-000000000001";

describe("draw seed keys (P6)", () => {
  it("P6: the seed is the HMAC of the draw's id under the key, and the key's id is a fingerprint, as ADR 009 writes them", () => {
    const keys = drawSeedKeys(KEY);
    expect(keys.current.id).toBe("5ec79af43c65616f");
    expect(drawSeed(keys.current, DRAW_ID)).toBe("e9d38f655eb7df9efd88ca1985d3a23727e91b9bc7e97477fe5c203bc14041ff");
    expect(drawSeed(keys.current, "00000000-0000-4000-8000-000000000002")).not.toBe(drawSeed(keys.current, DRAW_ID));
    expect(drawSeed(drawSeedKeys("another key, also 32 characters or more").current, DRAW_ID)).not.toBe(drawSeed(keys.current, DRAW_ID));
  });

  it("P6: the key ring opens draws under the current key and finds retired keys by id; keys under 32 characters are refused", () => {
    const retired = "the key used before the rotation, 32+ chars";
    const ring = drawSeedKeys(KEY, [retired]);
    expect(ring.current.secret).toBe(KEY);
    expect(ring.byId.get(drawSeedKeys(retired).current.id)?.secret).toBe(retired);
    expect(ring.byId.get(ring.current.id)?.secret).toBe(KEY);
    expect(() => drawSeedKeys("short")).toThrow(RangeError);
  });

  it("P6: DRAW_SEED_KEY and DRAW_SEED_KEYS_RETIRED configure the ring; without a key one is made once beside the embedded database, like the session secret", () => {
    const base = { SESSION_SECRET: "s".repeat(32) };
    const ring = loadConfig({ ...base, DRAW_SEED_KEY: KEY, DRAW_SEED_KEYS_RETIRED: ` ${"a".repeat(32)} , ${"b".repeat(40)} ` }).drawSeedKeys;
    expect(ring.current.id).toBe("5ec79af43c65616f");
    expect([...ring.byId.values()].map((k) => k.secret)).toEqual([KEY, "a".repeat(32), "b".repeat(40)]);
    expect(() => loadConfig({ ...base, DRAW_SEED_KEY: "short" })).toThrow(/DRAW_SEED_KEY must be at least 32 characters/);
    expect(() => loadConfig({ ...base, DRAW_SEED_KEY: KEY, DRAW_SEED_KEYS_RETIRED: "short" })).toThrow(/DRAW_SEED_KEYS_RETIRED/);

    const dataDir = mkdtempSync(path.join(tmpdir(), "draw-seed-key-"));
    try {
      const first = loadConfig({ ...base, DATA_DIR: dataDir }).drawSeedKeys.current;
      const file = path.join(dataDir, "draw-seed-key");
      expect(readFileSync(file, "utf8")).toBe(first.secret);
      expect(first.secret.length).toBeGreaterThanOrEqual(32);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // The next start finds the same key, so draws opened before a restart still run.
      expect(loadConfig({ ...base, DATA_DIR: dataDir }).drawSeedKeys.current).toEqual(first);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
