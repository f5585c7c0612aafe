import { and, type AnyColumn, asc, desc, eq, gt, inArray, isNotNull, isNull, like, lte, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, DbOrTx } from "../db/client.ts";
import { ASSET_CATEGORIES, assets, LOT_ROUNDS, LOT_STATUSES, lots, lotSearch, type AssetCategory, type LotRound, type LotStatus } from "../db/schema/index.ts";
import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { placeName, resolvePlace } from "../core/regions.ts";
import { needsHousingEligibility } from "../core/ruleset.ts";
import { checkboxField, fenField, parseOrThrow } from "../core/validation.ts";
import { courts } from "../identity/index.ts";
import { lotPhase, LOT_PHASES } from "./lot-phase.ts";
import { gramHash, keywordTerms, searchDocument, searchGramHashes, termGrams } from "./search-text.ts";

// The public search (docs/decisions/024-lot-search.md): keyword, place by name, filters, four orders, pages.
// Every order is read from an index so that a search over 100,000 lots answers in milliseconds; a count stops at
// SEARCH_COUNT_CAP and a page may start at most SEARCH_MAX_OFFSET lots in (100 pages of 20) — past that, a narrower
// search helps a person more than page 500 would, and counting every match of a common keyword is what costs most.

export const SEARCH_SORTS = ["closing", "newest", "price_asc", "price_desc", "discount"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
export const SEARCH_PUBLIC_PHASES = LOT_PHASES.filter((p) => p !== "draft");
export const HOUSING_CHOICES = ["required", "not_required"] as const;
export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_MAX_PAGE_SIZE = 50;
export const SEARCH_COUNT_CAP = 2_000;
export const SEARCH_MAX_OFFSET = 2_000;

const invalid = { error: "validation.invalid" };
const placeField = z.string().trim().max(20, "validation.tooLong").optional();

/**
 * A search as its query string says it (every value a string; an empty one means "any"). Prices are fen; the page
 * converts the yuan people type before parsing. `region` is a division-code prefix, for machine clients only.
 */
export const lotSearchSchema = z
  .object({
    q: z.string().trim().max(100, "validation.tooLong").optional(),
    category: z.enum(ASSET_CATEGORIES, invalid).optional(),
    province: placeField,
    city: placeField,
    district: placeField,
    region: z.string().regex(/^\d{2,6}$/, "validation.regionPrefix").optional(),
    court: z.uuid(invalid).optional(),
    round: z.enum(LOT_ROUNDS, invalid).optional(),
    phase: z.enum(SEARCH_PUBLIC_PHASES as [string, ...string[]], invalid).optional(),
    minPriceFen: fenField.optional(),
    maxPriceFen: fenField.optional(),
    /** The starting price is at most this percentage of the reference price (70 = 7折 or less). */
    maxRatio: z.coerce.number(invalid).int("validation.invalid").min(1, "validation.invalid").max(100, "validation.invalid").optional(),
    loan: checkboxField,
    housing: z.enum(HOUSING_CHOICES, invalid).optional(),
    sort: z.enum(SEARCH_SORTS, invalid).default("closing"),
    page: z.coerce.number(invalid).int("validation.invalid").min(1, "validation.invalid").default(1),
    pageSize: z.coerce.number(invalid).int("validation.invalid").min(1, "validation.invalid").max(SEARCH_MAX_PAGE_SIZE, "validation.invalid").default(SEARCH_PAGE_SIZE),
  })
  .superRefine((s, ctx) => {
    if (s.minPriceFen !== undefined && s.maxPriceFen !== undefined && s.minPriceFen > s.maxPriceFen) ctx.addIssue({ code: "custom", path: ["maxPriceFen"], message: "validation.priceRange" });
    if ((s.page - 1) * s.pageSize > SEARCH_MAX_OFFSET - s.pageSize) ctx.addIssue({ code: "custom", path: ["page"], message: "validation.pageTooDeep" });
  });
export type LotSearchInput = z.input<typeof lotSearchSchema>;

/** The query string's values, blanks dropped (an empty form field means "any"). */
export function searchParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (value.trim() !== "" && key.length < 32) out[key] = value.slice(0, 200);
  return out;
}

/** Ties go by id in the order's own direction, so that one index (key, id) serves the whole order. */
const inOrder = (key: AnyColumn | SQL | SQL.Aliased, id: AnyColumn, direction: "asc" | "desc") => (direction === "asc" ? [asc(key), asc(id)] : [desc(key), desc(id)]);

const OPEN_STATUSES = ["published", "suspended", "stayed"] as const;
/** A lot in one of these has left bidding (unless reopened): its search row keeps its final close and price. */
const FINAL_STATUSES: string[] = LOT_STATUSES.filter((s) => s !== "draft" && !(OPEN_STATUSES as readonly string[]).includes(s));
/** Which parts of the closing order (lots still open, lots closed) can hold a search's lots: one, for a phase. */
const closingParts = (phase: string | undefined) => ({ open: !phase || !FINAL_STATUSES.includes(phase), closed: !phase || FINAL_STATUSES.includes(phase) });
const openNow = inArray(lots.status, [...OPEN_STATUSES]);
const HOUSING_CATEGORIES = ASSET_CATEGORIES.filter((c) => needsHousingEligibility(c));
const price = sql`coalesce(${lots.currentPriceFen}, ${lots.startingPriceFen})`;

/** A search's conditions on the search row and on the lot row, and the keyword's index condition among the first. */
interface Conditions {
  onSearch: SQL[];
  onLots: SQL[];
  /** Conditions on the search row said again of the lot row, for joins and walks of the lots. */
  lotHints: SQL[];
  grams: SQL | null;
  /** The price range, as a condition on a price (none without one). */
  inPrice: ((key: SQL | PgColumn) => SQL) | null;
}

/**
 * A search's conditions, apart by table: on the search row (which a lot has once published, so it stands for "not a
 * draft") and on the lot row. A search with none of the lot's own may be counted on the search rows alone.
 */
function conditions(search: z.output<typeof lotSearchSchema>, prefixes: string[] | null, now: Date): Conditions {
  const onSearch: SQL[] = [];
  const where: SQL[] = [];
  const lotHints: SQL[] = [];
  let inPrice: Conditions["inPrice"] = null;
  const terms = keywordTerms(search.q ?? "");
  const grams = terms.length > 0 ? sql`${lotSearch.gramHashes} @> array[${sql.join(termGrams(terms).map((g) => sql`${gramHash(g)}`), sql`, `)}]::integer[]` : null;
  if (grams) {
    onSearch.push(grams);
    // The hashes narrow; the substring decides: a longer term's pairs do not say they are adjacent, and two grams
    // may share a hash. The document is in the same row, so this costs little. Terms hold letters and digits only,
    // never LIKE's own % or _.
    for (const term of terms) onSearch.push(like(lotSearch.document, `%${term}%`));
  }
  if (search.category) onSearch.push(eq(lotSearch.category, search.category));
  if (search.housing) onSearch.push((search.housing === "required" ? inArray : notInArray)(lotSearch.category, HOUSING_CATEGORIES));
  // Prefixes are digits only (from the division table or the validated `region`), so they are safe in LIKE.
  if (prefixes) onSearch.push(or(...prefixes.map((p) => like(lotSearch.regionCode, `${p}%`)))!);
  if (search.region) onSearch.push(like(lotSearch.regionCode, `${search.region}%`));
  if (search.court) onSearch.push(eq(lotSearch.courtId, search.court));
  if (search.round) onSearch.push(eq(lotSearch.round, search.round));
  if (search.minPriceFen !== undefined || search.maxPriceFen !== undefined) {
    // A closed lot's price is its search row's final price; an open lot's is read from the lot (about a seventh).
    const inRange = (key: SQL | PgColumn) => and(search.minPriceFen === undefined ? undefined : sql`${key} >= ${search.minPriceFen}`, search.maxPriceFen === undefined ? undefined : sql`${key} <= ${search.maxPriceFen}`)!;
    onSearch.push(or(inRange(lotSearch.finalPriceFen), and(isNull(lotSearch.finalPriceFen), sql`(select ${inRange(price)} from ${lots} where ${lots.id} = ${lotSearch.lotId})`))!);
    lotHints.push(inRange(price));
    inPrice = inRange;
  }
  if (search.maxRatio !== undefined) where.push(lte(lots.startingRatioBp, search.maxRatio * 100));
  if (search.loan) onSearch.push(eq(lotSearch.loanAvailable, true));
  const phase = search.phase;
  // Announced, bidding and ended are published lots told apart by the clock; the others are stored as such, and the
  // search row keeps the lot's status.
  if (phase === "announced") where.push(eq(lots.status, "published"), gt(lots.biddingStartsAt, now));
  else if (phase === "bidding") where.push(eq(lots.status, "published"), lte(lots.biddingStartsAt, now), gt(lots.closesAt, now));
  else if (phase === "ended") where.push(eq(lots.status, "published"), lte(lots.closesAt, now));
  else if (phase) {
    onSearch.push(eq(lotSearch.status, phase as LotStatus));
    // The same, said of the lot, for the planner of a join of the two: so that it may walk the lots by their status.
    lotHints.push(eq(lots.status, phase as LotStatus));
  }
  return { onSearch, onLots: where, lotHints, grams, inPrice };
}

function placePrefixes(search: z.output<typeof lotSearchSchema>): string[] | null {
  const place = resolvePlace({ province: search.province, city: search.city, district: search.district });
  if (place && !place.ok) throw new AppError("VALIDATION_FAILED", { fields: { [place.field]: "validation.placeUnknown" } });
  return place?.prefixes ?? null;
}

export interface SearchPage {
  lots: SearchHit[];
  /** Lots found, counted up to SEARCH_COUNT_CAP; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
  /** The last page that can be asked for (at least 1). */
  pages: number;
}

/** Searches the public lots. Bad input is VALIDATION_FAILED naming each parameter; nothing here writes. */
export async function searchLots(db: Db, clock: Clock, input: Record<string, unknown>): Promise<SearchPage> {
  const search = parseOrThrow(lotSearchSchema, input);
  const prefixes = placePrefixes(search);
  const now = clock.now();
  const cond = conditions(search, prefixes, now);
  const { onSearch, onLots } = cond;
  // The lot orders' indexes are partial (drafts left out): the condition lets the planner use them.
  const where = [...onSearch, ne(lots.status, "draft"), ...onLots, ...cond.lotHints];
  const offset = (search.page - 1) * search.pageSize;
  const count = async (extra: SQL[]) => {
    // Without a condition on the lot, the narrow search rows alone are counted, without a join per match.
    const inner =
      onLots.length + extra.length === 0
        ? db.select({ one: sql`1` }).from(lotSearch).where(and(...onSearch)).limit(SEARCH_COUNT_CAP + 1)
        : db.select({ one: sql`1` }).from(lots).innerJoin(lotSearch, eq(lotSearch.lotId, lots.id)).where(and(...where, ...extra)).limit(SEARCH_COUNT_CAP + 1);
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner.as("found"));
    return row!.n;
  };
  // A search the search rows alone decide is counted first (cheaply, above). When it finds at most the cap, its
  // matches are read first and then ordered: walking an order's index for a rare place or word would pass over
  // most lots. (The LIMIT, which cuts nothing here, keeps the planner from folding the matches back into one join.)
  // Otherwise matches are dense, and a page near the start is found by walking the order's index (`walkedPage`).
  // A deep page of such a search is read through the keys its search rows keep, whatever the count
  // (`boundedPage`, `closingDeepPage`), so the two run at once.
  const searchOnly = onSearch.length > 0 && onLots.length === 0;
  // Cheapest first is read through the starting prices, which a minimum price does not bound (a lot that started
  // cheap may be bid past it): such a deep page walks the lots' price index from that minimum instead (the join).
  const deep = searchOnly && offset >= DEEP_PAGE_OFFSET && !(search.sort === "price_asc" && search.minPriceFen !== undefined);
  const counted = searchOnly && !deep ? await count([]) : null;
  const matched = counted !== null && counted <= SEARCH_COUNT_CAP ? db.select({ lotId: lotSearch.lotId }).from(lotSearch).where(and(...onSearch)).limit(SEARCH_COUNT_CAP + 1).as("matched") : null;
  const ids = async (extra: SQL[], [key, direction]: readonly [AnyColumn | SQL, "asc" | "desc"], skip: number, take: number) => {
    if (counted !== null && counted > SEARCH_COUNT_CAP && skip < DEEP_PAGE_OFFSET) {
      const page = await walkedPage(db, onSearch, { extra: [...extra, ...cond.lotHints], key, direction, skip, take });
      if (page) return page;
    }
    return (
      matched
        ? db.select({ id: lots.id }).from(matched).innerJoin(lots, eq(lots.id, matched.lotId)).where(and(ne(lots.status, "draft"), ...extra))
        : db.select({ id: lots.id }).from(lots).innerJoin(lotSearch, eq(lotSearch.lotId, lots.id)).where(and(...where, ...extra))
    )
      .orderBy(...inOrder(key, lots.id, direction))
      .offset(skip)
      .limit(take);
  };
  const countAll = async () => counted ?? (await count([]));

  let total: number;
  let found: { id: string }[];
  if (deep) {
    const bounded = BOUNDED_ORDERS[search.sort];
    const page = bounded ? boundedPage(db, cond, bounded, offset, search.pageSize).then((p) => p.ids) : closingDeepPage(db, cond, closingParts(search.phase), offset, search.pageSize);
    [total, found] = await Promise.all([countAll(), page]);
  } else if (search.sort === "closing") {
    // Lots still to close, soonest first; then those closed, latest first. Each part is read from its own index.
    // One count of both; the open lots are counted apart only for a page that runs past them.
    const parts = closingParts(search.phase);
    const done = inArray(lots.status, FINAL_STATUSES as LotStatus[]);
    [total, found] = await Promise.all([countAll(), parts.open ? ids([openNow], [lots.closesAt, "asc"], offset, search.pageSize) : []]);
    if (found.length < search.pageSize && parts.closed) {
      const openCount = !parts.open ? 0 : found.length > 0 ? offset + found.length : await count([openNow]);
      found.push(...(await ids([done], [lots.closesAt, "desc"], Math.max(0, offset - openCount), search.pageSize - found.length)));
    }
  } else {
    const order = ({ newest: [lots.publishedAt, "desc"], price_asc: [price, "asc"], price_desc: [price, "desc"], discount: [lots.startingRatioBp, "asc"] } as const)[search.sort];
    [total, found] = await Promise.all([countAll(), ids([], [order[0], order[1]], offset, search.pageSize)]);
  }
  const capped = total > SEARCH_COUNT_CAP;
  total = Math.min(total, SEARCH_COUNT_CAP);
  const maxPages = Math.floor(SEARCH_MAX_OFFSET / search.pageSize);
  return { lots: await hits(db, found.map((f) => f.id), now), total, totalCapped: capped, page: search.page, pageSize: search.pageSize, pages: Math.max(1, Math.min(maxPages, Math.ceil(total / search.pageSize))) };
}

/** From this many lots in, a page is read by `boundedPage` rather than by walking an order's index. */
const DEEP_PAGE_OFFSET = 200;
/** How many of the first lots of an order `boundedPage` tests to learn how densely a search matches among them. */
const PROBE_LOTS = 400;
/** `boundedPage`'s first bound is at most this many lots of the order for each lot the page needs. */
const FIRST_GUESS_LOTS = 16;
/** Below this share of lots matching, the keyword's index narrows the rows `boundedPage` reads. */
const SPARSE_MATCHES = 0.3;

/**
 * An order read through a key that bounds it: no lot's key now is before the key kept for it. For the newest and the
 * discount orders the key kept (at publication) is the key; a lot's price is never below its starting price
 * (lots_price_from_start_check); a closed lot's final price and close are its keys (kept by the trigger
 * `lots_search_final`); an open lot's close is on its lot row.
 */
interface BoundedOrder {
  direction: "asc" | "desc";
  /** The column the key is kept in, whose type the bound takes (a time goes as text, not as a Date). */
  column: PgColumn;
  /** The kept key of the m-th lot of those the order reads (within the search's price range), undefined past the last. */
  keyAt: (db: Db, m: number, search: Conditions) => Promise<unknown>;
  /**
   * The lots (id, key now) meeting `read` whose kept key is at or before x (every such lot without x); `sparse` when
   * `read` holds the keyword's index condition, matches being few.
   */
  candidates: (read: SQL[], x: unknown, sparse: boolean, search: Conditions) => SQL;
}

const priceNow = sql`(select ${price} from ${lots} where ${lots.id} = ${lotSearch.lotId})`;
const upTo = (direction: "asc" | "desc", key: AnyColumn | SQL, x: unknown, column: PgColumn) => (direction === "asc" ? sql`${key} <= ${sql.param(x, column)}` : sql`${key} >= ${sql.param(x, column)}`);
const ordered = (key: PgColumn, direction: "asc" | "desc") => (direction === "asc" ? asc(key) : desc(key));

/**
 * An order through a key its search row keeps (null, for a final key, while the lot is open: those are left out).
 * `now` is the key now, where it may have moved past the kept one; `keys` limits the keys the m-th is counted among.
 */
function keptOrder(kept: PgColumn, direction: "asc" | "desc", { now, keys }: { now?: SQL; keys?: (search: Conditions) => SQL | undefined } = {}): BoundedOrder {
  return {
    direction,
    column: kept,
    keyAt: async (db, m, search) => (await db.select({ x: kept }).from(lotSearch).where(and(isNotNull(kept), keys?.(search))).orderBy(ordered(kept, direction)).offset(m - 1).limit(1))[0]?.x,
    candidates: (read, x) => sql`select ${lotSearch.lotId} as id, ${now ?? kept} as key from ${lotSearch} where ${and(...read, isNotNull(kept), x === undefined ? undefined : upTo(direction, kept, x, kept))}`,
  };
}

/**
 * Lots still open, by a key on their lot row (`final`, their search row's final key, is null). Where matches are
 * sparse (or no bound is set), the keyword's index finds the open matches, and each match's key is read from its lot.
 * Where they are dense, the open lots within the bound are read through the order's index and each is tested by its
 * search row, in a subquery the planner cannot turn into a join: it cannot tell how few open lots are within the bound
 * (their closes are all ahead; a high price is rare), and would read every match of the keyword instead.
 */
function openOrder(key: PgColumn | SQL, direction: "asc" | "desc", final: PgColumn, keyAt: BoundedOrder["keyAt"]): BoundedOrder {
  return {
    direction,
    column: final,
    keyAt,
    candidates: (read, x, sparse, search) =>
      sparse || x === undefined
        ? sql`select ${lotSearch.lotId} as id, (select ${key} from ${lots} where ${lots.id} = ${lotSearch.lotId}) as key from ${lotSearch} where ${and(...read, isNull(final))}`
        : sql`select o.id, o.key from (select ${lots.id} as id, ${key} as key from ${lots} where ${and(openNow, upTo(direction, key, x, final), ...search.lotHints)} offset 0) o
            where (select true from ${lotSearch} where ${lotSearch.lotId} = o.id and ${and(...read)})`,
  };
}

// The final price's m-th key is counted within the search's price range: a page of lots under ¥1,000,000, dearest
// first, starts where they do.
const closedPrice = keptOrder(lotSearch.finalPriceFen, "desc", { keys: (search) => search.inPrice?.(lotSearch.finalPriceFen) });
// Open lots priced at x or more are found by the lots' price index (there is no bound on a bid); closed, by the final price.
const openPrice = openOrder(price, "desc", lotSearch.finalPriceFen, closedPrice.keyAt);
const BOUNDED_ORDERS: Partial<Record<SearchSort, BoundedOrder>> = {
  price_asc: keptOrder(lotSearch.startingPriceFen, "asc", { now: priceNow }),
  price_desc: { ...closedPrice, candidates: (...a) => sql`${closedPrice.candidates(...a)} union all ${openPrice.candidates(...a)}` },
  newest: keptOrder(lotSearch.publishedAt, "desc"),
  discount: keptOrder(lotSearch.startingRatioBp, "asc"),
};
/** The closing order's two parts: lots still open, closing soonest first, then those closed, latest first. */
const OPEN_CLOSING = openOrder(lots.closesAt, "asc", lotSearch.finalClosesAt, async (db, m) => (await db.select({ x: lots.closesAt }).from(lots).where(openNow).orderBy(asc(lots.closesAt)).offset(m - 1).limit(1))[0]?.x);
const CLOSED_LATEST = keptOrder(lotSearch.finalClosesAt, "desc");

/**
 * A deep page of a search that its search rows alone decide, in a bounded order, without reading every match or
 * walking the order's index past every lot before the page, most of them no match (ADR 024, amendments of 2026-12-07).
 * Returns the page and how many matches were found within the last bound (every match when the page is short).
 *
 * If at least `skip + take` matches have a key now at or before x, the first `skip + take` in the order all do, hence
 * had a kept key at or before x, and are among the candidates. x is the kept key of the m-th lot of the order. m is
 * first guessed from the share of the order's first lots that match, and grows until enough matches are at or before
 * x now (or passes every lot, and then no bound is set).
 *
 * Where matches are sparse (or no bound is set), the keyword's index is ANDed with the key's; where they are dense,
 * the rows up to x are read and tested (reading a common pair's index costs more than the test).
 */
async function boundedPage(db: Db, search: Conditions, order: BoundedOrder, skip: number, take: number) {
  const want = skip + take;
  const { direction, column } = order;
  const tested = search.onSearch.filter((c) => c !== search.grams);
  // The bound on the key now is applied to the candidates read, not offered to the planner, which would read the lots
  // first.
  const within = (sparse: boolean, x: unknown, skip: number, take: number) => countedPage(db, order.candidates(sparse ? search.onSearch : tested, x, sparse, search), x === undefined ? sql`true` : upTo(direction, sql`key`, x, column), direction, skip, take);
  const probed = await order.keyAt(db, PROBE_LOTS, search);
  let density = probed === undefined ? 1 : (await within(false, probed, 0, 0)).found / PROBE_LOTS;
  // The first guess is held to FIRST_GUESS_LOTS a lot wanted: a condition may be rare among the first lots only (lots
  // sold, among the newest), and a guess past every lot would read every match.
  for (let m = Math.ceil(Math.min((want * 1.5) / Math.max(density, 1 / PROBE_LOTS), want * FIRST_GUESS_LOTS)); ; ) {
    const bound = await order.keyAt(db, m, search);
    const page = await within(density < SPARSE_MATCHES || bound === undefined, bound, skip, take);
    if (bound === undefined || page.found >= want) return page;
    density = page.found / m;
    m = Math.ceil(m * Math.min(8, Math.max(1.5, (want * 1.5) / Math.max(page.found, 1))));
  }
}

/**
 * A page of the rows (id, key) that `rows` selects and `kept` keeps, in the order of their key, with how many were
 * kept: both in one statement (a page past the last row cannot say how many there were).
 */
async function countedPage(db: Db, rows: SQL, kept: SQL, direction: "asc" | "desc", skip: number, take: number) {
  const dir = sql.raw(direction);
  const found = await db.execute<{ id: string | null; found: number }>(sql`
    with m as materialized (${rows}), w as (select id, key from m where ${kept})
    select p.id, n.found from (select count(*)::int as found from w) n
    left join lateral (select id, key from w order by key ${dir}, id ${dir} offset ${skip} limit ${take}) p on true
    order by p.key ${dir}, p.id ${dir}`);
  return { ids: found.flatMap(({ id }) => (id ? [{ id }] : [])), found: found[0]!.found };
}

/** A deep page in the closing order of a search that its search rows alone decide: its open part, then its closed. */
async function closingDeepPage(db: Db, search: Conditions, parts: { open: boolean; closed: boolean }, skip: number, take: number) {
  const open = parts.open ? await boundedPage(db, search, OPEN_CLOSING, skip, take) : { ids: [], found: 0 };
  if (open.ids.length === take || !parts.closed) return open.ids;
  return [...open.ids, ...(await boundedPage(db, search, CLOSED_LATEST, Math.max(0, skip - open.found), take - open.ids.length)).ids];
}

/** How many lots of an order `walkedPage` tests at most before the matches are read instead. */
const WALK_LOTS = 2_000;

/**
 * A page near the start of a search with many matches, found by walking the order's index and testing each lot by
 * its search row, in a subquery the planner cannot turn into a join: it takes a pair's hash and the substring test as
 * independent, thinks matches are few, and would read them all first. The walk stops after WALK_LOTS lots (matches
 * may be rare in this part of the order, as a year's name among the lots still open): null when they held too few.
 */
async function walkedPage(db: Db, onSearch: SQL[], part: { extra: SQL[]; key: AnyColumn | SQL; direction: "asc" | "desc"; skip: number; take: number }) {
  const { extra, key, direction, skip, take } = part;
  const walked = db
    .select({ id: lots.id, key: sql`${key}`.as("key") })
    .from(lots)
    .where(and(ne(lots.status, "draft"), ...extra))
    .orderBy(...inOrder(key, lots.id, direction))
    .limit(WALK_LOTS)
    .as("walked");
  const page = await db
    .select({ id: walked.id })
    .from(walked)
    .where(sql`(select true from ${lotSearch} where ${lotSearch.lotId} = ${walked.id} and ${and(...onSearch)})`)
    .orderBy(...inOrder(walked.key, walked.id, direction))
    .offset(skip)
    .limit(take);
  return page.length === take ? page : null;
}

/** What a search result shows of a lot, in the order of `ids`. */
async function hits(db: Db, ids: string[], now: Date) {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ lot: lots, category: lotSearch.category, regionCode: lotSearch.regionCode, courtName: courts.name })
    .from(lots)
    .innerJoin(lotSearch, eq(lotSearch.lotId, lots.id))
    .innerJoin(courts, eq(courts.id, lots.courtId))
    .where(inArray(lots.id, ids));
  const byId = new Map(rows.map((r) => [r.lot.id, r]));
  return ids.map((id) => {
    const { lot, category, regionCode, courtName } = byId.get(id)!;
    return {
      id: lot.id,
      title: lot.title,
      category,
      place: placeName(regionCode),
      courtName,
      round: lot.round,
      phase: lotPhase(lot, now),
      startingPriceFen: lot.startingPriceFen,
      currentPriceFen: lot.currentPriceFen,
      referencePriceFen: lot.referencePriceFen,
      /** The starting price as a share of the reference price, in basis points (rounded up). */
      startingRatioBp: lot.startingRatioBp!,
      loanAvailable: lot.loanAvailable,
      housingEligibilityRequired: needsHousingEligibility(category),
      biddingStartsAt: lot.biddingStartsAt,
      closesAt: lot.closesAt,
      publishedAt: lot.publishedAt,
      bidCount: lot.bidCount,
    };
  });
}

export type SearchHit = Awaited<ReturnType<typeof hits>>[number];

type SearchedLot = { id: string; title: string; courtId: string; round: LotRound; status: LotStatus; loanAvailable: boolean; startingPriceFen: bigint; publishedAt: Date | null; startingRatioBp: number | null };

/** A lot's search row: its asset's category and place, its fixed facts and its searchable text (written at publication). */
export function lotSearchRow(lot: SearchedLot, asset: { category: AssetCategory; regionCode: string; description: string }) {
  const document = searchDocument({ title: lot.title, place: placeName(asset.regionCode), description: asset.description });
  // The status (and the final keys) are the lot's, which the trigger `lot_search_final` also takes from the lot row.
  const { id, courtId, round, status, loanAvailable, startingPriceFen } = lot;
  // A published lot has both (set at publication; the ratio is generated from the reference price then fixed).
  const fixed = { publishedAt: lot.publishedAt!, startingRatioBp: lot.startingRatioBp! };
  return { lotId: id, courtId, round, status, loanAvailable, startingPriceFen, ...fixed, category: asset.category, regionCode: asset.regionCode, document, gramHashes: searchGramHashes(document) };
}

export async function writeLotSearch(tx: DbOrTx, lot: SearchedLot & { assetId: string }) {
  const [asset] = await tx.select({ category: assets.category, regionCode: assets.regionCode, description: assets.description }).from(assets).where(eq(assets.id, lot.assetId));
  await tx.insert(lotSearch).values(lotSearchRow(lot, asset!)).onConflictDoNothing();
}

/**
 * Published lots without a search row (made before search existed, or emptied by a migration) get theirs: run at
 * start, a few hundred at a time, until none lacks one. Returns how many were written.
 */
export async function indexLotsForSearch(db: Db): Promise<number> {
  let written = 0;
  for (;;) {
    const missing = await db
      .select({ id: lots.id, title: lots.title, courtId: lots.courtId, round: lots.round, status: lots.status, loanAvailable: lots.loanAvailable, startingPriceFen: lots.startingPriceFen, publishedAt: lots.publishedAt, startingRatioBp: lots.startingRatioBp, category: assets.category, regionCode: assets.regionCode, description: assets.description })
      .from(lots)
      .innerJoin(assets, eq(assets.id, lots.assetId))
      .leftJoin(lotSearch, eq(lotSearch.lotId, lots.id))
      .where(and(isNull(lotSearch.lotId), ne(lots.status, "draft")))
      .limit(500);
    if (missing.length === 0) return written;
    await db
      .insert(lotSearch)
      .values(missing.map((m) => lotSearchRow(m, m)))
      .onConflictDoNothing();
    written += missing.length;
  }
}
