import { describe, it, expect } from "vitest";
import { systemClock, TestClock } from "../../core/clock.ts";

describe("systemClock", () => {
  it("returns the real current time", () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe("TestClock", () => {
  const start = new Date("2025-03-01T02:00:00.000Z");

  it("starts at the given date", () => {
    expect(new TestClock(start).now().toISOString()).toBe("2025-03-01T02:00:00.000Z");
  });

  it("stands still until moved", () => {
    const clock = new TestClock(start);
    expect(clock.now().getTime()).toBe(clock.now().getTime());
  });

  it("advances by the given milliseconds", () => {
    const clock = new TestClock(start);
    clock.advance(1500);
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe("2025-03-01T02:01:01.500Z");
  });

  it("jumps to a date with set(), including backwards", () => {
    const clock = new TestClock(start);
    clock.set(new Date("2024-12-31T16:00:00.000Z"));
    expect(clock.now().toISOString()).toBe("2024-12-31T16:00:00.000Z");
  });

  it("is not affected by mutating the start date or a returned date", () => {
    const mutableStart = new Date(start);
    const clock = new TestClock(mutableStart);
    mutableStart.setFullYear(2000);
    clock.now().setFullYear(1999);
    expect(clock.now().toISOString()).toBe("2025-03-01T02:00:00.000Z");
  });

  it("refuses negative or non-finite advances and invalid dates", () => {
    const clock = new TestClock(start);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance(Infinity)).toThrow(RangeError);
    expect(() => clock.set(new Date("nope"))).toThrow(RangeError);
    expect(() => new TestClock(new Date(Number.NaN))).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe("2025-03-01T02:00:00.000Z");
  });
});
