/**
 * The search's 24 query shapes, each asked `rounds` times of the real app server's GET /api/v1/lots (the same
 * use case as the search page), one request at a time on loopback: the time from sending the request to the last
 * byte of the answer is the server's time plus the loopback's (a few tenths of a millisecond). Each ask draws its
 * values (keyword, place, price, court) from a small pool, so the shapes are not one cached answer.
 */
import type { Place } from "./lots.ts";
import { quantile } from "../live/stats.ts";

export const WAN = 1_000_000; // 1万元 in fen

export interface Shape {
  name: string;
  /** The query string of one ask; `n` is the ask's number. */
  query: (n: number) => Record<string, string>;
}

export function queryShapes(places: Place[], courtIds: string[]): Shape[] {
  const at = <T>(xs: readonly T[], n: number) => xs[n % xs.length]!;
  const busy = places.filter((p) => ["杭州市", "北京市", "上海市", "广州市", "成都市"].includes(p.city));
  const provinces = ["浙江省", "广东省", "四川省", "江苏省", "河南省", "北京市", "上海市"];
  const common = ["住宅", "商铺", "轿车", "单元", "花园", "小区"];
  const rare = ["别墅", "股权", "厂房", "漏水", "车位", "设备"];
  return [
    { name: "everything, closing soonest", query: () => ({}) },
    { name: "keyword, 2 chars, common", query: (n) => ({ q: at(common, n) }) },
    { name: "keyword, 2 chars, rarer", query: (n) => ({ q: at(rare, n) }) },
    { name: "keyword, 1 char", query: (n) => ({ q: at(["房", "车", "墅", "铺"], n) }) },
    { name: "keyword, 3+ chars", query: (n) => ({ q: at(["帕萨特", "凯美瑞", "建设路", "锦绣家园", "学区房"], n) }) },
    { name: "keyword, two words", query: (n) => ({ q: at(["杭州 住宅", "北京 商铺", "上海 别墅", "成都 轿车"], n) }) },
    {
      name: "keyword + district + price range",
      query: (n) => {
        const p = at(busy, n * 7);
        return { q: "住宅", province: p.province, city: p.city, district: p.district, minPriceFen: String(50 * WAN), maxPriceFen: String(500 * WAN) };
      },
    },
    { name: "province", query: (n) => ({ province: at(provinces, n) }) },
    {
      name: "city + district, newest",
      query: (n) => {
        const p = at(places, n * 13);
        return { province: p.province, city: p.city, district: p.district, sort: "newest" };
      },
    },
    { name: "category, price low to high", query: (n) => ({ category: at(["vehicle", "commercial", "equity", "residential"], n), sort: "price_asc" }) },
    { name: "court", query: (n) => ({ court: at(courtIds, n) }) },
    { name: "in bidding now", query: () => ({ phase: "bidding" }) },
    // Announced lots are told from those in bidding by the clock, not by their stored status.
    { name: "keyword, announced", query: (n) => ({ q: at(common, n), phase: "announced", sort: at(["closing", "newest", "price_asc", "price_desc", "discount"], n) }) },
    { name: "province, in bidding, page 5", query: (n) => ({ province: at(provinces, n), phase: "bidding", page: "5" }) },
    { name: "sold, newest", query: () => ({ phase: "sold", sort: "newest" }) },
    { name: "price range, high to low", query: (n) => ({ minPriceFen: String((10 + (n % 5) * 20) * WAN), maxPriceFen: String((200 + (n % 5) * 100) * WAN), sort: "price_desc" }) },
    { name: "discount ≤ 70%, biggest first", query: () => ({ maxRatio: "70", sort: "discount" }) },
    { name: "loan + housing eligibility", query: () => ({ loan: "on", housing: "required" }) },
    { name: "second round, price low to high", query: () => ({ round: "second", sort: "price_asc" }) },
    { name: "last page (100), closing soonest", query: (n) => ({ page: String(100 - (n % 5)) }) },
    { name: "deep page (50), newest", query: (n) => ({ page: String(50 - (n % 5)), sort: "newest" }) },
    { name: "deep page (50), keyword, price", query: (n) => ({ q: at(common, n), sort: "price_asc", page: String(50 - (n % 5)) }) },
    { name: "deep page (50), keyword, price high to low", query: (n) => ({ q: at(common, n), sort: "price_desc", page: String(50 - (n % 5)) }) },
    { name: "deep page (50), keyword, closing soonest", query: (n) => ({ q: at(common, n), page: String(50 - (n % 5)) }) },
  ];
}

export interface ShapeResult {
  name: string;
  asks: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** What the first ask found, to show each shape finds something. */
  found: number;
  failures: number;
}

/** A shape's times, as the report gives them. */
export function shapeResult(name: string, times: number[], found: number, failures: number): ShapeResult {
  const sorted = Float64Array.from(times).sort();
  return { name, asks: times.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1]!, found, failures };
}

/** One search asked of the server: the time from sending the request to the last byte of the answer. */
export async function askSearch(baseUrl: string, query: Record<string, string>) {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/lots?${new URLSearchParams(query)}`);
  const body = (await response.json()) as { total?: number };
  return { ms: performance.now() - started, ok: response.status === 200, total: body.total ?? 0 };
}

export async function measureShapes(baseUrl: string, shapes: Shape[], rounds: number, warmup: number, log: (m: string) => void): Promise<ShapeResult[]> {
  // Every shape once before any is timed: the server's code and the database's pages are warm, as in production.
  for (let n = 0; n < warmup; n++) for (const shape of shapes) await askSearch(baseUrl, shape.query(n));
  const results: ShapeResult[] = [];
  for (const shape of shapes) {
    const times: number[] = [];
    let failures = 0;
    let found = -1;
    for (let n = 0; n < rounds; n++) {
      const { ms, ok, total } = await askSearch(baseUrl, shape.query(n));
      times.push(ms);
      if (!ok) failures++;
      if (found < 0) found = total;
    }
    const result = shapeResult(shape.name, times, found, failures);
    log(`  ${shape.name}: p50 ${result.p50.toFixed(1)} / p95 ${result.p95.toFixed(1)} / p99 ${result.p99.toFixed(1)} ms`);
    results.push(result);
  }
  return results;
}
