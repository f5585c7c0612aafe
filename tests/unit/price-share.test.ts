import { describe, expect, it } from "vitest";
import { percentText, startingShareBp, zheText } from "../../app/lib/price-share.ts";

describe("the starting price's share of the reference price", () => {
  it("B3: rounds up, as the search stores it, so a lot at 70% rounded down never reads as 70%", () => {
    expect(startingShareBp("70000000", "100000000")).toBe(7000);
    expect(startingShareBp(700_000_00n - 1n, 100_000_000n)).toBe(7000);
    expect(startingShareBp("70000001", "100000000")).toBe(7001);
    expect(startingShareBp("56000000", "100000000")).toBe(5600);
    expect(startingShareBp("1", "0")).toBe(0);
  });

  it("writes the share as a percentage without trailing zeros", () => {
    expect(percentText(7000)).toBe("70%");
    expect(percentText(7250)).toBe("72.5%");
    expect(percentText(5625)).toBe("56.25%");
  });

  it("names a whole percentage below 100% as shops say a discount (七折, 五六折), and nothing else", () => {
    expect(zheText(7000)).toBe("七折");
    expect(zheText(8000)).toBe("八折");
    expect(zheText(5600)).toBe("五六折");
    expect(zheText(9900)).toBe("九九折");
    expect(zheText(1000)).toBe("一折");
    expect(zheText(7250)).toBeNull();
    expect(zheText(10000)).toBeNull();
    expect(zheText(12000)).toBeNull();
    expect(zheText(900)).toBeNull();
  });
});
