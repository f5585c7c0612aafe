/**
 * R1's baseline: the statements of the bid path (auction/bidding.ts `BID_SQL`, core/audit.ts
 * `AUDIT_SQL`) sent directly with postgres.js — no Express, Socket.IO, session lookup, zod or queue —
 * at a given concurrency, ONE TRANSACTION PER BID: what a path that does not batch would run.
 *
 * What "the same bid SQL run directly" means now that the app batches (ADR 010): the app decides the
 * bids waiting for a lot together, so one transaction (one lock, four round trips) serves several
 * bids. The baseline runs the very same statements, pipelined the same way, for one bid at a time
 * (each of the 8 workers its own transaction, like 8 clients of an unbatched service). That is R1's
 * denominator, as the target defines it: the cost of the bid SQL per bid. It is not the database's
 * ceiling for a batching client: `runBatchedRound` measures that (the app's own BidDesk driven
 * in-process, no sockets), and the report prints R1 against it too.
 *
 * Per bid: BEGIN + lot lock (with the leader) + registration + replay check in one round trip; the
 * rules (`decideBid`); the bid, the lot, the audit event and COMMIT (where the event is chained,
 * ADR 020) in a second. The statement texts are imported, so they cannot drift; `checkFaithful`
 * still checks at start-up that a real placeBid sends nothing else.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../../db/schema/index.ts";
import { AUDIT_SQL, auditInsertParams, pendingEvents } from "../../core/audit.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import type { Db } from "../../db/client.ts";
import { BID_SQL, BidDesk, CN_SPC_2016, decideBid, placeBid, silentPublisher } from "../../auction/index.ts";
import { AppError } from "../../core/errors.ts";
import type { BenchBidder } from "./setup.ts";

/** Every statement text the bid path may send. */
export const STATEMENTS: readonly string[] = ["begin", "commit", ...Object.values(BID_SQL), AUDIT_SQL.insert];

/** Which parts of the transaction to run (the full set is the baseline; the others are for profiling). */
export interface Variant {
  audit: boolean;
  /** The replay check (the leader comes with the lot row now). */
  lookups: boolean;
  /**
   * Named prepared statements (the bid path's way, postgres.js' default). `false`: unnamed ones, which
   * postgres.js describes first (Parse/Describe/Flush, wait, Bind/Execute) and cannot pipeline.
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
  status: "draft" | "published" | "sold" | "failed";
  starting_price_fen: string;
  increment_fen: string;
  current_price_fen: string | null;
  bid_count: number;
  seq: string;
  starts_ms: string;
  closes_ms: string;
}

export async function baselineBid(sql: postgres.Sql, lotId: string, userId: string, amountFen: bigint, clientBidId: string, variant: Variant = FULL): Promise<{ seq: number }> {
  const prepare = variant.prepare ?? true;
  const q = <T extends readonly object[] = postgres.Row[]>(c: postgres.ReservedSql, text: string, params: unknown[] = []) =>
    c.unsafe<T extends postgres.Row[] ? T : never>(text, params as postgres.ParameterOrJSON<never>[], { prepare }).execute();
  const c = await sql.reserve();
  try {
    const [, [lot], [leader], [reg], earlier] = await Promise.all([
      q(c, "begin"),
      q<LotRow[]>(c, BID_SQL.lockLot, [lotId]),
      q<{ registration_id: string; priority_rank: number | null }[]>(c, BID_SQL.leader, [lotId]),
      q<{ id: string; status: string; bidderCode: string; priorityRank: number | null }[]>(c, BID_SQL.registrations, [lotId, [userId]]),
      variant.lookups ? q(c, BID_SQL.replays, [lotId, [userId], [clientBidId]]) : Promise.resolve([]),
    ]);
    if (!lot) throw new Refused("NOT_FOUND");
    if (!reg || reg.status !== "active") throw new Refused("NOT_REGISTERED");
    if (earlier.length > 0) throw new Refused("REPLAY");
    const at = new Date();
    const decision = decideBid(
      CN_SPC_2016,
      {
        status: lot.status,
        round: "first",
        biddingStartsAt: new Date(Number(lot.starts_ms)),
        closesAt: new Date(Number(lot.closes_ms)),
        startingPriceFen: BigInt(lot.starting_price_fen),
        incrementFen: BigInt(lot.increment_fen),
        currentPriceFen: lot.current_price_fen === null ? null : BigInt(lot.current_price_fen),
        leader: leader ? { registrationId: leader.registration_id, priorityRank: leader.priority_rank } : null,
      },
      { registrationId: reg.id, priorityRank: reg.priorityRank, amountFen, at },
    );
    if (!decision.ok) throw new Refused(decision.code);
    const seq = Number(lot.seq) + 1;
    const id = randomUUID();
    const writes = [
      q(c, BID_SQL.insertBids, [
        lotId,
        [id],
        [reg.id],
        [reg.bidderCode],
        [amountFen.toString()],
        [reg.priorityRank === null ? null : String(reg.priorityRank)],
        [at.toISOString()],
        [clientBidId],
        [String(seq)],
        [decision.closesAt.toISOString()],
        [String(decision.extended)],
      ]),
      q(c, BID_SQL.updateLot, [lotId, amountFen.toString(), id, String(lot.bid_count + 1), String(seq), decision.closesAt.toISOString()]),
    ];
    if (!variant.audit) {
      await Promise.all([...writes, q(c, "commit")]);
      return { seq };
    }
    const records = pendingEvents(new Date(), [
      {
        actorId: null,
        action: "auction.bid_accepted",
        entityType: "lot",
        entityId: lotId,
        data: { bidId: id, bidderCode: reg.bidderCode, amountFen, seq, closesAt: decision.closesAt },
      },
    ]);
    await Promise.all([...writes, q(c, AUDIT_SQL.insert, auditInsertParams(records)), q(c, "commit")]);
    return { seq };
  } catch (error) {
    await c.unsafe("rollback").catch(() => {});
    throw error;
  } finally {
    c.release();
  }
}

export interface RoundResult {
  attempted: number;
  accepted: number;
  refused: Record<string, number>;
  elapsedMs: number;
  /** Per-transaction latency of accepted bids, ms. */
  latencies: number[];
}

type Place = (bidder: BenchBidder, amountFen: bigint, clientBidId: string) => Promise<void>;

/**
 * A closed loop of `concurrency` workers for `durationMs`: each takes the next amount (base + k ×
 * increment, k counting up across workers, like the socket run) and a bidder (least recently used).
 * Only bids answered inside the window count.
 */
async function closedLoop(place: Place, options: { bidders: BenchBidder[]; concurrency: number; durationMs: number; basePriceFen: bigint; incrementFen: bigint; tag: string }): Promise<RoundResult> {
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
        await place(bidder, amount, `bench-${options.tag}-${++n}`);
      } catch (error) {
        code = error instanceof Refused || error instanceof AppError ? error.code : `ERROR:${(error as Error).message}`;
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

interface RoundOptions {
  lotId: string;
  bidders: BenchBidder[];
  concurrency: number;
  durationMs: number;
  basePriceFen: bigint;
  incrementFen: bigint;
  tag: string;
}

/** R1's denominator: one transaction per bid (`baselineBid`), `concurrency` at once. */
export function runBaselineRound(sql: postgres.Sql, options: RoundOptions & { variant?: Variant }): Promise<RoundResult> {
  return closedLoop((bidder, amount, id) => baselineBid(sql, options.lotId, bidder.id, amount, id, options.variant ?? FULL).then(() => {}), options);
}

/**
 * The database's ceiling for a batching client: the app's own BidDesk, in this process, on the same
 * database, `concurrency` bids in flight, nothing else (no sockets, sessions or fan-out).
 */
export function runBatchedRound(db: Db, options: RoundOptions): Promise<RoundResult> {
  const desk = new BidDesk(db, systemClock, silentPublisher);
  return closedLoop((bidder, amount, id) => desk.place(bidder, options.lotId, { amountFen: amount, clientBidId: id }).then(() => {}), options);
}

/**
 * Runs one real placeBid on a client that reports every statement it sends, and names any statement
 * that is not one of STATEMENTS (the bid path has changed and the baseline no longer runs its SQL).
 */
export async function checkFaithful(url: string, clock: Clock, bidder: BenchBidder, lotId: string, amountFen: bigint): Promise<string[]> {
  const seen: string[] = [];
  const sql = postgres(url, { max: 1, onnotice: () => {}, debug: (_connection, query) => void seen.push(query) });
  try {
    const db = drizzle(sql, { schema });
    await placeBid(db, clock, silentPublisher, bidder, lotId, { amountFen, clientBidId: `faithful-${Date.now()}` });
  } finally {
    await sql.end();
  }
  const known = new Set<string>(STATEMENTS);
  // postgres.js asks for the array types once per connection (fetch_types): the driver's, not the bid path's.
  const driver = (q: string) => /^\s*select b\.oid, b\.typarray\s+from pg_catalog\.pg_type/.test(q);
  return seen.filter((q) => !known.has(q) && !driver(q));
}
