import { describe, expect, it } from "vitest";
import { assetSchema } from "../../auction/index.ts";
import { parseInput } from "../../core/validation.ts";
import { assetInput } from "../fixtures/auction.ts";

// A2: before any pricing method, the asset's title, encumbrances, occupancy, unpaid taxes and defects are
// established. The platform records an asset (and so can start a procedure for it) only with all of them.
const FACTS = ["title", "encumbrances", "occupancy", "lease", "taxes", "knownDefects"] as const;

describe("the facts established before pricing (A2)", () => {
  it("A2: an asset with every fact established is accepted", () => {
    expect(parseInput(assetSchema, { ...assetInput(new Date("2026-11-26T02:00:00Z")) }).ok).toBe(true);
  });

  for (const fact of FACTS) {
    it(`A2: an asset whose ${fact} is missing or blank is refused on that field`, () => {
      const input = { ...assetInput(new Date("2026-11-26T02:00:00Z")) } as Record<string, unknown>;
      for (const missing of [undefined, "", "   "]) {
        input[fact] = missing;
        const parsed = parseInput(assetSchema, input);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.fields[fact]).toBe("validation.required");
      }
    });
  }
});
