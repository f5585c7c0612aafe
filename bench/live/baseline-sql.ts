/**
 * R1's baseline: the statements placeBid (auction/bidding.ts) runs for one bid, sent directly with
 * postgres.js — no Express, Socket.IO, session lookup, zod or drizzle — at a given concurrency.
 *
 * The statement texts are the ones drizzle generates for placeBid (checked at start-up against a real
 * placeBid call by `checkFaithful`). One transaction per bid: lot row lock, registration (joined with
 * bidder_profiles), replay check, leader lookup, the rules' refusals, insert bid, update lot, and the
 * audit append (global advisory lock, last event, insert with the hash chain).
 */
import type postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../../db/schema/index.ts";
import { canonicalJson, GENESIS_HASH, hashEvent } from "../../core/audit.ts";
import type { Clock } from "../../core/clock.ts";
import { placeBid } from "../../auction/index.ts";
import type { BenchBidder } from "./setup.ts";

const AUDIT_LOCK_KEY = 4242002;
const EXTENSION_WINDOW_MS = 5 * 60 * 1000;

export const STATEMENTS = {
  lockLot:
    'select "id", "asset_id", "court_id", "round", "status", "ruleset", "title", "reference_price_id", "starting_price_fen", "deposit_fen", "increment_fen", "announce_at", "bidding_starts_at", "bidding_ends_at", "closes_at", "parties_notified_at", "panel_decision", "debtor_may_bid", "balance_due_days", "current_price_fen", "leading_bid_id", "bid_count", "seq", "published_at", "closed_at", "winner_registration_id", "created_by", "created_at" from "lots" where "lots"."id" = $1 for update',
  registration:
    'select "registrations"."id", "registrations"."status", "registrations"."bidder_code", "registrations"."priority_rank", "bidder_profiles"."kind", "bidder_profiles"."court_confirmed_at", "bidder_profiles"."proxy_name" from "registrations" inner join "bidder_profiles" on "bidder_profiles"."user_id" = "registrations"."user_id" where ("registrations"."lot_id" = $1 and "registrations"."user_id" = $2)',
  replay:
    'select "id", "lot_id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended" from "bids" where ("bids"."registration_id" = $1 and "bids"."client_bid_id" = $2)',
  leader: 'select "registration_id", "priority_rank" from "bids" where "bids"."id" = $1',
  insertBid:
    'insert into "bids" ("id", "lot_id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended") values (default, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning "id", "lot_id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended"',
  updateLot: 'update "lots" set "closes_at" = $1, "current_price_fen" = $2, "leading_bid_id" = $3, "bid_count" = $4, "seq" = $5 where "lots"."id" = $6',
  auditLock: "select pg_advisory_xact_lock($1)",
  auditLast: 'select "seq", "hash" from "audit_events" order by "audit_events"."seq" desc limit $1',
  auditInsert:
    'insert into "audit_events" ("seq", "occurred_at", "actor_id", "action", "entity_type", "entity_id", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
} as const;

/** Which parts of the transaction to run (the full set is the baseline; the others are for profiling). */
export interface Variant {
  audit: boolean;
  lookups: boolean;
  /**
   * Named prepared statements (postgres.js' default): one round trip per statement. drizzle's
   * postgres-js driver sends `prepare: false` unless a query is built with .prepare(name): postgres.js
   * then asks PostgreSQL for the parameter types first (Parse/Describe/Flush, wait, Bind/Execute):
   * two round trips per statement with parameters. `false` reproduces that.
   */
  prepare?: boolean;
}
export const FULL: Variant = { audit: true, lookups: true };

class Refused extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

interface LotRow {
  status: string;
  // Dates, or strings on a client drizzle has wrapped (it replaces the timestamp parsers).
  bidding_starts_at: Date | string;
  closes_at: Date | string;
  starting_price_fen: string;
  increment_fen: string;
  current_price_fen: string | null;
  leading_bid_id: string | null;
  bid_count: number;
  seq: string;
}

export async function baselineBid(sql: postgres.Sql, lotId: string, userId: string, amountFen: bigint, clientBidId: string, variant: Variant = FULL): Promise<{ seq: number }> {
  const prepare = variant.prepare ?? true;
  return sql.begin(async (tx) => {
    const [lot] = (await tx.unsafe(STATEMENTS.lockLot, [lotId], { prepare })) as unknown as LotRow[];
    if (!lot) throw new Refused("NOT_FOUND");
    const [reg] = (await tx.unsafe(STATEMENTS.registration, [lotId, userId], { prepare })) as unknown as { id: string; status: string; bidder_code: string; priority_rank: number | null }[];
    if (!reg || reg.status !== "active") throw new Refused("NOT_REGISTERED");
    let leaderRegistration: string | null = null;
    if (variant.lookups) {
      const earlier = await tx.unsafe(STATEMENTS.replay, [reg.id, clientBidId], { prepare });
      if (earlier.length > 0) throw new Refused("REPLAY");
      if (lot.leading_bid_id) {
        const [leader] = (await tx.unsafe(STATEMENTS.leader, [lot.leading_bid_id], { prepare })) as unknown as { registration_id: string }[];
        leaderRegistration = leader?.registration_id ?? null;
      }
    }
    // The rules' refusals (auction/rules/bidding.ts decideBid), for a non-priority bidder.
    const at = new Date();
    const closes = new Date(lot.closes_at).getTime();
    if (lot.status !== "published" || at.getTime() < new Date(lot.bidding_starts_at).getTime() || at.getTime() >= closes) throw new Refused("LOT_CLOSED");
    const increment = BigInt(lot.increment_fen);
    const current = lot.current_price_fen === null ? null : BigInt(lot.current_price_fen);
    if (current === null) {
      if (amountFen < BigInt(lot.starting_price_fen)) throw new Refused("BID_BELOW_START");
    } else {
      if (leaderRegistration === reg.id) throw new Refused("ALREADY_LEADING");
      if (amountFen < current + increment) throw new Refused("BID_TOO_LOW");
      if ((amountFen - current) % increment !== 0n) throw new Refused("BID_OFF_INCREMENT");
    }
    const extended = closes - at.getTime() < EXTENSION_WINDOW_MS;
    const closesAt = new Date(extended ? at.getTime() + EXTENSION_WINDOW_MS : closes);
    const seq = Number(lot.seq) + 1;
    const [bid] = (await tx.unsafe(
      STATEMENTS.insertBid,
      [lotId, reg.id, reg.bidder_code, amountFen.toString(), reg.priority_rank, at.toISOString(), clientBidId, seq, closesAt.toISOString(), extended],
      { prepare },
    )) as unknown as { id: string }[];
    await tx.unsafe(STATEMENTS.updateLot, [closesAt.toISOString(), amountFen.toString(), bid!.id, lot.bid_count + 1, seq, lotId], { prepare });
    if (variant.audit) {
      await tx.unsafe(STATEMENTS.auditLock, [AUDIT_LOCK_KEY], { prepare });
      const [last] = (await tx.unsafe(STATEMENTS.auditLast, [1], { prepare })) as unknown as { seq: string; hash: string }[];
      const data = { bidId: bid!.id, bidderCode: reg.bidder_code, amountFen: amountFen.toString(), seq, closesAt };
      const unhashed = {
        seq: BigInt(last?.seq ?? 0) + 1n,
        occurredAt: new Date().toISOString(),
        actorId: null,
        action: "auction.bid_accepted",
        entityType: "lot",
        entityId: lotId,
        data: JSON.parse(canonicalJson(data)) as unknown,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const hash = hashEvent(unhashed);
      await tx.unsafe(
        STATEMENTS.auditInsert,
        [unhashed.seq.toString(), unhashed.occurredAt, null, unhashed.action, unhashed.entityType, unhashed.entityId, canonicalJson(unhashed.data), unhashed.prevHash, hash],
        { prepare },
      );
    }
    return { seq };
  });
}

export interface RoundResult {
  attempted: number;
  accepted: number;
  refused: Record<string, number>;
  elapsedMs: number;
  /** Per-transaction latency of accepted bids, ms. */
  latencies: number[];
}

/**
 * A closed loop of `concurrency` workers for `durationMs`: each takes the next amount (base + k ×
 * increment, k counting up across workers, like the socket run) and a bidder (least recently used).
 * Only transactions finished inside the window count.
 */
export async function runBaselineRound(
  sql: postgres.Sql,
  options: { lotId: string; bidders: BenchBidder[]; concurrency: number; durationMs: number; basePriceFen: bigint; incrementFen: bigint; tag: string; variant?: Variant },
): Promise<RoundResult> {
  const idle = [...options.bidders];
  let k = 0n;
  let n = 0;
  const result: RoundResult = { attempted: 0, accepted: 0, refused: {}, elapsedMs: 0, latencies: [] };
  const start = performance.now();
  const end = start + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const bidder = idle.shift();
      if (!bidder) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      k += 1n;
      const amount = options.basePriceFen + k * options.incrementFen;
      const t0 = performance.now();
      let code: string | null = null;
      try {
        await baselineBid(sql, options.lotId, bidder.id, amount, `bench-${options.tag}-${++n}`, options.variant ?? FULL);
      } catch (error) {
        code = error instanceof Refused ? error.code : `ERROR:${(error as Error).message}`;
      }
      idle.push(bidder);
      const t1 = performance.now();
      if (t1 > end) break;
      result.attempted += 1;
      if (code === null) {
        result.accepted += 1;
        result.latencies.push(t1 - t0);
      } else result.refused[code] = (result.refused[code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.elapsedMs = Math.min(performance.now(), end) - start;
  return result;
}

/**
 * Runs one real placeBid through a drizzle instance that logs its statements, and compares them with
 * STATEMENTS: names any statement placeBid runs that the baseline does not (the code has changed).
 */
export async function checkFaithful(sql: postgres.Sql, clock: Clock, bidder: BenchBidder, lotId: string, amountFen: bigint): Promise<string[]> {
  const seen: string[] = [];
  const db = drizzle(sql, { schema, logger: { logQuery: (query) => seen.push(query) } });
  await placeBid(db, clock, bidder, lotId, { amountFen, clientBidId: `faithful-${Date.now()}` });
  const known = new Set<string>(Object.values(STATEMENTS));
  return seen.filter((q) => !known.has(q));
}
