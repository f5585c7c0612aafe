import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { connect, type Db } from "../../db/client.ts";
import { lotSearch, type AssetCategory } from "../../db/schema/index.ts";
import { eq } from "drizzle-orm";
import { closeLot, createAsset, createCase, createLotDraft, placeBid, publishLot, recordReferencePrice, searchLots, silentPublisher, type SearchPage } from "../../auction/index.ts";
import { assetInput, lotDraftInput, makeActiveBidder, makeCourt } from "../fixtures/auction.ts";
import { startTestPlatform, type TestPlatform } from "../support/platform.ts";
import { pageText, Visitor } from "../support/http.ts";

// The public search (ADR 024) over a small world of lots whose every answer is known: keyword in Chinese, place by
// name, filters, the four orders, pages, and bad input refused with VALIDATION_FAILED naming the parameter.

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const WAN = 1_000_000n; // 1万元 in fen
const clock = new TestClock(new Date("2026-11-26T02:00:00Z"));

let platform: TestPlatform;
let db: Db;
const ids: Record<string, string> = {};

interface Plan {
  key: string;
  category: AssetCategory;
  regionCode: string;
  title: string;
  description: string;
  referenceWan: bigint;
  startPercent: bigint;
  loan?: boolean;
  /** Bidding lasts this many hours (the closing order follows it). */
  hours: number;
}

// Made in this order, a minute apart; the first is bid on and sold, the others are still in bidding after it closes.
const PLANS: Plan[] = [
  { key: "sold", category: "residential", regionCode: "330106", title: "西湖区某住宅（已成交）", description: "两室一厅。", referenceWan: 100n, startPercent: 70n, hours: 24 },
  { key: "wenSan", category: "residential", regionCode: "330106", title: "杭州市西湖区文三路100号3幢501室住宅", description: "建筑面积89平方米，南北通透。", referenceWan: 300n, startPercent: 80n, loan: true, hours: 30 },
  { key: "villa", category: "residential", regionCode: "330106", title: "杭州市西湖区某别墅", description: "独栋，带花园。", referenceWan: 1000n, startPercent: 90n, hours: 26 },
  { key: "shangCheng", category: "residential", regionCode: "330102", title: "杭州市上城区住宅", description: "老小区，三楼。", referenceWan: 200n, startPercent: 70n, loan: true, hours: 28 },
  { key: "passat", category: "vehicle", regionCode: "110105", title: "大众帕萨特小型轿车（京N·A1234）", description: "车况良好。", referenceWan: 10n, startPercent: 100n, hours: 24 },
  { key: "pudong", category: "commercial", regionCode: "310115", title: "浦东新区临街商铺", description: "一层，别墅区旁。", referenceWan: 500n, startPercent: 70n, hours: 32 },
];

async function makeLot(plan: Plan, courtIndex: number, courts: Awaited<ReturnType<typeof makeCourt>>[], publish = true) {
  const { judge, clerk } = courts[courtIndex]!;
  const now = clock.now();
  const theCase = await createCase(db, clock, judge, { caseNumber: `（2026）浙0106执${Math.floor(Math.random() * 900000) + 1000}号`, enforcementBasis: "（2025）浙0106民初1号民事判决书" });
  const asset = await createAsset(db, clock, judge, theCase.id, { ...assetInput(now, plan.category), regionCode: plan.regionCode, title: plan.title, description: plan.description });
  const referenceFen = plan.referenceWan * WAN;
  await recordReferencePrice(db, clock, judge, asset.id, { method: "negotiation", amountFen: referenceFen, documentTitle: "议价记录", validFrom: new Date(now.getTime() - DAY), validUntil: new Date(now.getTime() + 300 * DAY) });
  const startingPriceFen = (referenceFen * plan.startPercent) / 100n;
  const biddingStartsAt = new Date(now.getTime() + 31 * DAY);
  const lot = await createLotDraft(
    db,
    clock,
    clerk,
    lotDraftInput(asset.id, now, {
      title: plan.title,
      startingPriceFen,
      depositFen: startingPriceFen / 10n,
      incrementFen: 100_000n,
      biddingStartsAt,
      biddingEndsAt: new Date(biddingStartsAt.getTime() + plan.hours * 60 * MINUTE),
      loanAvailable: plan.loan ?? false,
    }),
  );
  if (publish) await publishLot(db, clock, judge, lot.id);
  ids[plan.key] = lot.id;
  return { lotId: lot.id, biddingStartsAt, closesAt: new Date(biddingStartsAt.getTime() + plan.hours * 60 * MINUTE) };
}

beforeAll(async () => {
  platform = await startTestPlatform(clock);
  db = platform.database.db;
  const courts = [await makeCourt(db, clock), await makeCourt(db, clock)];
  let sold: Awaited<ReturnType<typeof makeLot>> | null = null;
  for (const [i, plan] of PLANS.entries()) {
    const made = await makeLot(plan, i % 2, courts);
    if (plan.key === "sold") sold = made;
    // A minute apart, so "newest" has an order to keep.
    clock.advance(MINUTE);
  }
  // One lot is bid on and sold at its close; its price is then the bid, and it has closed.
  const bidder = await makeActiveBidder(db, clock, sold!.lotId);
  clock.set(sold!.biddingStartsAt);
  await placeBid(db, clock, silentPublisher, bidder, sold!.lotId, { amountFen: 70n * WAN + 100_000n, clientBidId: crypto.randomUUID() });
  clock.set(sold!.closesAt);
  await closeLot(db, clock, silentPublisher, sold!.lotId);
  // Now: every other lot is in bidding (they close 26 to 32 hours after it started).
  clock.set(new Date(sold!.closesAt.getTime() + MINUTE));
});
afterAll(() => platform?.stop());

const search = (query: Record<string, unknown>) => searchLots(db, clock, query);
const keys = (page: SearchPage) => page.lots.map((l) => Object.entries(ids).find(([, id]) => id === l.id)?.[0] ?? "other");
async function refusal(query: Record<string, unknown>) {
  const error = await search(query).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return { code: (error as AppError).code, fields: (error as AppError).fields };
}

describe("the public search finds lots by keyword, place and price", () => {
  it("a keyword plus a place by name plus a price range finds exactly the lots that match all three", async () => {
    const found = await search({ q: "住宅", province: "浙江省", city: "杭州市", district: "西湖区", minPriceFen: String(100n * WAN), maxPriceFen: String(300n * WAN) });
    expect(keys(found)).toEqual(["wenSan"]);
    expect(found.total).toBe(1);
    expect(found.lots[0]).toMatchObject({ place: "浙江省杭州市西湖区", startingPriceFen: 240n * WAN, referencePriceFen: 300n * WAN, startingRatioBp: 8000, loanAvailable: true, housingEligibilityRequired: true });
  });

  it("finds a two-character and a one-character Chinese keyword in title or description, and every word of several", async () => {
    expect(keys(await search({ q: "别墅", sort: "newest" }))).toEqual(["pudong", "villa"]);
    expect(keys(await search({ q: "墅", sort: "newest" }))).toEqual(["pudong", "villa"]);
    expect(keys(await search({ q: "西湖 别墅" }))).toEqual(["villa"]);
  });

  it("finds the place's name as a keyword, and Latin letters and full-width forms whatever their case", async () => {
    expect(keys(await search({ q: "上城区" }))).toEqual(["shangCheng"]);
    expect(keys(await search({ q: "京n a1234" }))).toEqual(["passat"]);
    expect(keys(await search({ q: "京Ｎ·Ａ１２３４" }))).toEqual(["passat"]);
    expect(keys(await search({ q: "ＰＡＳＳＡＴ 帕萨特" }))).toEqual([]);
    expect(keys(await search({ q: "帕萨特" }))).toEqual(["passat"]);
  });

  it("a keyword must appear as typed: characters that only appear apart do not match", async () => {
    // The shangCheng lot holds 小区 (老小区) and 区住 (上城区住宅), but not 小区住.
    expect(keys(await search({ q: "小区住" }))).toEqual([]);
    expect(keys(await search({ q: "小区" }))).toEqual(["shangCheng"]);
  });

  it("a place by province, city or district name (full or short) narrows to the lots there; a district alone is found anywhere", async () => {
    expect(keys(await search({ province: "浙江", sort: "newest" }))).toEqual(["shangCheng", "villa", "wenSan", "sold"]);
    expect(keys(await search({ province: "浙江省", city: "杭州", district: "上城区" }))).toEqual(["shangCheng"]);
    expect(keys(await search({ district: "朝阳区" }))).toEqual(["passat"]);
    expect(keys(await search({ province: "上海市", city: "上海市", district: "浦东新区" }))).toEqual(["pudong"]);
  });
});

describe("filters", () => {
  it("by category, court, round, status, discount, loan and housing eligibility", async () => {
    expect(keys(await search({ category: "vehicle" }))).toEqual(["passat"]);
    expect(keys(await search({ round: "second" }))).toEqual([]);
    expect((await search({ round: "first" })).total).toBe(6);
    expect(keys(await search({ phase: "sold" }))).toEqual(["sold"]);
    expect((await search({ phase: "bidding" })).total).toBe(5);
    expect(keys(await search({ maxRatio: "69" }))).toEqual([]);
    expect(keys(await search({ maxRatio: "70", sort: "newest" }))).toEqual(["pudong", "shangCheng", "sold"]);
    expect(keys(await search({ maxRatio: "80", sort: "newest" }))).toEqual(["pudong", "shangCheng", "wenSan", "sold"]);
    expect(keys(await search({ loan: "on", sort: "newest" }))).toEqual(["shangCheng", "wenSan"]);
    expect(keys(await search({ housing: "not_required", sort: "newest" }))).toEqual(["pudong", "passat"]);
    expect((await search({ housing: "required" })).total).toBe(4);
  });

  it("the price range reads the current price: a lot that was bid on is priced at its bid", async () => {
    expect(keys(await search({ minPriceFen: String(70n * WAN + 1n), maxPriceFen: String(71n * WAN) }))).toEqual(["sold"]);
    expect(keys(await search({ maxPriceFen: String(70n * WAN) }))).toEqual(["passat"]);
  });

  it("by court: the lots of that court only", async () => {
    const all = await search({ sort: "newest" });
    const court = (await platform.database.sql<{ court_id: string }[]>`select court_id from lots where id = ${ids.passat!}`)[0]!.court_id;
    const mine = await search({ court, sort: "newest" });
    expect(keys(mine)).toEqual(["passat", "villa", "sold"]);
    expect(all.total).toBe(6);
  });
});

describe("orders and pages", () => {
  it("closing soonest: lots still to close by their close, then closed lots, latest closed first", async () => {
    expect(keys(await search({}))).toEqual(["passat", "villa", "shangCheng", "wenSan", "pudong", "sold"]);
  });

  it("newest, price both ways (the current price) and discount", async () => {
    expect(keys(await search({ sort: "newest" }))).toEqual(["pudong", "passat", "shangCheng", "villa", "wenSan", "sold"]);
    expect(keys(await search({ sort: "price_asc" }))).toEqual(["passat", "sold", "shangCheng", "wenSan", "pudong", "villa"]);
    expect(keys(await search({ sort: "price_desc" }))).toEqual(["villa", "pudong", "wenSan", "shangCheng", "sold", "passat"]);
    const byDiscount = keys(await search({ sort: "discount" }));
    expect(byDiscount.slice(0, 3).sort()).toEqual(["pudong", "shangCheng", "sold"]);
    expect(byDiscount.slice(3)).toEqual(["wenSan", "villa", "passat"]);
  });

  it("pages follow the order, across the boundary between open and closed lots, and say how many there are", async () => {
    const pages = [1, 2, 3].map((page) => search({ pageSize: "2", page: String(page) }));
    const [one, two, three] = await Promise.all(pages);
    expect([keys(one!), keys(two!), keys(three!)]).toEqual([
      ["passat", "villa"],
      ["shangCheng", "wenSan"],
      ["pudong", "sold"],
    ]);
    expect(one).toMatchObject({ total: 6, totalCapped: false, page: 1, pageSize: 2, pages: 3 });
    expect(keys(await search({ pageSize: "4", page: "2" }))).toEqual(["pudong", "sold"]);
    expect(keys(await search({ pageSize: "2", page: "2", sort: "price_asc" }))).toEqual(["shangCheng", "wenSan"]);
    expect((await search({ page: "9" })).lots).toEqual([]);
  });
});

describe("with the database gone", () => {
  // A search runs statements side by side (the count beside the page, a deep page's bounds beside the count): each
  // failure must be the search's. One left unhandled stops the whole server (Node's default), as the outage test saw.
  it("D7, V7.4.1: a search of every kind fails as a whole, and no statement's failure is left unhandled", async () => {
    const gone = connect("postgres://postgres@127.0.0.1:1/gone", { max: 4, connectTimeoutSeconds: 1 });
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      for (const input of [{}, { q: "住宅" }, { q: "住宅", page: "20" }, { phase: "sold", sort: "newest", page: "20" }, { sort: "price_desc", page: "20" }]) {
        await expect(searchLots(gone.db, clock, input), JSON.stringify(input)).rejects.toThrow();
      }
      // A statement started beside the one that failed fails a moment later.
      await new Promise((r) => setTimeout(r, 300));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", note);
      await gone.close();
    }
  });
});

describe("bad input is refused with VALIDATION_FAILED naming the parameter, and searches nothing", () => {
  it.each([
    [{ page: "0" }, "page", "validation.invalid"],
    [{ page: "abc" }, "page", "validation.invalid"],
    [{ page: "101" }, "page", "validation.pageTooDeep"],
    [{ page: "41", pageSize: "50" }, "page", "validation.pageTooDeep"],
    [{ pageSize: "51" }, "pageSize", "validation.invalid"],
    [{ sort: "cheapest" }, "sort", "validation.invalid"],
    [{ category: "castle" }, "category", "validation.invalid"],
    [{ phase: "draft" }, "phase", "validation.invalid"],
    [{ court: "not-a-uuid" }, "court", "validation.invalid"],
    [{ minPriceFen: "-5" }, "minPriceFen", "validation.amount"],
    [{ minPriceFen: "1e9" }, "minPriceFen", "validation.amount"],
    [{ minPriceFen: "500", maxPriceFen: "400" }, "maxPriceFen", "validation.priceRange"],
    [{ maxRatio: "0" }, "maxRatio", "validation.invalid"],
    [{ maxRatio: "101" }, "maxRatio", "validation.invalid"],
    [{ housing: "maybe" }, "housing", "validation.invalid"],
    [{ region: "11ab" }, "region", "validation.regionPrefix"],
    [{ q: "房".repeat(101) }, "q", "validation.tooLong"],
    [{ province: "火星省" }, "province", "validation.placeUnknown"],
    [{ province: "浙江省", city: "南京市" }, "city", "validation.placeUnknown"],
    [{ province: "浙江省", city: "杭州市", district: "朝阳区" }, "district", "validation.placeUnknown"],
  ])("%o → %s: %s", async (query, field, message) => {
    const { code, fields } = await refusal(query);
    expect(code).toBe("VALIDATION_FAILED");
    expect(fields?.[field]).toBe(message);
  });

  it("a keyword of punctuation or SQL's own characters is no keyword, never an error", async () => {
    expect((await search({ q: "%_\\'; --" })).total).toBe(6);
    // % and _ separate words like any punctuation: "100%住宅" is 100 and 住宅.
    expect(keys(await search({ q: "100%住宅" }))).toEqual(["wenSan"]);
  });
});

describe("over HTTP: the page (a GET form, a link to share) and the JSON API", () => {
  it("the page reads the whole search from its address, prices typed in yuan, and shows the place by name", async () => {
    const visitor = new Visitor(platform.url);
    const query = new URLSearchParams({ q: "住宅", province: "浙江省", city: "杭州市", district: "西湖区", minPrice: "1000000", maxPrice: "3,000,000", sort: "price_asc" });
    const response = await visitor.get(`/lots?${query}`);
    expect(response.status).toBe(200);
    const text = await pageText(response);
    expect(text).toContain("杭州市西湖区文三路100号3幢501室住宅");
    expect(text).toContain("浙江省杭州市西湖区");
    expect(text).not.toContain("杭州市西湖区某别墅");
    expect(text).not.toContain("330106");
    // The form shows the search it ran: the city and district lists are those of the chosen province and city.
    expect(text).toContain('<option value="上城区">上城区</option>');
    expect(text).toMatch(/<option value="西湖区" selected="">西湖区<\/option>/);
  });

  it("the page shows bad input beside its field with a 400, never a 500", async () => {
    const visitor = new Visitor(platform.url);
    for (const [path, field] of [
      ["/lots?minPrice=abc", "minPrice"],
      ["/lots?minPrice=500&maxPrice=100", "maxPrice"],
      ["/lots?province=%E7%81%AB%E6%98%9F", "province"],
      ["/lots?province=%00", "province"],
      ["/lots?page=-1", "page"],
      ["/lots?sort=%27%3Bdrop", "sort"],
    ] as const) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(400);
      expect(await pageText(response), path).toContain(`href="#${field}"`);
    }
    expect((await visitor.get("/lots?q=%00%25_")).status).toBe(200);
  });

  it("GET /api/v1/lots answers the same search in fen, and bad input as 400 VALIDATION_FAILED with the fields", async () => {
    const query = new URLSearchParams({ q: "住宅", province: "浙江", city: "杭州", district: "西湖区", minPriceFen: String(100n * WAN), maxPriceFen: String(300n * WAN) });
    const ok = await fetch(`${platform.url}/api/v1/lots?${query}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { lots: { id: string; place: string; startingPriceFen: string }[]; total: number; pages: number };
    expect(body).toMatchObject({ total: 1, pages: 1, lots: [{ id: ids.wenSan, place: "浙江省杭州市西湖区", startingPriceFen: String(240n * WAN) }] });
    const bad = await fetch(`${platform.url}/api/v1/lots?page=0&maxRatio=x&district=%E7%81%AB`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", fields: { page: "validation.invalid", maxRatio: "validation.invalid" } } });
    const unknownPlace = await fetch(`${platform.url}/api/v1/lots?district=%E7%81%AB%E6%98%9F%E5%8C%BA`);
    expect(await unknownPlace.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", fields: { district: "validation.placeUnknown" } } });
  });
});

// Last: it adds a lot, which the exact lists above do not expect.
describe("drafts and the search", () => {
  it("a draft is not searchable at all; publishing it makes it found (a lot has a search row once published)", async () => {
    const courts = [await makeCourt(db, clock)];
    const plan: Plan = { key: "draftOnly", category: "residential", regionCode: "330106", title: "杭州市西湖区翡翠湾草稿公寓", description: "仅供测试。", referenceWan: 300n, startPercent: 80n, hours: 24 };
    const { lotId } = await makeLot(plan, 0, courts, false);
    const rows = async () => (await db.select({ id: lotSearch.lotId }).from(lotSearch).where(eq(lotSearch.lotId, lotId))).length;
    expect(await rows()).toBe(0);
    expect((await search({ q: "翡翠湾" })).total).toBe(0);
    expect((await search({ q: "翡翠湾", sort: "newest" })).lots).toEqual([]);
    await publishLot(db, clock, courts[0]!.judge, lotId);
    expect(await rows()).toBe(1);
    expect((await search({ q: "翡翠湾" })).lots.map((l) => l.id)).toEqual([lotId]);
  });
});
