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
/** Published lots, told apart by the clock (auction/lot-phase.ts). */
const CLOCK_PHASES: string[] = ["announced", "bidding", "ended"];
/** A lot in one of these has left bidding (unless reopened): its search row keeps its final close and price. */
const FINAL_STATUSES: string[] = LOT_STATUSES.filter((s) => s !== "draft" && !(OPEN_STATUSES as readonly string[]).includes(s));
/** Which parts of the closing order (lots still open, lots closed) can hold a search's lots: one, for a phase. */
const closingParts = (phase: string | undefined) => ({ open: !phase || !FINAL_STATUSES.includes(phase), closed: !phase || FINAL_STATUSES.includes(phase) });
const openNow = inArray(lots.status, [...OPEN_STATUSES]);
/** A part of an order (the lots still open, or those closed), said of the lot row and of the search row. */
interface Part {
  lots: SQL[];
  search: SQL[];
}
const OPEN_PART: Part = { lots: [openNow], search: [inArray(lotSearch.status, [...OPEN_STATUSES])] };
const CLOSED_PART: Part = { lots: [inArray(lots.status, FINAL_STATUSES as LotStatus[])], search: [inArray(lotSearch.status, FINAL_STATUSES as LotStatus[])] };
const ANY_PART: Part = { lots: [], search: [] };
/** A part of an order, and the key it is read in (on the lot row). */
interface OrderPart {
  part: Part;
  key: AnyColumn | SQL;
  direction: "asc" | "desc";
  /** The key as the search row keeps it, where it is the key of every lot of the part (a closed lot's close). */
  kept?: PgColumn;
  /** The key as the search row keeps it for every lot (newest, discount: fixed at publication). */
  onRow?: PgColumn;
  /** The part's order through bounds (`boundedPage`), for a search with more matches than a walk finds. */
  bounded?: BoundedOrder;
}
const HOUSING_CATEGORIES = ASSET_CATEGORIES.filter((c) => needsHousingEligibility(c));
const price = sql`coalesce(${lots.currentPriceFen}, ${lots.startingPriceFen})`;
/** The keys of the orders other than closing, on the lot row. */
const ORDER_KEYS: Record<Exclude<SearchSort, "closing">, Omit<OrderPart, "part">> = {
  newest: { key: lots.publishedAt, onRow: lotSearch.publishedAt, direction: "desc" },
  price_asc: { key: price, direction: "asc" },
  price_desc: { key: price, direction: "desc" },
  discount: { key: lots.startingRatioBp, onRow: lotSearch.startingRatioBp, direction: "asc" },
};

/** A search's conditions on the search row, and the keyword's index condition among them. */
interface Conditions {
  onSearch: SQL[];
  /**
   * The stored status the search asks for (published, for announced, in bidding and ended), if any: lots of a status
   * are not spread evenly through an order (the newest are open, the dearest by their final price closed), so an
   * order's m-th key is counted among the lots of that status (`keptOrder`, `openKeyAt`).
   */
  stored: LotStatus | null;
  /** Conditions on the search row said again of the lot row, for joins and walks of the lots. */
  lotHints: SQL[];
  grams: SQL | null;
  /** The price range, as a condition on a price (none without one). */
  inPrice: ((key: SQL | PgColumn) => SQL) | null;
  /**
   * Every condition is said of the lot row too (`lotHints`: a phase, a price, a discount), so that an open lot
   * meeting them matches without its search row being read: a lot of an open status is published, and has one.
   */
  lotAlone: boolean;
}

/**
 * A search's conditions, all on the search row (which a lot has once published, so it stands for "not a draft"): a
 * search is counted on the search rows alone. What the row does not keep (an open lot's price and close) is read
 * from the lot by a subquery, for the few rows the other conditions leave.
 */
function conditions(search: z.output<typeof lotSearchSchema>, prefixes: string[] | null, now: Date): Conditions {
  const onSearch: SQL[] = [];
  let stored: LotStatus | null = null;
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
  if (search.maxRatio !== undefined) {
    onSearch.push(lte(lotSearch.startingRatioBp, search.maxRatio * 100));
    lotHints.push(lte(lots.startingRatioBp, search.maxRatio * 100));
  }
  if (search.loan) onSearch.push(eq(lotSearch.loanAvailable, true));
  // What only the lot row says, tested by the lot's id for each search row the other conditions leave.
  const onLot: SQL[] = [];
  if (search.phase) {
    // The search row keeps the lot's status and start of bidding. Announced, in bidding and ended are published lots
    // told apart by the clock: by the start, then by the close, which late bids move and so is read from the lot,
    // only for the lots whose bidding has started (a tenth of those open).
    stored = (CLOCK_PHASES.includes(search.phase) ? "published" : search.phase) as LotStatus;
    onSearch.unshift(eq(lotSearch.status, stored));
    // The same, said of the lot, for the planner of a join of the two: so that it may walk the lots by them.
    lotHints.push(eq(lots.status, stored));
    if (search.phase === "announced") {
      onSearch.push(gt(lotSearch.biddingStartsAt, now));
      lotHints.push(gt(lots.biddingStartsAt, now));
    } else if (search.phase === "bidding" || search.phase === "ended") {
      const closes = search.phase === "ended" ? lte(lots.closesAt, now) : gt(lots.closesAt, now);
      onSearch.push(lte(lotSearch.biddingStartsAt, now));
      // An ended lot's close as last set is past too (its close now is never before it): few lots are read by id then.
      if (search.phase === "ended") onSearch.push(lte(lotSearch.closesFrom, now));
      onLot.push(closes);
      lotHints.push(lte(lots.biddingStartsAt, now), closes);
    }
  }
  if (search.minPriceFen !== undefined || search.maxPriceFen !== undefined) {
    const inRange = (key: SQL | PgColumn) => and(search.minPriceFen === undefined ? undefined : sql`${key} >= ${search.minPriceFen}`, search.maxPriceFen === undefined ? undefined : sql`${key} <= ${search.maxPriceFen}`)!;
    const parts = closingParts(search.phase);
    // Where each lot is read by its id already (in bidding, ended), its price is tested there.
    if (!parts.closed && onLot.length > 0) onLot.push(inRange(price));
    else onSearch.push(priceCondition(inRange, parts));
    lotHints.push(inRange(price));
    inPrice = inRange;
  }
  if (onLot.length > 0) onSearch.push(sql`(select ${and(...onLot)} from ${lots} where ${lots.id} = ${lotSearch.lotId})`);
  const lotAlone = !grams && !search.category && !search.housing && !prefixes && !search.region && !search.court && !search.round && !search.loan;
  return { onSearch, stored, lotHints, grams, inPrice, lotAlone };
}

/**
 * A price range on the search row. A closed lot's price is its search row's final price; an open lot's is on its lot
 * (about a seventh): the open lots within the range are read once from their own index (`lots_open_price_idx`), not
 * each by its id. A phase lies in one part: said of both, the price's "or" leads the planner to read every lot of the
 * status rather than those the phase's own index finds.
 */
function priceCondition(inRange: (key: SQL | PgColumn) => SQL, { open, closed }: { open: boolean; closed: boolean }): SQL {
  const final = inRange(lotSearch.finalPriceFen);
  if (!open) return final;
  const openInRange = sql`${lotSearch.lotId} in (select ${lots.id} from ${lots} where ${and(openNow, inRange(price))})`;
  return closed ? or(final, and(isNull(lotSearch.finalPriceFen), openInRange))! : openInRange;
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
  const { onSearch } = cond;
  // The lot orders' indexes are partial (drafts left out): the condition lets the planner use them.
  const where = [...onSearch, ne(lots.status, "draft"), ...cond.lotHints];
  const offset = (search.page - 1) * search.pageSize;
  const size = search.pageSize;
  // The narrow search rows alone are counted, without a join per match.
  const count = async (extra: SQL[]) => {
    const inner = db.select({ one: sql`1` }).from(lotSearch).where(and(...onSearch, ...extra)).limit(SEARCH_COUNT_CAP + 1);
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner.as("found"));
    return row!.n;
  };
  const conditioned = onSearch.length > 0;
  const parts = closingParts(search.phase);
  // The closing order is in two parts, each read from its own index: lots still to close, soonest first; then those
  // closed, latest first. A part is counted apart only for a page that runs past it.
  const orderParts: OrderPart[] =
    search.sort === "closing"
      ? [...(parts.open ? [{ part: OPEN_PART, key: lots.closesAt, direction: "asc" as const, bounded: openClosing(cond) }] : []), ...(parts.closed ? [{ part: CLOSED_PART, key: lots.closesAt, kept: lotSearch.finalClosesAt, direction: "desc" as const }] : [])]
      : [{ part: ANY_PART, ...ORDER_KEYS[search.sort], bounded: boundedOrder(search.sort, parts, search.minPriceFen !== undefined) }];
  // A search with conditions reads its matches first, up to the cap, and counts them; when they are at most the cap,
  // the page is ordered from them (`matchedPage`): walking an order's index for a rare place or word would pass over
  // most lots. Otherwise matches are dense: a page near the start is found by walking the order's index
  // (`walkedPage`), a deep one (or a near one the walk cannot find) through the keys the search rows keep
  // (`boundedPage`, `closingDeepPage`).
  let counted: number | null = null;
  let firstPage: { id: string }[] | null = null;
  if (conditioned) {
    const bounded = offset >= DEEP_PAGE_OFFSET ? deepPage(db, cond, search.sort, parts, search.minPriceFen !== undefined, offset, size) : null;
    const matched = await matchedPage(db, cond, orderParts[0]!, offset, size);
    counted = matched.found;
    if (counted <= SEARCH_COUNT_CAP) {
      if (bounded) bounded.race.won = true;
      firstPage = matched.ids;
    } else if (bounded) return searchPage(db, search, counted, await bounded.page, now);
  }
  const read = async (orderPart: OrderPart, skip: number, take: number) => {
    const { part, key, direction, kept, onRow, bounded } = orderPart;
    if (counted !== null && counted <= SEARCH_COUNT_CAP) return (await matchedPage(db, cond, orderPart, skip, take)).ids;
    // Where the search row keeps the key, the page is read from the search rows alone, each tested where it is read:
    // walking the lots would look up each lot's search row (2,000 of them for Zhejiang's sold lots, page 5).
    if (conditioned && kept) return db.select({ id: lotSearch.lotId }).from(lotSearch).where(and(...onSearch, isNotNull(kept))).orderBy(...inOrder(kept, lotSearch.lotId, direction)).offset(skip).limit(take);
    if (conditioned && skip < DEEP_PAGE_OFFSET) {
      const page = cond.stored && onRow ? await walkedRows(db, cond.onSearch, cond.stored, { key: onRow, direction, skip, take }) : await walkedPage(db, onSearch, { extra: [...part.lots, ...cond.lotHints], key, direction, skip, take });
      if (page) return page;
    }
    // Matches too sparse among the first lots for a walk (Hangzhou's, cheapest first) are read through the bounds.
    if (conditioned && bounded) return (await boundedPage(db, cond, bounded, skip, take, { won: false })).ids;
    return db
      .select({ id: lots.id })
      .from(lots)
      .innerJoin(lotSearch, eq(lotSearch.lotId, lots.id))
      .where(and(...where, ...part.lots))
      .orderBy(...inOrder(key, lots.id, direction))
      .offset(skip)
      .limit(take);
  };
  const collect = async () => {
    const found: { id: string }[] = [];
    let skip = offset;
    for (const [i, orderPart] of orderParts.entries()) {
      const page = i === 0 && firstPage ? firstPage : await read(orderPart, skip, size - found.length);
      found.push(...page);
      if (found.length === size || i === orderParts.length - 1) break;
      skip = Math.max(0, skip - (page.length > 0 ? skip + page.length : await count(orderPart.part.search)));
    }
    return found;
  };
  // Awaited together, so that a failure of either (the database gone) is the search's, never an unhandled rejection.
  const [found, total] = await Promise.all([collect(), counted ?? count([])]);
  return searchPage(db, search, total, found, now);
}

/**
 * A deep page read through the bounds alone, as for a search with more matches than the cap, whatever its count: for
 * the tests, whose few thousand lots leave most searches at most the cap, answered by `matchedPage`.
 */
export async function boundedSearchPage(db: Db, clock: Clock, input: Record<string, unknown>): Promise<string[]> {
  const search = parseOrThrow(lotSearchSchema, input);
  const cond = conditions(search, placePrefixes(search), clock.now());
  const offset = (search.page - 1) * search.pageSize;
  const { page } = deepPage(db, cond, search.sort, closingParts(search.phase), search.minPriceFen !== undefined, offset, search.pageSize);
  return (await page).map((lot) => lot.id);
}

/**
 * A deep page of a search with conditions, read through the keys its search rows keep: started at once beside
 * `matchedPage`, whose answer is used instead when the matches are at most the cap (the race is then won, and this
 * stops before its next statement). Reading every match costs least when they are few; the bounds, when many.
 */
function deepPage(db: Db, cond: Conditions, sort: SearchSort, parts: { open: boolean; closed: boolean }, fromPrice: boolean, offset: number, size: number) {
  const race: Race = { won: false };
  const order = boundedOrder(sort, parts, fromPrice);
  const page = order ? boundedPage(db, cond, order, offset, size, race).then((p) => p.ids) : closingDeepPage(db, cond, parts, offset, size, race);
  // Its answer may go unused, and so may its failure.
  page.catch(() => {});
  return { race, page };
}

/** The page of results, the count capped. */
async function searchPage(db: Db, search: z.output<typeof lotSearchSchema>, count: number, found: { id: string }[], now: Date): Promise<SearchPage> {
  const total = Math.min(count, SEARCH_COUNT_CAP);
  const maxPages = Math.floor(SEARCH_MAX_OFFSET / search.pageSize);
  const pages = Math.max(1, Math.min(maxPages, Math.ceil(total / search.pageSize)));
  return { lots: await hits(db, found.map((f) => f.id), now), total, totalCapped: count > SEARCH_COUNT_CAP, page: search.page, pageSize: search.pageSize, pages };
}

/** From this many lots in, a page is read by `boundedPage` rather than by walking an order's index. */
const DEEP_PAGE_OFFSET = 200;
/** How many of the first lots of an order `boundedPage` tests to learn how densely a search matches among them. */
const PROBE_LOTS = 400;
/**
 * `boundedPage`'s first bound is at most this many lots of the order for each lot the page needs. Only a sparse
 * search meets it (a dense one guesses at most 5 lots a match), and its rounds read the keyword's index ANDed with the
 * key's, where a larger first read costs less than a second round: 小区 (one lot in twenty), dearest first, page 50,
 * took two rounds at 16 (44–55 ms) and takes one at 32 (29–31 ms).
 */
const FIRST_GUESS_LOTS = 32;
/**
 * `boundedPage`'s first bound, for a sparse search without a keyword, is at most this many lots. A condition rare among
 * an order's first lots is often commoner further on (second-round lots: 5% of the 400 dearest, a quarter of all), so
 * a guess from the first lots overshoots, and without a keyword a second round costs little beyond its rows (small
 * b-tree indexes, no keyword's bitmap). Lots under a 70% discount, dearest first, page 50: the guess of 32,000 lots
 * read 9,100 matches for 1,000 (12,088 pages); two rounds from 6,400 read 5,053 pages.
 */
const SPARSE_FIRST_GUESS = PROBE_LOTS * 16;
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
   * `read` holds the keyword's index condition, matches being few. `after`, a bound read before, may leave out the
   * lots at or before it (counted already, `boundedPage`) where the kept key is the key now: a narrower read only,
   * since `boundedPage` leaves them out of what it counts and pages anyway.
   */
  candidates: (read: SQL[], x: unknown, sparse: boolean, search: Conditions, after?: unknown) => SQL;
  /** Whether, matches being sparse, `candidates` are every match whatever the bound (then none is worth reading). */
  unboundedWhenSparse?: (search: Conditions) => boolean;
}

const priceNow = sql`(select ${price} from ${lots} where ${lots.id} = ${lotSearch.lotId})`;
const upTo = (direction: "asc" | "desc", key: AnyColumn | SQL, x: unknown, column: PgColumn) => (direction === "asc" ? sql`${key} <= ${sql.param(x, column)}` : sql`${key} >= ${sql.param(x, column)}`);
/** Past x in the order: the keys `upTo` leaves out (none without x). */
const pastKey = (direction: "asc" | "desc", key: AnyColumn | SQL, x: unknown, column: PgColumn) => (x === undefined ? undefined : direction === "asc" ? sql`${key} > ${sql.param(x, column)}` : sql`${key} < ${sql.param(x, column)}`);
const ordered = (key: PgColumn | SQL, direction: "asc" | "desc") => (direction === "asc" ? asc(key) : desc(key));

/**
 * An order through a key its search row keeps (null, for a final key, while the lot is open: those are left out).
 * `now` is the key now, where it may have moved past the kept one; `keys` limits the keys the m-th is counted among.
 */
function keptOrder(kept: PgColumn, direction: "asc" | "desc", { now, keys }: { now?: SQL; keys?: (search: Conditions) => SQL | undefined } = {}): BoundedOrder {
  return {
    direction,
    column: kept,
    keyAt: async (db, m, search) => (await db.select({ x: kept }).from(lotSearch).where(and(isNotNull(kept), search.stored ? eq(lotSearch.status, search.stored) : undefined, keys?.(search))).orderBy(ordered(kept, direction)).offset(m - 1).limit(1))[0]?.x,
    candidates: (read, x, _sparse, _search, after) =>
      sql`select ${lotSearch.lotId} as id, ${now ?? kept} as key from ${lotSearch} where ${and(...read, isNotNull(kept), x === undefined ? undefined : upTo(direction, kept, x, kept), now ? undefined : pastKey(direction, kept, after, kept))}`,
  };
}

/**
 * Lots still open, by a key on their lot row (`final`, their search row's final key, is null). Where matches are
 * sparse (or no bound is set), the keyword's index finds the open matches, joined with every open lot's key read at
 * once, fenced so that the planner hashes them: looked up lot by lot, 商铺's 2,100 open matches read 8,400 pages.
 * Where they are dense, the open lots within the bound are read through the order's index and each is tested by its
 * search row, in a subquery the planner cannot turn into a join: it cannot tell how few open lots are within the bound
 * (their closes are all ahead; a high price is rare), and would read every match of the keyword instead. Without a
 * keyword, a price range bounds the open lots better than any index of the search rows (which would read each open
 * lot's search row), so their own indexes are read then too. Where the lot rows alone decide the search (`lotAlone`),
 * they are read alone, bound or none: joined with the search rows, lots announced from ¥100k to ¥1m, closing soonest,
 * page 50, read the 12,300 announced lots' search rows for the 3,900 open lots in the range (48 ms, against 26).
 */
function openOrder(key: PgColumn | SQL, direction: "asc" | "desc", final: PgColumn, keyAt: BoundedOrder["keyAt"]): BoundedOrder {
  const unboundedWhenSparse = (search: Conditions) => !(search.inPrice && !search.grams);
  return {
    direction,
    column: final,
    keyAt,
    unboundedWhenSparse,
    candidates: (read, x, sparse, search, after) =>
      !search.lotAlone && (x === undefined || (sparse && unboundedWhenSparse(search)))
        ? sql`select s.id, o.key from (select ${lotSearch.lotId} as id from ${lotSearch} where ${and(...read, isNull(final))} offset 0) s
            join (select ${lots.id} as id, ${key} as key from ${lots} where ${openOf(search)} offset 0) o on o.id = s.id`
        : sql`select o.id, o.key from (select ${lots.id} as id, ${key} as key from ${lots} where ${and(openOf(search), x === undefined ? undefined : upTo(direction, key, x, final), pastKey(direction, key, after, final), ...search.lotHints)} offset 0) o
            where ${search.lotAlone ? sql`true` : sql`(select true from ${lotSearch} where ${lotSearch.lotId} = o.id and ${and(...read)})`}`,
  };
}

/** Open lots: of the status asked for, if any (said once, or the planner takes the two as independent). */
const openOf = (search: Conditions) => (search.stored ? eq(lots.status, search.stored) : openNow);

/**
 * The key now of the m-th open lot (of the status asked for, if any), through the lots' own indexes; `keys` limits the
 * keys it is counted among.
 */
function openKeyAt(key: PgColumn | SQL, direction: "asc" | "desc", keys?: (search: Conditions) => SQL | undefined): BoundedOrder["keyAt"] {
  return async (db, m, search) => (await db.select({ x: key }).from(lots).where(and(openOf(search), keys?.(search))).orderBy(ordered(key, direction)).offset(m - 1).limit(1))[0]?.x;
}

/**
 * The price orders through the final price of closed lots and the price now of open ones, each part's m-th key
 * counted within the search's price range (a page of lots under ¥1,000,000, dearest first, starts where they do).
 * Open lots within a bound are found by the lots' price index (there is no bound on a bid). A search of open lots alone
 * takes its bound from their prices now; of closed lots alone, from their final prices; of both, from the closed
 * lots', the open lots being few.
 */
function priceOrders(direction: "asc" | "desc") {
  const closed = keptOrder(lotSearch.finalPriceFen, direction, { keys: (search) => search.inPrice?.(lotSearch.finalPriceFen) });
  const open = openOrder(price, direction, lotSearch.finalPriceFen, closed.keyAt);
  const both: BoundedOrder = { ...closed, candidates: (...a) => sql`${closed.candidates(...a)} union all ${open.candidates(...a)}` };
  const openAlone = openOrder(price, direction, lotSearch.finalPriceFen, openKeyAt(price, direction, (search) => search.inPrice?.(price)));
  return (parts: { open: boolean; closed: boolean }) => (!parts.closed ? openAlone : !parts.open ? closed : both);
}
const PRICE_DESC = priceOrders("desc");
// Cheapest first from a minimum price: the starting prices bound nothing there (a lot that started below the minimum
// may be bid past it), but the final and present prices do. So for closed lots alone, whose final price is exact.
const PRICE_ASC_BY_PRICE = priceOrders("asc");
const BOUNDED_ORDERS: Partial<Record<SearchSort, BoundedOrder>> = {
  price_asc: keptOrder(lotSearch.startingPriceFen, "asc", { now: priceNow }),
  newest: keptOrder(lotSearch.publishedAt, "desc"),
  discount: keptOrder(lotSearch.startingRatioBp, "asc"),
};
/** The bounded order a deep page is read in: by price, only the parts (open, closed) that can hold its lots. */
function boundedOrder(sort: SearchSort, parts: { open: boolean; closed: boolean }, fromPrice: boolean) {
  if (sort === "price_desc") return PRICE_DESC(parts);
  return sort === "price_asc" && (fromPrice || !parts.open) ? PRICE_ASC_BY_PRICE(parts) : BOUNDED_ORDERS[sort];
}
/**
 * The closing order's two parts: lots still open, closing soonest first, then those closed, latest first. The open
 * lots are read through the close their search row keeps, which their close now is never before; or, where their lot
 * rows alone decide the search, through the lots' own close index.
 */
const OPEN_CLOSING: BoundedOrder = {
  ...keptOrder(lotSearch.closesFrom, "asc", { now: sql`(select ${lots.closesAt} from ${lots} where ${lots.id} = ${lotSearch.lotId})` }),
  // Any bound will do; the m-th close now is read from the lots' own index of the open lots, past the last one too.
  keyAt: openKeyAt(lots.closesAt, "asc"),
};
const OPEN_CLOSING_BY_LOT = openOrder(lots.closesAt, "asc", lotSearch.finalClosesAt, openKeyAt(lots.closesAt, "asc"));
const openClosing = (search: Conditions) => (search.lotAlone ? OPEN_CLOSING_BY_LOT : OPEN_CLOSING);
const CLOSED_LATEST = keptOrder(lotSearch.finalClosesAt, "desc");

/** Set once another reading has answered: a bounded page then stops before its next statement, its answer unused. */
interface Race {
  won: boolean;
}

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
async function boundedPage(db: Db, search: Conditions, order: BoundedOrder, skip: number, take: number, race: Race) {
  const want = skip + take;
  const { direction, column } = order;
  const tested = search.onSearch.filter((c) => c !== search.grams);
  // The last bound read and how many matches are at or before it (all of them: no lot's key now is before its kept
  // key). A page past those is read from the matches past that bound alone, and where the kept key is the key now
  // only the candidates past it are read (`after`): a second round does not read the first's rows again.
  let read: { x: unknown; found: number } | null = null;
  const within = async (sparse: boolean, x: unknown, take: number) => {
    const after = read && skip >= read.found ? read : null;
    const rows = order.candidates(sparse ? search.onSearch : tested, x, sparse, search, after?.x);
    // The bound on the key now is applied to the candidates read, not offered to the planner, which would read the
    // lots first.
    const kept = and(x === undefined ? undefined : upTo(direction, sql`key`, x, column), after ? pastKey(direction, sql`key`, after.x, column) : undefined) ?? sql`true`;
    const page = await countedPage(db, rows, kept, direction, skip - (after?.found ?? 0), take);
    return { ids: page.ids, found: page.found + (after?.found ?? 0) };
  };
  const probed = await order.keyAt(db, PROBE_LOTS, search);
  if (probed !== undefined && !race.won) read = { x: probed, found: (await within(false, probed, 0)).found };
  let density = read ? read.found / PROBE_LOTS : 1;
  // The first guess is held to FIRST_GUESS_LOTS a lot wanted: a condition may be rare among the first lots only (lots
  // sold, among the newest), and a guess past every lot would read every match. Sparse without a keyword, it is held
  // to SPARSE_FIRST_GUESS lots too. It is never short of the probe's lots: a round counts on its bound being at or
  // past the last one read (a page of 5 lots guessed 160 lots, and took the probe's count as that of the 160th's key).
  const firstCap = Math.min(want * FIRST_GUESS_LOTS, search.grams || density >= SPARSE_MATCHES ? Infinity : SPARSE_FIRST_GUESS);
  for (let m = Math.max(PROBE_LOTS, Math.ceil(Math.min((want * 1.5) / Math.max(density, 1 / PROBE_LOTS), firstCap))); ; ) {
    if (race.won) return { ids: [], found: 0 };
    const sparse = density < SPARSE_MATCHES;
    // Every match is read then, and the page is exact without a bound: the m-th key (9 ms for the 10,000th open lot
    // by price) would be read for nothing.
    const bound = sparse && order.unboundedWhenSparse?.(search) ? undefined : await order.keyAt(db, m, search);
    // Many lots may share a key (a discount of 50%): the m-th's may be the bound read last, which found too few.
    const again = read && read.found < want && bound !== undefined && sameKey(bound, read.x) ? read : null;
    const page = again ? { ids: [], found: again.found } : await within(sparse || bound === undefined, bound, take);
    if (bound === undefined || page.found >= want) return page;
    read = { x: bound, found: page.found };
    density = page.found / m;
    m = Math.ceil(m * Math.min(8, Math.max(1.5, (want * 1.5) / Math.max(page.found, 1))));
  }
}

/** Whether two keys as read are the same (a time is read as a Date, or as text). */
const sameKey = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

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
async function closingDeepPage(db: Db, search: Conditions, parts: { open: boolean; closed: boolean }, skip: number, take: number, race: Race) {
  const open = parts.open ? await boundedPage(db, search, openClosing(search), skip, take, race) : { ids: [], found: 0 };
  if (open.ids.length === take || !parts.closed) return open.ids;
  return [...open.ids, ...(await boundedPage(db, search, CLOSED_LATEST, Math.max(0, skip - open.found), take - open.ids.length, race)).ids];
}

/**
 * A search's matches, counted up to SEARCH_COUNT_CAP + 1 and, when they are at most the cap, the page of those in
 * `part`, each with its key (from the search row where it keeps it, else from the lot), in one statement. Offered a
 * join of the matches with the lots instead, the planner may walk the order's index and test each lot against every
 * match (1.4 s for the 1,400 lots in bidding, newest first).
 *
 * Without a keyword the count reads no column of the rows, so that an index alone may answer it (a category's first
 * 2,001 lots: 0.5 ms, against 5 ms for reading their ids), and the page reads the matches again, gated by the count:
 * many matches are never read twice. With a keyword each match's row is read for its substring test anyway, so the
 * matches are read once, and counted and paged from there (住宅 among announced lots from a price: 44 ms → 24 ms).
 */
async function matchedPage(db: Db, { onSearch, stored, grams }: Conditions, { part, key, direction, kept, onRow }: OrderPart, skip: number, take: number) {
  // A search of one status lies in one part already; said again, the planner takes the two as independent and reads
  // every lot of the part (in bidding: the 14,000 open lots, for 1,400).
  const inPart = stored ? [] : part.search;
  const rowKey = kept ?? onRow;
  const page = { dir: sql.raw(direction), skip, take, keyOf: (id: SQL | PgColumn) => (rowKey ? sql`${rowKey}` : sql`(select ${key} from ${lots} where ${lots.id} = ${id})`) };
  const rows = await db.execute<{ id: string | null; found: number }>(grams ? matchedOnce(onSearch, inPart, rowKey, page) : matchedTwice(onSearch, inPart, page));
  return { found: rows[0]!.found, ids: rows.flatMap(({ id }) => (id ? [{ id }] : [])) };
}

interface MatchedPage {
  dir: SQL;
  skip: number;
  take: number;
  /** A match's key, on its search row or read from its lot by its id. */
  keyOf: (id: SQL | PgColumn) => SQL;
}

/**
 * The count reads no column; the page reads the matches again, only when the count allows (a one-time filter): at
 * most the cap, and more than the page skips (a page past the last match reads nothing). The matches are read whole
 * (`offset 0`), at most the cap of them, and then ordered: offered their order, the planner may walk the order's
 * index through every lot for a few matches (a district's 20 lots, newest first: 100,000 rows, 75 ms, against 3 ms).
 */
function matchedTwice(onSearch: SQL[], inPart: SQL[], { dir, skip, take, keyOf }: MatchedPage) {
  return sql`
    select p.id, n.found from (select count(*)::int as found from (select 1 from ${lotSearch} where ${and(...onSearch)} limit ${SEARCH_COUNT_CAP + 1}) c) n
    left join lateral (
      select k.id, k.key from (select ${lotSearch.lotId} as id, ${keyOf(lotSearch.lotId)} as key from ${lotSearch}
        where ${and(...onSearch, ...inPart, sql`n.found <= ${SEARCH_COUNT_CAP} and n.found > ${skip}`)} offset 0) k
      order by k.key ${dir}, k.id ${dir} offset ${skip} limit ${take}) p on true
    order by p.key ${dir}, p.id ${dir}`;
}

/** The matches read once, with whether each is in the part and its key where the row keeps it; counted and paged. */
function matchedOnce(onSearch: SQL[], inPart: SQL[], rowKey: PgColumn | undefined, { dir, skip, take, keyOf }: MatchedPage) {
  return sql`
    with m as materialized (select ${lotSearch.lotId} as id, ${and(sql`true`, ...inPart)} as in_part, ${rowKey ?? sql`null`} as key
      from ${lotSearch} where ${and(...onSearch)} limit ${SEARCH_COUNT_CAP + 1})
    select p.id, n.found from (select count(*)::int as found from m) n
    left join lateral (
      select k.id, k.key from (select m.id, ${rowKey ? sql`m.key` : keyOf(sql`m.id`)} as key from m where m.in_part and n.found <= ${SEARCH_COUNT_CAP} and n.found > ${skip}) k
      order by k.key ${dir}, k.id ${dir} offset ${skip} limit ${take}) p on true
    order by p.key ${dir}, p.id ${dir}`;
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

/**
 * `walkedPage` for a search of one stored status in an order its search rows keep (newest, discount): the search rows
 * of that status are walked by their own (status, key) index, each tested as it is read. The lots' order indexes hold
 * every status: a walk of them for lots failed, newest first, passed 16,000 lots still open before the first.
 */
async function walkedRows(db: Db, onSearch: SQL[], stored: LotStatus, part: { key: PgColumn; direction: "asc" | "desc"; skip: number; take: number }) {
  const { key, skip, take } = part;
  const dir = sql.raw(part.direction);
  const page = await db.execute<{ id: string }>(sql`
    select w.id from (select ${lotSearch.lotId} as id, ${key} as key, ${and(...onSearch)} as ok from ${lotSearch}
      where ${eq(lotSearch.status, stored)} order by ${key} ${dir}, ${lotSearch.lotId} ${dir} limit ${WALK_LOTS}) w
    where w.ok order by w.key ${dir}, w.id ${dir} offset ${skip} limit ${take}`);
  return page.length === take ? page.map(({ id }) => ({ id })) : null;
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

type SearchedLot = { id: string; title: string; courtId: string; round: LotRound; status: LotStatus; biddingStartsAt: Date; loanAvailable: boolean; startingPriceFen: bigint; publishedAt: Date | null; startingRatioBp: number | null };

/** A lot's search row: its asset's category and place, its fixed facts and its searchable text (written at publication). */
export function lotSearchRow(lot: SearchedLot, asset: { category: AssetCategory; regionCode: string; description: string }) {
  const document = searchDocument({ title: lot.title, place: placeName(asset.regionCode), description: asset.description });
  // The status, the start (and the final keys) are the lot's, which the trigger `lot_search_final` also takes from the
  // lot row.
  const { id, courtId, round, status, biddingStartsAt, loanAvailable, startingPriceFen } = lot;
  // A published lot has both (set at publication; the ratio is generated from the reference price then fixed).
  const fixed = { publishedAt: lot.publishedAt!, startingRatioBp: lot.startingRatioBp! };
  return { lotId: id, courtId, round, status, biddingStartsAt, loanAvailable, startingPriceFen, ...fixed, category: asset.category, regionCode: asset.regionCode, document, gramHashes: searchGramHashes(document) };
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
      .select({ id: lots.id, title: lots.title, courtId: lots.courtId, round: lots.round, status: lots.status, biddingStartsAt: lots.biddingStartsAt, loanAvailable: lots.loanAvailable, startingPriceFen: lots.startingPriceFen, publishedAt: lots.publishedAt, startingRatioBp: lots.startingRatioBp, category: assets.category, regionCode: assets.regionCode, description: assets.description })
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
