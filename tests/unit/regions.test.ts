import { describe, expect, it } from "vitest";
import { cityNames, districtNames, placeChain, placeName, provinceNames, resolvePlace } from "../../core/regions.ts";

describe("places by name", () => {
  it("bundles every province-level division of the mainland and the prefecture-level cities", () => {
    expect(provinceNames()).toHaveLength(31);
    expect(provinceNames()).toEqual(expect.arrayContaining(["北京市", "浙江省", "新疆维吾尔自治区", "海南省"]));
    expect(cityNames("浙江省")).toEqual(["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市", "台州市", "丽水市"]);
    expect(cityNames("广东省")).toHaveLength(21);
  });

  it("a municipality is its own one city, and a directly governed county-level city is a city of its own", () => {
    expect(cityNames("北京市")).toEqual(["北京市"]);
    expect(cityNames("重庆市")).toEqual(["重庆市"]);
    expect(districtNames("重庆市", "重庆市")).toEqual(expect.arrayContaining(["渝中区", "巫山县"]));
    expect(cityNames("湖北省")).toContain("仙桃市");
    expect(districtNames("北京市", "北京市")).toContain("朝阳区");
  });

  it("resolves a place to the division-code prefixes it covers, each level within the one above", () => {
    expect(resolvePlace({})).toBeNull();
    expect(resolvePlace({ province: "浙江省" })).toEqual({ ok: true, prefixes: ["33"] });
    expect(resolvePlace({ province: "浙江省", city: "杭州市", district: "西湖区" })).toEqual({ ok: true, prefixes: ["330106"] });
    expect(resolvePlace({ province: "北京市", city: "北京市", district: "朝阳区" })).toEqual({ ok: true, prefixes: ["110105"] });
    expect(resolvePlace({ province: "重庆市", city: "重庆市" })).toEqual({ ok: true, prefixes: ["5001", "5002"] });
  });

  it("accepts a name without its suffix, and a name that is several places means all of them", () => {
    expect(resolvePlace({ province: "浙江", city: "杭州" })).toEqual({ ok: true, prefixes: ["3301"] });
    expect(resolvePlace({ district: "朝阳区" })).toEqual({ ok: true, prefixes: ["110105", "220104"] });
    expect(resolvePlace({ city: "朝阳" })).toEqual({ ok: true, prefixes: ["2113"] });
  });

  it("names the first level that is unknown, or not within the level above", () => {
    expect(resolvePlace({ province: "火星省" })).toEqual({ ok: false, field: "province" });
    expect(resolvePlace({ province: "浙江省", city: "南京市" })).toEqual({ ok: false, field: "city" });
    expect(resolvePlace({ province: "浙江省", city: "杭州市", district: "朝阳区" })).toEqual({ ok: false, field: "district" });
    // One character names nothing by prefix: "杭" is not 杭州市.
    expect(resolvePlace({ city: "杭" })).toEqual({ ok: false, field: "city" });
  });

  it("writes a code as people write the place, each name once", () => {
    expect(placeName("110105")).toBe("北京市朝阳区");
    expect(placeName("330106")).toBe("浙江省杭州市西湖区");
    expect(placeName("441900")).toBe("广东省东莞市");
    expect(placeName("429004")).toBe("湖北省仙桃市");
    expect(placeName("330199")).toBe("浙江省杭州市");
    expect(placeName("999999")).toBe("");
  });

  it("gives a code's province, city and district by name, with the city's other districts, for the lot page's diagram", () => {
    const chaoyang = placeChain("110105")!;
    expect(chaoyang).toMatchObject({ province: "北京市", city: "北京市", district: "朝阳区" });
    expect(chaoyang.districts).toContain("朝阳区");
    expect(chaoyang.districts).toContain("海淀区");
    expect(chaoyang.districts).toHaveLength(16);
    expect(placeChain("330199")).toMatchObject({ province: "浙江省", city: "杭州市", district: "" });
    expect(placeChain("33")).toMatchObject({ province: "浙江省", city: "", district: "", districts: [] });
    expect(placeChain("999999")).toBeNull();
  });
});
