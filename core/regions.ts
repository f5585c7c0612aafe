import { REGION_LINES } from "./regions-data.ts";

// Places by name: people pick or type 省 / 市 / 区县 names, and lots are stored with the asset's 6-digit division
// code. This module turns one into the other; no code is ever shown to a person.

export interface Region {
  code: string;
  name: string;
  children: Region[];
}

let provinces: Region[] | null = null;
const byCode = new Map<string, Region[]>();

/** The parsed table (once): provinces, each with its cities, each with its districts; and every chain by code. */
function table(): Region[] {
  if (provinces) return provinces;
  const parsed: Region[] = [];
  for (const line of REGION_LINES.split("\n")) {
    const match = /^( {0,2})(\d+) (.+)$/.exec(line);
    if (!match) continue;
    const region: Region = { code: match[2]!, name: match[3]!, children: [] };
    const depth = match[1]!.length;
    if (depth === 0) parsed.push(region);
    else if (depth === 1) parsed.at(-1)!.children.push(region);
    else parsed.at(-1)!.children.at(-1)!.children.push(region);
  }
  for (const province of parsed) {
    byCode.set(province.code, [province]);
    for (const city of province.children) {
      byCode.set(city.code, [province, city]);
      for (const district of city.children) byCode.set(district.code, [province, city, district]);
    }
  }
  provinces = parsed;
  return parsed;
}

const unique = (names: string[]) => [...new Set(names)];

export function provinceNames(): string[] {
  return table().map((p) => p.name);
}

/** The cities of a province, by name (a municipality is its own one city). Unknown province: none. */
export function cityNames(province: string): string[] {
  return unique(named(table(), province).flatMap((p) => p.children.map((c) => c.name)));
}

/** The districts and counties of a city, by name. */
export function districtNames(province: string, city: string): string[] {
  return unique(named(named(table(), province).flatMap((p) => p.children), city).flatMap((c) => c.children.map((d) => d.name)));
}

/**
 * The regions a name means: those so named, or else those whose name begins with it (两字 at least: "浙江" is
 * 浙江省, "杭州" 杭州市). A name can mean several places (朝阳区 is in Beijing and in Changchun).
 */
function named(regions: Region[], name: string): Region[] {
  const wanted = name.trim();
  if (wanted === "") return [];
  const exact = regions.filter((r) => r.name === wanted);
  if (exact.length > 0 || [...wanted].length < 2) return exact;
  return regions.filter((r) => r.name.startsWith(wanted));
}

export interface PlaceQuery {
  province?: string;
  city?: string;
  district?: string;
}

export type PlaceMatch = { ok: true; prefixes: string[] } | { ok: false; field: keyof PlaceQuery };

/**
 * The division-code prefixes a place named by province, city and district covers, each level within the one
 * above when that is given. Null when no place is asked; the first level that names nothing when it is unknown.
 */
export function resolvePlace(query: PlaceQuery): PlaceMatch | null {
  let scope: Region[] | null = null;
  for (const field of ["province", "city", "district"] as const) {
    const name = query[field]?.trim();
    if (!name) continue;
    const candidates = scope ? scope.flatMap((r) => r.children) : atLevel(field);
    const found = named(candidates, name);
    if (found.length === 0) return { ok: false, field };
    scope = found;
  }
  return scope ? { ok: true, prefixes: unique(scope.map((r) => r.code)) } : null;
}

function atLevel(level: keyof PlaceQuery): Region[] {
  const all = table();
  if (level === "province") return all;
  const cities = all.flatMap((p) => p.children);
  return level === "city" ? cities : cities.flatMap((c) => c.children);
}

/** A division code as people write the place: 北京市朝阳区, 浙江省杭州市西湖区, 广东省东莞市. Unknown: "". */
export function placeName(code: string): string {
  table();
  // The longest known code the given one starts with: a district, else its city, else its province.
  const chain = byCode.get(code) ?? byCode.get(code.slice(0, 4)) ?? byCode.get(code.slice(0, 2)) ?? [];
  let name = "";
  let previous = "";
  for (const region of chain) {
    // A municipality is its own city, and 东莞市 its own district: the name is said once.
    if (region.name !== previous) name += region.name;
    previous = region.name;
  }
  return name;
}

/** Where a division code lies, by name: its province, city and district (each "" when the code stops above it). */
export interface PlaceChain {
  province: string;
  city: string;
  district: string;
  /** The other districts and counties of the same city, by name, in the table's order (the place's own included). */
  districts: string[];
}

/** A division code as its chain of names, for a place shown by name and in its surroundings. Unknown: null. */
export function placeChain(code: string): PlaceChain | null {
  table();
  const chain = byCode.get(code) ?? byCode.get(code.slice(0, 4)) ?? byCode.get(code.slice(0, 2));
  if (!chain) return null;
  const [province, city, district] = chain;
  return { province: province!.name, city: city?.name ?? "", district: district?.name ?? "", districts: city ? unique(city.children.map((d) => d.name)) : [] };
}
