import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemClock, TestClock } from "../../core/clock.ts";
import type { Database } from "../../db/client.ts";
import { searchLots, SEARCH_COUNT_CAP } from "../../auction/index.ts";
import { searchGramHashes } from "../../auction/search-text.ts";
import { boundedSearchPage } from "../../auction/search.ts";
import { generateLots } from "../../bench/site/lots.ts";
import { createTestDatabase } from "../support/database.ts";

// Pages of a keyword with many matches (ADR 024, amendments of 2026-12-07). Deep pages are read through keys the search
// row keeps: no lot's price is below its starting price; the publication time and the discount are fixed; a closed
// lot's final price and close are kept when it closes (lots still open are read by their price and close now). Pages
// near the start walk the order's index. Over 10,000 generated lots, a third
// of them bid up to three times their start (so prices cross: a lot that started dear is overtaken by one bid up),
// every page is compared with every match in the order now. The keywords cover both ways of reading: a pair in half
// the lots (read through the key alone) and words in about a fifth (ANDed with the keyword's index).

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  await generateLots(database.db, 10_000, () => {});
  await database.db.execute(sql`
    update lots set current_price_fen = starting_price_fen * 3, bid_count = greatest(bid_count, 1)
    where status in ('published', 'sold') and ascii(substr(id::text, 1, 1)) % 3 = 0`);
  // Late bids move some open lots' closes later (D3), up to three days: their search rows keep the closes as set, so
  // the closing order's open lots cross the order those rows keep.
  await database.db.execute(sql`
    update lots set closes_at = closes_at + (ascii(substr(id::text, 2, 1)) % 4) * interval '1 day'
    where status = 'published' and bidding_starts_at < now() + interval '20 days' and ascii(substr(id::text, 3, 1)) % 2 = 0`);
  // A word in every one of the 600 cheapest-starting lots and in one in fifty of the others: dense where the page
  // looks first, sparse beyond, so its first guess falls short and the bound has to grow.
  // Another in a third of the lots published before the newest 3,000 only, as a year's name would be: more matches
  // than the cap, but none among the first lots of the newest or closing order, so that a walk of them finds no page.
  const rows = await database.db.execute<{ lot_id: string; document: string; n: number; k: number }>(sql`
    select s.lot_id, s.document, row_number() over (order by s.starting_price_fen, s.lot_id) as n,
      row_number() over (order by l.published_at desc, l.id desc) as k
    from lot_search s join lots l on l.id = s.lot_id`);
  for (const row of rows) {
    const n = Number(row.n), k = Number(row.k);
    const words = [n <= 600 || n % 50 === 0 ? "甲乙" : "", k > 3000 && k % 3 === 0 ? "丙丁" : ""].join("");
    if (!words) continue;
    const document = `${row.document}\n${words}`;
    await database.db.execute(sql`update lot_search set document = ${document}, gram_hashes = ${`{${searchGramHashes(document).join(",")}}`}::integer[] where lot_id = ${row.lot_id}`);
  }
  await database.db.execute(sql`analyze`);
}, 120_000);
afterAll(() => database?.close());

const ORDERS = {
  closing: sql`(l.status in ('published', 'suspended', 'stayed')) desc, case when l.status in ('published', 'suspended', 'stayed') then extract(epoch from l.closes_at) else -extract(epoch from l.closes_at) end, case when l.status in ('published', 'suspended', 'stayed') then l.id::text end, l.id::text desc`,
  newest: sql`l.published_at desc, l.id desc`,
  price_desc: sql`coalesce(l.current_price_fen, l.starting_price_fen) desc, l.id desc`,
  discount: sql`l.starting_ratio_bp, l.id`,
  price_asc: sql`coalesce(l.current_price_fen, l.starting_price_fen), l.id`,
};

interface Filters {
  category?: string;
  phase?: string;
  minPriceFen?: string;
  maxPriceFen?: string;
}

/** Every match of the keyword and filters (the price is the price now), in the order's key now, by id on ties. */
async function everyMatch(word: string, sort: keyof typeof ORDERS, filters: Filters = {}): Promise<string[]> {
  const { category = null, phase = null, minPriceFen = null, maxPriceFen = null } = filters;
  const rows = await database.db.execute<{ id: string }>(sql`
    select l.id from lots l join lot_search s on s.lot_id = l.id
    where s.document like ${`%${word}%`} and (${category}::text is null or s.category = ${category}) and (${phase}::text is null or l.status = ${phase})
      and (${minPriceFen}::bigint is null or coalesce(l.current_price_fen, l.starting_price_fen) >= ${minPriceFen}::bigint)
      and (${maxPriceFen}::bigint is null or coalesce(l.current_price_fen, l.starting_price_fen) <= ${maxPriceFen}::bigint)
    order by ${ORDERS[sort]}`);
  return rows.map((r) => r.id);
}

describe("pages of a keyword with many matches are exactly those pages of every match in order", () => {
  it.each<[string, Filters]>([
    ["住宅", {}],
    ["建筑", {}],
    ["平方米", {}],
    ["单元", { category: "residential" }],
    ["甲乙", {}],
    ["住宅", { phase: "sold" }],
    ["住宅", { phase: "sold", minPriceFen: "30000000" }],
    ["建筑", { phase: "failed" }],
    // ¥100,000 to ¥2,000,000, and from ¥300,000: prices bid across either end count by their price now.
    ["住宅", { minPriceFen: "10000000", maxPriceFen: "200000000" }],
    ["住宅", { minPriceFen: "30000000" }],
    ["平方米", { maxPriceFen: "50000000" }],
    // No keyword: a price range alone decides an open lot from its lot row; with a category, its search row decides.
    ["", { minPriceFen: "10000000", maxPriceFen: "200000000" }],
    ["", { category: "residential", minPriceFen: "30000000" }],
  ])("%s %j: pages 11, 30, 50 and 100 in every order", async (word, filters) => {
    for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
      const all = await everyMatch(word, sort, filters);
      expect(all.length, "enough matches for deep pages").toBeGreaterThan(220);
      for (const page of [11, 30, 50, 100]) {
        const input = { q: word, ...filters, sort, page: String(page) };
        const found = await searchLots(database.db, systemClock, input);
        expect(found.lots.map((l) => l.id), `${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
        expect(found.total).toBe(Math.min(all.length, SEARCH_COUNT_CAP));
        // Read through the bounds too, as a search with more matches than the cap would be.
        expect(await boundedSearchPage(database.db, systemClock, input), `${sort} page ${page}, bounded`).toEqual(all.slice((page - 1) * 20, page * 20));
      }
    }
  });

  it("hundreds of lots share a discount (whole percents) and a few a price: every deep page from 11 to 40, read through the bounds, is that page of every match", async () => {
    // A bound is the key of the m-th lot: where a key is shared, the m-th and a later lot's may be the same bound.
    const [{ largest }] = (await database.db.execute<{ largest: number }>(sql`select max(n)::int as largest from (select count(*) as n from lot_search group by starting_ratio_bp) t`)) as unknown as [{ largest: number }];
    expect(largest, "lots sharing a discount").toBeGreaterThan(200);
    for (const [word, sort] of [["", "discount"], ["住宅", "discount"], ["", "price_desc"]] as const) {
      const all = await everyMatch(word, sort);
      for (let page = 11; page <= 40; page++) {
        const input = { q: word, sort, page: String(page) };
        expect(await boundedSearchPage(database.db, systemClock, input), `${word} ${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
      }
    }
  });

  it("small pages (5 lots) of a word none of the newest 3,000 lots hold, read through the bounds, are those pages of every match", async () => {
    // A deep page first counts the matches among an order's first 400 lots. A page of a few lots of a word rare there
    // guessed a bound nearer than theirs, and took their count as the count up to it.
    for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
      const all = await everyMatch("丙丁", sort);
      for (const page of [1, 2, 3]) {
        const input = { q: "丙丁", sort, page: String(page), pageSize: "5" };
        expect(await boundedSearchPage(database.db, systemClock, input), `${sort} page ${page} of 5`).toEqual(all.slice((page - 1) * 5, page * 5));
      }
    }
  });

  it("a search by a status the search row keeps (sold, failed), alone, in every order, pages 1, 5, 11 and 50", async () => {
    for (const phase of ["sold", "failed"]) {
      for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
        const all = await everyMatch("", sort, { phase });
        expect(all.length).toBeGreaterThan(SEARCH_COUNT_CAP);
        for (const page of [1, 5, 11, 50]) {
          const found = await searchLots(database.db, systemClock, { phase, sort, page: String(page) });
          expect(found.lots.map((l) => l.id), `${phase} ${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
        }
      }
    }
  });

  it("a status the search row keeps with a price, more matches than the cap: pages 1 and 5 in every order are those of every match, each lot walked tested", async () => {
    for (const phase of ["sold", "failed"]) {
      // From the price of the 2,100th dearest: more matches than the cap, and the cheaper lots of the status between them.
      const [cheapest] = await database.db.execute<{ price: string }>(sql`
        select coalesce(current_price_fen, starting_price_fen)::text as price from lots where status = ${phase} order by coalesce(current_price_fen, starting_price_fen) desc offset 2100 limit 1`);
      const price = cheapest!.price;
      for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
        const all = await everyMatch("", sort, { phase, minPriceFen: price });
        expect(all.length).toBeGreaterThan(SEARCH_COUNT_CAP);
        for (const page of [1, 5]) {
          const found = await searchLots(database.db, systemClock, { phase, minPriceFen: price, sort, page: String(page) });
          expect(found.lots.map((l) => l.id), `${phase} from ${price} ${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
        }
      }
    }
  });

  it("pages near the start of a keyword with more matches than the cap, in every order, are those of every match", async () => {
    for (const [word, filters] of [["住宅", {}], ["建筑", {}], ["丙丁", {}], ["住宅", { minPriceFen: "5000000" }]] as [string, Filters][]) {
      for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
        const all = await everyMatch(word, sort, filters);
        expect(all.length).toBeGreaterThan(SEARCH_COUNT_CAP);
        for (const page of [1, 5]) {
          const found = await searchLots(database.db, systemClock, { q: word, ...filters, sort, page: String(page) });
          expect(found.lots.map((l) => l.id), `${word} ${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
        }
      }
    }
  });

  it("announced, in bidding and ended (published lots told apart by the clock), alone, with a keyword and from a price, in every order, pages 1, 5, 11 and 50", async () => {
    // Ten days on, a sixth of the open lots have closed unrecorded (ended), some are in bidding, most still announced.
    const at = new Date(Date.now() + 10 * 86_400_000);
    const clock = new TestClock(at);
    const t = at.toISOString();
    const phases = {
      announced: sql`l.status = 'published' and l.bidding_starts_at > ${t}::timestamptz`,
      bidding: sql`l.status = 'published' and l.bidding_starts_at <= ${t}::timestamptz and l.closes_at > ${t}::timestamptz`,
      ended: sql`l.status = 'published' and l.closes_at <= ${t}::timestamptz`,
    };
    for (const [phase, where] of Object.entries(phases)) {
      for (const [word, from] of [["", 0], ["住宅", 0], ["", 30_000_000]] as const) {
        for (const sort of Object.keys(ORDERS) as (keyof typeof ORDERS)[]) {
          const rows = await database.db.execute<{ id: string }>(sql`
            select l.id from lots l join lot_search s on s.lot_id = l.id
            where ${where} and s.document like ${`%${word}%`} and coalesce(l.current_price_fen, l.starting_price_fen) >= ${from} order by ${ORDERS[sort]}`);
          const all = rows.map((r) => r.id);
          expect(all.length, `${phase} ${word} ${from}: matches`).toBeGreaterThan(20);
          for (const page of [1, 5, 11, 50]) {
            const input = { q: word, phase, sort, page: String(page), ...(from ? { minPriceFen: String(from) } : {}) };
            const found = await searchLots(database.db, clock, input);
            expect(found.lots.map((l) => l.id), `${phase} ${word} ${from} ${sort} page ${page}`).toEqual(all.slice((page - 1) * 20, page * 20));
            expect(found.total).toBe(Math.min(all.length, SEARCH_COUNT_CAP));
            if (page >= 11) expect(await boundedSearchPage(database.db, clock, input), `${phase} ${word} ${from} ${sort} page ${page}, bounded`).toEqual(all.slice((page - 1) * 20, page * 20));
          }
        }
      }
    }
  });

  it("a search row keeps its lot's status and start of bidding, and its final close and price exactly while it is closed, whatever changed them", async () => {
    const kept = () =>
      database.db.execute<{ wrong: number }>(sql`
        select count(*)::int as wrong from lots l join lot_search s on s.lot_id = l.id
        where (s.status, s.bidding_starts_at, s.final_closes_at, s.final_price_fen) is distinct from (l.status, l.bidding_starts_at,
          case when l.status in ('sold', 'failed', 'withdrawn', 'defaulted', 'revoked') then l.closes_at end,
          case when l.status in ('sold', 'failed', 'withdrawn', 'defaulted', 'revoked') then coalesce(l.current_price_fen, l.starting_price_fen) end)`);
    // As written (inserted with their lots already closed) and after the bids above.
    expect((await kept())[0]!.wrong).toBe(0);
    const [open] = await database.db.execute<{ id: string }>(sql`select id from lots where status = 'published' limit 1`);
    const [sold] = await database.db.execute<{ id: string }>(sql`select id from lots where status = 'sold' limit 1`);
    await database.db.execute(sql`update lots set status = 'failed' where id = ${open!.id}`);
    await database.db.execute(sql`update lots set status = 'published' where id = ${sold!.id}`);
    expect((await kept())[0]!.wrong).toBe(0);
    await database.db.execute(sql`update lots set current_price_fen = current_price_fen + 100 where id = ${sold!.id}`);
    await database.db.execute(sql`update lots set status = 'sold', closes_at = closes_at + interval '1 minute' where id = ${sold!.id}`);
    expect((await kept())[0]!.wrong).toBe(0);
    await database.db.execute(sql`update lots set status = 'suspended', held_from = 'bidding', held_at = now() where id = ${open!.id}`);
    expect((await kept())[0]!.wrong).toBe(0);
    // A held lot resumes with a new start and close; a lot's start is moved without a change of status.
    await database.db.execute(sql`update lots set status = 'published', held_from = null, held_at = null, bidding_starts_at = now() + interval '20 days', closes_at = now() + interval '21 days', bidding_ends_at = now() + interval '21 days' where id = ${open!.id}`);
    await database.db.execute(sql`update lots set bidding_starts_at = bidding_starts_at + interval '1 day', closes_at = closes_at + interval '1 day', bidding_ends_at = bidding_ends_at + interval '1 day' where id = (select id from lots where status = 'published' and id <> ${open!.id} limit 1)`);
    expect((await kept())[0]!.wrong).toBe(0);
  });

  it("D3, F9: an open lot's search row keeps a close its close now is never before: a late bid's later close leaves it, a sale-off's first bid's earlier close, a new start and a new status write it, and closing clears it", async () => {
    const row = async (id: string) =>
      (await database.db.execute<{ from: string | null; closes: string }>(sql`select s.closes_from::text as from, l.closes_at::text as closes from lots l join lot_search s on s.lot_id = l.id where l.id = ${id}`))[0]!;
    const below = await database.db.execute<{ wrong: number }>(sql`
      select count(*)::int as wrong from lots l join lot_search s on s.lot_id = l.id
      where case when l.status in ('published', 'suspended', 'stayed') then s.closes_from is null or s.closes_from > l.closes_at else s.closes_from is not null end`);
    expect(below[0]!.wrong).toBe(0);
    const [lot] = await database.db.execute<{ id: string }>(sql`select id from lots where status = 'published' and closes_at > now() + interval '2 days' order by id desc limit 1`);
    const id = lot!.id;
    const set = (await row(id)).from;
    // D3: a late bid moves the close later; the search row keeps the close as set.
    await database.db.execute(sql`update lots set closes_at = closes_at + interval '5 minutes', current_price_fen = coalesce(current_price_fen, starting_price_fen) + 100 where id = ${id}`);
    expect((await row(id)).from).toBe(set);
    // F9: a sale-off's first bid opens a 24-hour round, which may end before the period's close.
    await database.db.execute(sql`update lots set closes_at = now() + interval '1 day', bidding_ends_at = now() + interval '1 day' where id = ${id}`);
    const moved = await row(id);
    expect(moved.from).toBe(moved.closes);
    await database.db.execute(sql`update lots set status = 'suspended', held_from = 'bidding', held_at = now(), closes_at = closes_at + interval '1 hour' where id = ${id}`);
    const held = await row(id);
    expect(held.from).toBe(held.closes);
    await database.db.execute(sql`update lots set status = 'sold', held_from = null, held_at = null where id = ${id}`);
    expect((await row(id)).from).toBeNull();
  });

  it("D1: no lot's price is below its starting price, which is what the pages count on", async () => {
    const error = await database.db.execute(sql`update lots set current_price_fen = starting_price_fen - 1 where id = (select id from lots limit 1)`).then(
      () => null,
      (e: unknown) => e as { cause?: { constraint_name?: string }; constraint_name?: string },
    );
    expect(error?.cause?.constraint_name ?? error?.constraint_name).toBe("lots_price_from_start_check");
  });
});
