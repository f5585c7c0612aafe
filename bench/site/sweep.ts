/**
 * The sweep: "any search" asked of the real app server, beyond the 24 shapes. A grid of 20 filters (none, keywords
 * common and rare, places, category, court, round, 可贷款 with 限购, discount, price ranges, a keyword with a price
 * range) × 8 phases (any, announced, in bidding, ended, sold, failed, withdrawn, suspended) × 5 orders × pages 1, 5
 * and 50: 2,400 searches, each asked three times, one request at a time. Reported by each search's median and
 * slowest of its three asks: how many are over the target, and the slowest. Three asks say little of a search's p95,
 * so every search with an ask over RECHECK_MS is asked again, AGAIN_ASKS times, in turns with the others (so that, as
 * in the sweep, other searches come between its asks): how many have a p95 over the target, and theirs.
 */
import type { Place } from "./lots.ts";
import { quantile } from "../live/stats.ts";
import { askSearch, measureShapes, shapeResult, WAN, type Shape, type ShapeResult } from "./search.ts";

export function sweepShapes(places: Place[], courtIds: string[]): Shape[] {
  const district = places.find((p) => p.city === "杭州市" && p.district !== p.city) ?? places[0]!;
  const filters: Record<string, Record<string, string>> = {
    none: {},
    "住宅": { q: "住宅" },
    "小区": { q: "小区" },
    "建设路": { q: "建设路" },
    "别墅": { q: "别墅" },
    "车": { q: "车" },
    "杭州 住宅": { q: "杭州 住宅" },
    province: { province: "浙江省" },
    city: { province: "浙江省", city: "杭州市" },
    district: { province: district.province, city: district.city, district: district.district },
    category: { category: "vehicle" },
    court: { court: courtIds[3]! },
    "second round": { round: "second" },
    "loan + housing": { loan: "on", housing: "required" },
    "discount ≤ 70%": { maxRatio: "70" },
    "¥100k–1m": { minPriceFen: String(10 * WAN), maxPriceFen: String(100 * WAN) },
    "from ¥2m": { minPriceFen: String(200 * WAN) },
    "¥500k–5m": { minPriceFen: String(50 * WAN), maxPriceFen: String(500 * WAN) },
    "住宅 ¥500k–5m": { q: "住宅", minPriceFen: String(50 * WAN), maxPriceFen: String(500 * WAN) },
    "to ¥300k": { maxPriceFen: String(30 * WAN) },
  };
  const phases = ["", "announced", "bidding", "ended", "sold", "failed", "withdrawn", "suspended"];
  const shapes: Shape[] = [];
  for (const [name, filter] of Object.entries(filters))
    for (const phase of phases)
      for (const sort of ["closing", "newest", "price_asc", "price_desc", "discount"])
        for (const page of ["1", "5", "50"]) {
          const query = { ...filter, ...(phase ? { phase } : {}), sort, page };
          shapes.push({ name: `${name} | ${phase || "any phase"} | ${sort} | page ${page}`, query: () => query });
        }
  return shapes;
}

/** A search with an ask slower than this is asked again for its p95. */
const RECHECK_MS = 40;
const AGAIN_ASKS = 20;

export interface SweepResult {
  searches: number;
  /** By each search's median of three asks, and by its slowest. */
  overTarget: { median: number; slowest: number };
  /** The median and 95th percentile of the searches' medians. */
  p50: number;
  p95: number;
  failures: number;
  slowest: ShapeResult[];
  /** The searches asked again, slowest p95 first, and the threshold that chose them. */
  again: { over: number; results: ShapeResult[] };
}

export async function sweep(baseUrl: string, shapes: Shape[], targetMs: number): Promise<SweepResult> {
  const results = await measureShapes(baseUrl, shapes, 3, 0, () => {});
  const medians = Float64Array.from(results.map((r) => r.p50)).sort();
  return {
    searches: results.length,
    overTarget: { median: results.filter((r) => r.p50 > targetMs).length, slowest: results.filter((r) => r.max > targetMs).length },
    p50: quantile(medians, 0.5),
    p95: quantile(medians, 0.95),
    failures: results.reduce((n, r) => n + r.failures, 0),
    slowest: [...results].sort((a, b) => b.p50 - a.p50).slice(0, 12),
    again: { over: RECHECK_MS, results: await askedAgain(baseUrl, shapes.filter((_, i) => results[i]!.max > RECHECK_MS)) },
  };
}

/** Each search asked AGAIN_ASKS times, one ask of each in turn. */
async function askedAgain(baseUrl: string, shapes: Shape[]): Promise<ShapeResult[]> {
  const times = shapes.map(() => [] as number[]);
  const failures = shapes.map(() => 0);
  const found = shapes.map(() => 0);
  for (let n = 0; n < AGAIN_ASKS; n++)
    for (const [i, shape] of shapes.entries()) {
      const { ms, ok, total } = await askSearch(baseUrl, shape.query(n));
      times[i]!.push(ms);
      if (!ok) failures[i]!++;
      found[i] = total;
    }
  return shapes.map((shape, i) => shapeResult(shape.name, times[i]!, found[i]!, failures[i]!)).sort((a, b) => b.p95 - a.p95);
}
