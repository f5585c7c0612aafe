import { describe, expect, it } from "vitest";
import { viewingSlotRuleErrors, viewingSlotSchema } from "../../auction/index.ts";

const now = new Date("2026-12-01T02:00:00Z");
const lot = { closesAt: new Date("2026-12-20T02:00:00Z") };
const at = (iso: string) => new Date(iso);

describe("B9: the rules of a viewing's times (预约看样)", () => {
  it("B9: a viewing in the future that ends before bidding ends is accepted", () => {
    expect(viewingSlotRuleErrors({ startsAt: at("2026-12-05T01:00:00Z"), endsAt: at("2026-12-05T03:00:00Z") }, lot, now)).toEqual({});
    expect(viewingSlotRuleErrors({ startsAt: at("2026-12-20T01:00:00Z"), endsAt: lot.closesAt }, lot, now)).toEqual({});
  });

  it("B9: a viewing that starts now or earlier, ends before it starts, or ends after bidding ends is refused, field by field", () => {
    expect(viewingSlotRuleErrors({ startsAt: now, endsAt: at("2026-12-01T04:00:00Z") }, lot, now)).toEqual({ startsAt: "validation.viewing.past" });
    expect(viewingSlotRuleErrors({ startsAt: at("2026-12-05T03:00:00Z"), endsAt: at("2026-12-05T03:00:00Z") }, lot, now)).toEqual({ endsAt: "validation.viewing.endsBeforeStart" });
    expect(viewingSlotRuleErrors({ startsAt: at("2026-12-20T01:00:00Z"), endsAt: at("2026-12-20T02:00:01Z") }, lot, now)).toEqual({ endsAt: "validation.viewing.afterClose" });
    expect(viewingSlotRuleErrors({ startsAt: at("2026-11-30T01:00:00Z"), endsAt: at("2026-11-29T01:00:00Z") }, lot, now)).toEqual({ startsAt: "validation.viewing.past", endsAt: "validation.viewing.endsBeforeStart" });
  });

  it("B9: judges only the times typed right (the others have their own format errors)", () => {
    expect(viewingSlotRuleErrors({ endsAt: at("2026-12-21T01:00:00Z") }, lot, now)).toEqual({ endsAt: "validation.viewing.afterClose" });
    expect(viewingSlotRuleErrors({}, lot, now)).toEqual({});
  });

  it("B9: places are a whole number from 1 to 200", () => {
    const base = { startsAt: "2026-12-05T01:00:00Z", endsAt: "2026-12-05T03:00:00Z", place: "北京市朝阳区某小区3号楼" };
    expect(viewingSlotSchema.safeParse({ ...base, capacity: "10" }).success).toBe(true);
    for (const capacity of ["0", "201", "2.5", "十"]) expect(viewingSlotSchema.safeParse({ ...base, capacity }).success, capacity).toBe(false);
  });
});
