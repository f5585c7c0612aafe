/**
 * 100,000 lots for the search benchmark, written straight into the tables in batches (the use cases would take
 * hours): courts and their judges, and per lot a case, an asset, a reference price, the lot and its search row
 * (auction's own `lotSearchRow`, so the documents and grams are exactly what the app writes). Seeded random: the
 * same data on every run.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { assets, cases, courts, lots, lotSearch, referencePrices, users, type AssetCategory, type LotRound, type LotStatus } from "../../db/schema/index.ts";
import { lotSearchRow } from "../../auction/index.ts";
import { cityNames, districtNames, provinceNames, resolvePlace } from "../../core/regions.ts";

const DAY = 24 * 60 * 60 * 1000;
const BATCH = 1_000;

/** Mulberry32: a small seeded generator, so every run searches the same lots. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Place {
  code: string;
  province: string;
  city: string;
  district: string;
}

/** Every district of the bundled table with its names; the first ones listed are the busy places. */
export function allPlaces(): Place[] {
  const places: Place[] = [];
  for (const province of provinceNames())
    for (const city of cityNames(province))
      for (const district of districtNames(province, city)) {
        const match = resolvePlace({ province, city, district });
        if (match?.ok) for (const code of match.prefixes) places.push({ code, province, city, district });
      }
  return places;
}

/** Half the lots are in a few big cities, as on the real platforms; the rest anywhere. */
const BUSY_CITIES = ["杭州市", "北京市", "上海市", "广州市", "深圳市", "成都市", "重庆市", "南京市", "武汉市", "苏州市"];

const CATEGORIES: [AssetCategory, number][] = [
  ["residential", 0.5],
  ["commercial", 0.15],
  ["vehicle", 0.15],
  ["industrial", 0.05],
  ["land_use_right", 0.05],
  ["machinery", 0.04],
  ["equity", 0.03],
  ["other", 0.03],
];
const ROADS = ["文三路", "解放路", "人民路", "建设路", "中山路", "长江路", "和平街", "新华路", "学院路", "滨江大道", "湖滨路", "朝阳街"];
const ESTATES = ["阳光花园", "锦绣家园", "翠苑小区", "金色港湾", "西湖春晓", "世纪新城", "碧桂园", "万科城", "绿城桂花园", "保利天悦"];
const CARS = ["大众帕萨特", "丰田凯美瑞", "本田雅阁", "别克君威", "宝马5系", "奔驰E级", "奥迪A6L", "比亚迪汉", "特斯拉Model 3", "日产天籁"];
const PHRASES = [
  "建筑面积约{n}平方米",
  "南北通透，采光良好",
  "产权清晰，无抵押",
  "带车位一个",
  "学区房，近地铁站",
  "精装修，拎包入住",
  "现由被执行人居住",
  "临街，人流量大",
  "土地用途为工业用地",
  "行驶里程约{n}千公里",
  "车况良好，停放于法院停车场",
  "设备运行正常",
  "独栋别墅，带私家花园",
  "房屋存在漏水情况",
  "欠缴物业费约{n}元，由买受人承担",
  "标的物以现状拍卖",
  "周边配套齐全，交通便利",
];

interface Made {
  courtIds: string[];
  places: Place[];
  ms: number;
}

/** Writes `count` lots (and what they need) and returns what the query shapes pick from. */
export async function generateLots(db: Db, count: number, progress: (done: number) => void): Promise<Made> {
  const started = performance.now();
  const rnd = random(20261206);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const places = allPlaces();
  const busy = places.filter((p) => BUSY_CITIES.includes(p.city));
  const now = Date.now();

  // 60 courts, each with a judge who stands for every case, price and lot of the court.
  const courtRows = Array.from({ length: 60 }, (_, i) => {
    const place = pick(i < 30 ? busy : places);
    return { code: `基准${i}`, name: `${place.city === place.province ? "" : place.city}${place.district}人民法院（基准${i}）`, regionCode: place.code, debtorMayBid: true, createdAt: new Date(now - 400 * DAY) };
  });
  const madeCourts = await db.insert(courts).values(courtRows).returning({ id: courts.id, regionCode: courts.regionCode });
  const judges = await db
    .insert(users)
    .values(madeCourts.map((c, i) => ({ username: `bench-judge-${i}`, passwordHash: "x", displayName: `法官${i}`, role: "judge" as const, courtId: c.id, staffIdentityNumber: `11010519800101${String(i).padStart(3, "0")}X`, createdAt: new Date(now - 400 * DAY) })))
    .returning({ id: users.id });

  for (let from = 0; from < count; from += BATCH) {
    const n = Math.min(BATCH, count - from);
    const plans = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const courtIndex = int(0, madeCourts.length - 1);
      const place = rnd() < 0.5 ? pick(busy) : pick(places);
      let u = rnd();
      const category = CATEGORIES.find(([, share]) => (u -= share) < 0)?.[0] ?? "other";
      const where = `${place.city === place.province ? place.city : place.province + place.city}${place.district === place.city ? "" : place.district}`;
      const title =
        category === "residential"
          ? `${where}${pick(ROADS)}${int(1, 999)}号${pick(ESTATES)}${int(1, 30)}幢${int(1, 6)}单元${int(101, 2802)}室${rnd() < 0.1 ? "别墅" : "住宅"}`
          : category === "vehicle"
            ? `${int(2012, 2024)}年款${pick(CARS)}小型轿车一辆（${place.province.slice(0, 1)}${String.fromCharCode(65 + int(0, 25))}·${int(10000, 99999)}）`
            : category === "commercial"
              ? `${where}${pick(ROADS)}${int(1, 999)}号商铺`
              : category === "industrial"
                ? `${where}工业园区厂房及附属设施`
                : category === "land_use_right"
                  ? `${where}国有建设用地使用权（${int(1000, 90000)}平方米）`
                  : category === "equity"
                    ? `被执行人持有的${where}某有限公司${int(5, 100)}%股权`
                    : `${where}机器设备一批（${int(5, 200)}台套）`;
      const description = Array.from({ length: int(2, 6) }, () => pick(PHRASES).replace("{n}", String(int(20, 300)))).join("，") + "。";
      const referenceFen = BigInt(Math.round(10 ** (4 + rnd() * 3.7))) * 100n; // ¥10,000 – ¥50,000,000
      const round: LotRound = rnd() < 0.65 ? "first" : rnd() < 0.75 ? "second" : "sale_off";
      const startShare = round === "first" ? 70 + int(0, 30) : int(50, 80);
      const startingPriceFen = (referenceFen * BigInt(startShare)) / 100n;
      // Closes from a year ago to two months ahead; the status follows, as the platform would have left it.
      const closesAt = new Date(now + (rnd() * 425 - 365) * DAY);
      const open = closesAt.getTime() > now;
      u = rnd();
      const status: LotStatus = open ? (u < 0.97 ? "published" : u < 0.99 ? "suspended" : "stayed") : u < 0.45 ? "sold" : u < 0.9 ? "failed" : u < 0.96 ? "withdrawn" : u < 0.99 ? "defaulted" : "revoked";
      const bidCount = status === "sold" || (status === "published" && rnd() < 0.4) ? int(1, 60) : 0;
      const currentPriceFen = bidCount > 0 ? startingPriceFen + BigInt(bidCount) * (startingPriceFen / 100n || 1n) : null;
      const biddingEndsAt = closesAt;
      const biddingStartsAt = new Date(closesAt.getTime() - (round === "sale_off" ? 60 : 1) * DAY);
      const publishedAt = new Date(biddingStartsAt.getTime() - int(15, 30) * DAY);
      return { i, courtIndex, place, category, title, description, referenceFen, round, startingPriceFen, status, bidCount, currentPriceFen, biddingStartsAt, biddingEndsAt, closesAt, publishedAt };
    });
    await db.transaction(async (tx) => {
      const caseIds = await tx
        .insert(cases)
        .values(plans.map((p) => ({ courtId: madeCourts[p.courtIndex]!.id, caseNumber: `（2026）基执${p.i}号`, judgeId: judges[p.courtIndex]!.id, enforcementBasis: "（2025）民初1号民事判决书", createdAt: p.publishedAt })))
        .returning({ id: cases.id });
      const assetIds = await tx
        .insert(assets)
        .values(
          plans.map((p, k) => ({
            caseId: caseIds[k]!.id,
            category: p.category,
            regionCode: p.place.code,
            title: p.title,
            description: p.description,
            encumbrances: "无",
            occupancy: "空置",
            lease: "无",
            taxes: "无欠税",
            knownDefects: "无",
            seizedAt: new Date(p.publishedAt.getTime() - 60 * DAY),
            createdAt: new Date(p.publishedAt.getTime() - 60 * DAY),
          })),
        )
        .returning({ id: assets.id });
      const priceIds = await tx
        .insert(referencePrices)
        .values(
          plans.map((p, k) => ({
            assetId: assetIds[k]!.id,
            method: "appraisal" as const,
            amountFen: p.referenceFen,
            documentTitle: "评估报告",
            validFrom: new Date(p.publishedAt.getTime() - 30 * DAY),
            validUntil: new Date(p.publishedAt.getTime() + 300 * DAY),
            fixedBy: judges[p.courtIndex]!.id,
            createdAt: new Date(p.publishedAt.getTime() - 30 * DAY),
          })),
        )
        .returning({ id: referencePrices.id });
      const lotIds = await tx
        .insert(lots)
        .values(
          plans.map((p, k) => {
            const held = p.status === "suspended" || p.status === "stayed";
            return {
              assetId: assetIds[k]!.id,
              courtId: madeCourts[p.courtIndex]!.id,
              round: p.round,
              status: p.status,
              ruleset: "CN-SPC-2016",
              title: p.title,
              referencePriceId: priceIds[k]!.id,
              referencePriceFen: p.referenceFen,
              startingPriceFen: p.startingPriceFen,
              depositFen: p.startingPriceFen / 10n || 1n,
              incrementFen: p.startingPriceFen / 100n || 1n,
              announceAt: p.publishedAt,
              biddingStartsAt: p.biddingStartsAt,
              biddingEndsAt: p.biddingEndsAt,
              closesAt: p.closesAt,
              panelDecision: "合议庭决定",
              debtorMayBid: true,
              balanceDueDays: 10,
              currentPriceFen: p.currentPriceFen,
              bidCount: p.bidCount,
              loanAvailable: p.category === "residential" && rnd() < 0.4,
              publishedAt: p.publishedAt,
              closedAt: p.closesAt.getTime() > now ? null : p.closesAt,
              heldFrom: held ? ("bidding" as const) : null,
              heldAt: held ? new Date(now - DAY) : null,
              createdBy: judges[p.courtIndex]!.id,
              createdAt: p.publishedAt,
            };
          }),
        )
        .returning({ id: lots.id, title: lots.title, courtId: lots.courtId, round: lots.round, status: lots.status, biddingStartsAt: lots.biddingStartsAt, loanAvailable: lots.loanAvailable, startingPriceFen: lots.startingPriceFen, publishedAt: lots.publishedAt, startingRatioBp: lots.startingRatioBp });
      await tx.insert(lotSearch).values(plans.map((p, k) => lotSearchRow(lotIds[k]!, { category: p.category, regionCode: p.place.code, description: p.description })));
    });
    progress(from + n);
  }
  // As autovacuum would have, long before anyone searched: statistics, and the visibility map index-only scans read.
  await db.execute(sql`vacuum analyze`);
  return { courtIds: madeCourts.map((c) => c.id), places, ms: performance.now() - started };
}
