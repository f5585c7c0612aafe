import { randomUUID } from "node:crypto";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias, PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { bidderProfiles, bids, lots, registrations } from "../db/schema/index.ts";
import { AUDIT_LOCK_PARAM, AUDIT_SQL, auditInsertParams, chainAfter, type AuditInput, type ChainHead } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError, isAppError } from "../core/errors.ts";
import { fenField } from "../core/validation.ts";
import { can, type SessionUser } from "../identity/index.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { decideBid, eligibilityRefusal, type LotForBid, type RegistrationForBid } from "./rules/bidding.ts";
import type { BidView } from "./public-reads.ts";
import type { LotPublisher } from "./publisher.ts";

/** A bid as form, API or socket send it: the amount in fen as a decimal string or integer, and a client-made id. */
export const bidSchema = z.object({
  amountFen: fenField,
  clientBidId: z.string({ error: "validation.required" }).regex(/^[A-Za-z0-9_-]{8,64}$/, "validation.clientBidId"),
});
export type BidInput = z.infer<typeof bidSchema>;

export interface AcceptedBid {
  id: string;
  lotId: string;
  registrationId: string;
  clientBidId: string;
  priorityRank: number | null;
  bidderCode: string;
  amountFen: bigint;
  placedAt: Date;
  seq: number;
  /** The close instant after this bid; later than before when the bid extended it (D3). */
  closesAt: Date;
  extended: boolean;
  /** True when this answer is the replay of an earlier send of the same clientBidId. */
  replay: boolean;
}

/** One bid of a batch: who sends it and what. */
export interface BidRequest {
  actor: SessionUser;
  input: BidInput;
}

/** The answer to one bid of a batch: accepted (or replayed), or refused with a stable code. */
export type BidAnswer = { ok: true; bid: AcceptedBid } | { ok: false; error: AppError };

// ---------------------------------------------------------------------------------------------
// The statements. Built once from the schema (a renamed column fails the typecheck, not a bid) and
// sent as prepared statements straight through postgres.js: no query building while the lot is
// locked, and the statements of one phase go out together (pipelined), one round trip per phase.
// Every parameter is text (or a text array) cast in SQL, so the statements do not depend on the
// parsers and serializers a client was given (drizzle replaces the timestamp ones). Instants come
// back as epoch milliseconds, amounts and sequence numbers as text.
// ---------------------------------------------------------------------------------------------

const dialect = new PgDialect();
const text = (query: SQL) => dialect.sqlToQuery(query).sql;
const param = (n: number, type: string) => sql.raw(`$${n}::${type}`);
const epochMs = (column: SQLWrapper) => sql`(extract(epoch from ${column}) * 1000)::int8::text`;
const leader = alias(bids, "leader");
const BID_COLUMNS = ["id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended"] as const;

export const BID_SQL = {
  /** Locks the lot row (lock order: lot first) and reads it with its leader (D1, E2, E3 need the leader). */
  lockLot: text(sql`select ${lots.status} as "status", ${lots.startingPriceFen}::text as "starting_price_fen", ${lots.incrementFen}::text as "increment_fen",
    ${lots.currentPriceFen}::text as "current_price_fen", ${lots.bidCount} as "bid_count", ${lots.seq}::text as "seq",
    ${epochMs(lots.biddingStartsAt)} as "starts_ms", ${epochMs(lots.closesAt)} as "closes_ms",
    ${leader.registrationId} as "leader_registration_id", ${leader.priorityRank} as "leader_priority_rank"
    from ${lots} left join ${bids} as ${sql.identifier("leader")} on ${leader.id} = ${lots.leadingBidId} where ${lots.id} = ${param(1, "uuid")} for update of ${lots}`),
  /** The registrations of the batch's bidders, with what C6 needs of their profiles (named as the rules name them). */
  registrations: text(sql`select ${registrations.userId}::text as "userId", ${registrations.id} as "id", ${registrations.status} as "status",
    ${registrations.bidderCode} as "bidderCode", ${registrations.priorityRank} as "priorityRank", ${bidderProfiles.kind} as "kind",
    (${bidderProfiles.courtConfirmedAt} is not null) as "courtConfirmed", (${bidderProfiles.proxyName} is not null) as "byProxy"
    from ${registrations} inner join ${bidderProfiles} on ${bidderProfiles.userId} = ${registrations.userId}
    where ${registrations.lotId} = ${param(1, "uuid")} and ${registrations.userId} = any(${param(2, "text[]")}::uuid[])`),
  /** Earlier bids with the same (bidder, clientBidId): a resend gets the first answer (D4). */
  replays: text(sql`select q.user_id, q.client_bid_id, ${bids.id} as "id", ${bids.registrationId} as "registration_id", ${bids.bidderCode} as "bidder_code",
    ${bids.amountFen}::text as "amount_fen", ${bids.priorityRank} as "priority_rank", ${epochMs(bids.placedAt)} as "placed_ms", ${bids.seq}::text as "seq",
    ${epochMs(bids.closesAt)} as "closes_ms", ${bids.extended} as "extended"
    from unnest(${param(2, "text[]")}, ${param(3, "text[]")}) as q(user_id, client_bid_id)
    inner join ${registrations} on ${registrations.lotId} = ${param(1, "uuid")} and ${registrations.userId} = q.user_id::uuid
    inner join ${bids} on ${bids.registrationId} = ${registrations.id} and ${bids.clientBidId} = q.client_bid_id`),
  /** The accepted bids of the batch, one row each. */
  insertBids: text(sql`insert into ${bids} ("id", "lot_id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended")
    select u.id::uuid, ${param(1, "uuid")}, u.registration_id::uuid, u.bidder_code, u.amount_fen::int8, u.priority_rank::int4, u.placed_at::timestamptz,
    u.client_bid_id, u.seq::int8, u.closes_at::timestamptz, u.extended::bool
    from unnest(${sql.raw(BID_COLUMNS.map((_, i) => `$${i + 2}::text[]`).join(", "))}) as u(${sql.raw(BID_COLUMNS.join(", "))})`),
  /** The lot after the batch's last accepted bid. */
  updateLot: text(sql`update ${lots} set "current_price_fen" = ${param(2, "int8")}, "leading_bid_id" = ${param(3, "uuid")}, "bid_count" = ${param(4, "int4")},
    "seq" = ${param(5, "int8")}, "closes_at" = ${param(6, "timestamptz")} where ${lots.id} = ${param(1, "uuid")}`),
} as const;

interface LotRow {
  status: LotForBid["status"];
  starting_price_fen: string;
  increment_fen: string;
  current_price_fen: string | null;
  bid_count: number;
  seq: string;
  starts_ms: string;
  closes_ms: string;
  leader_registration_id: string | null;
  leader_priority_rank: number | null;
}
/** A registration as the rules read it (`eligibilityRefusal`), with whose it is, its id and priority rank (E1). */
interface RegistrationRow extends RegistrationForBid {
  userId: string;
  id: string;
  priorityRank: number | null;
}
interface ReplayRow {
  user_id: string;
  client_bid_id: string;
  id: string;
  registration_id: string;
  bidder_code: string;
  amount_fen: string;
  priority_rank: number | null;
  placed_ms: string;
  seq: string;
  closes_ms: string;
  extended: boolean;
}

const key = (userId: string, clientBidId: string) => `${userId}\n${clientBidId}`;

/** The postgres.js client under a drizzle database (drizzle keeps it as `$client`; db/client.ts's type does not say so). */
function clientOf(db: Db): postgres.Sql {
  const client = (db as Db & { $client?: postgres.Sql }).$client;
  if (!client || typeof client.reserve !== "function") throw new Error("placeBids needs a drizzle database over postgres.js (db/client.ts)");
  return client;
}

/**
 * Reserved connections whose socket is gone. postgres.js (3.4.9, porsager/postgres#1208) takes such a
 * connection back into its pool to reconnect it later, but a statement sent on the reserved handle
 * afterwards throws from a timer (an uncaught exception: the node dies), and `release()` would put
 * the dead connection among the open ones. So after a connection error nothing more is sent on it
 * and it is not released: the pool has it already.
 */
const lost = new WeakSet<postgres.ReservedSql>();
/** An error of the connection itself (postgres.js' CONNECTION_* or the socket's), not of a statement. */
const connectionError = (error: unknown) => error instanceof Error && "errno" in error && !(error instanceof postgres.PostgresError);

/**
 * Sends one statement now, as a named prepared statement (postgres.js' `unsafe` would send an
 * unnamed one: described first, two round trips, and nothing pipelined behind it).
 */
function send<T extends readonly object[] = postgres.Row[]>(c: postgres.ReservedSql, statement: string, params: unknown[] = []): Promise<T> {
  return c
    .unsafe<T extends postgres.Row[] ? T : never>(statement, params as postgres.ParameterOrJSON<never>[], { prepare: true })
    .execute()
    .catch((error: unknown) => {
      if (connectionError(error)) lost.add(c);
      throw error;
    });
}

/** Runs `work` in one transaction on the connection `c`; BEGIN goes out with the first statements. */
async function transaction<T>(c: postgres.ReservedSql, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Also after a failed COMMIT (nothing is open then: PostgreSQL only warns). Not on a lost
    // connection: its transaction ended with it, and sending on it would crash the node.
    if (!lost.has(c)) await c.unsafe("rollback").catch(() => {});
    throw error;
  }
}

/** A connection of the database's pool for the caller alone until `release()`. */
export type BidConnection = postgres.ReservedSql;
export const reserveBidConnection = (db: Db): Promise<BidConnection> => clientOf(db).reserve();
/** Gives a reserved connection back to the pool, unless it was lost (the pool has it back already). */
export const releaseBidConnection = (c: BidConnection): void => void (lost.has(c) || c.release());

/**
 * Decides several bids on one lot in ONE transaction, in the order given (their arrival order): lock
 * the lot row once, read the bidders' registrations and earlier answers, apply `decideBid` to each bid
 * against the lot as the bids before it left it, write the accepted bids, move the lot and the close,
 * append one audit event per accepted bid (chained in order), commit (DESIGN §4: every accepted bid
 * was locked, checked, written and audited in the transaction that accepted it).
 *
 * D4/P10: each bid's time is read from the clock while the lot is locked, one reading per bid in the
 * order the bids are decided, exactly as consecutive one-bid transactions would read it; so times
 * never go backwards along the sequence (they may be equal within a batch: the order of equal
 * times is the sequence, which is what E3's "earlier bid" means).
 *
 * Refusals are answers, not errors: they write nothing and do not spoil the other bids. An error of
 * the database rejects, and nothing of the batch was written — except when the connection was lost
 * with the COMMIT's answer: then the batch may have committed, and sending the bids again (same
 * clientBidIds) tells which.
 */
export async function placeBids(db: Db, clock: Clock, lotId: string, requests: readonly BidRequest[]): Promise<BidAnswer[]> {
  const c = await reserveBidConnection(db);
  try {
    return await placeBidsOn(c, clock, lotId, requests);
  } finally {
    releaseBidConnection(c);
  }
}

/** placeBids on a connection the caller has reserved (the desk keeps one while a lot's bids keep coming). */
export async function placeBidsOn(c: BidConnection, clock: Clock, lotId: string, requests: readonly BidRequest[]): Promise<BidAnswer[]> {
  // The one authorization call: only bidders bid. Whether this bidder may bid on this lot (C2, C4,
  // C6) depends on the registration, read under the lot lock.
  const answers: (BidAnswer | undefined)[] = requests.map((r) => (can(r.actor, "lots.bid") ? undefined : { ok: false, error: new AppError("FORBIDDEN") }));
  const open = requests.flatMap((r, i) => (answers[i] ? [] : [{ ...r, i }]));
  if (open.length === 0) return answers as BidAnswer[];
  const userIds = [...new Set(open.map((r) => r.actor.id))];

  await transaction(c, async () => {
    // Round trip 1: BEGIN, the lot lock, then (after the lock is granted: each statement reads what
    // committed before it started) the registrations, the earlier answers, and the audit chain's lock
    // and head. The chain is global, so its lock comes after the lot's (lock order) and is held only
    // from here to the commit: one round trip and the deciding in memory.
    const [, lotRows, regRows, replayRows, , head] = await Promise.all([
      send(c, "begin"),
      send<LotRow[]>(c, BID_SQL.lockLot, [lotId]),
      send<RegistrationRow[]>(c, BID_SQL.registrations, [lotId, userIds]),
      send<ReplayRow[]>(c, BID_SQL.replays, [lotId, open.map((r) => r.actor.id), open.map((r) => r.input.clientBidId)]),
      send(c, AUDIT_SQL.lock, [AUDIT_LOCK_PARAM]),
      send<{ seq: string; hash: string }[]>(c, AUDIT_SQL.head),
    ]);
    const row = lotRows[0];
    if (!row || row.status === "draft") {
      for (const r of open) answers[r.i] = { ok: false, error: new AppError("NOT_FOUND") };
      return send(c, "commit");
    }

    // In memory: each bid against the lot as the bids before it left it.
    const lot: LotForBid = {
      status: row.status,
      biddingStartsAt: new Date(Number(row.starts_ms)),
      closesAt: new Date(Number(row.closes_ms)),
      startingPriceFen: BigInt(row.starting_price_fen),
      incrementFen: BigInt(row.increment_fen),
      currentPriceFen: row.current_price_fen === null ? null : BigInt(row.current_price_fen),
      leader: row.leader_registration_id === null ? null : { registrationId: row.leader_registration_id, priorityRank: row.leader_priority_rank },
    };
    let seq = Number(row.seq);
    let bidCount = row.bid_count;
    const regOf = new Map(regRows.map((r) => [r.userId, r]));
    const earlier = new Map<string, AcceptedBid>(
      replayRows.map((b) => [
        key(b.user_id, b.client_bid_id),
        {
          id: b.id,
          lotId,
          registrationId: b.registration_id,
          clientBidId: b.client_bid_id,
          priorityRank: b.priority_rank,
          bidderCode: b.bidder_code,
          amountFen: BigInt(b.amount_fen),
          placedAt: new Date(Number(b.placed_ms)),
          seq: Number(b.seq),
          closesAt: new Date(Number(b.closes_ms)),
          extended: b.extended,
          replay: true,
        },
      ]),
    );
    const accepted: AcceptedBid[] = [];
    for (const r of open) {
      const refuse = (code: ConstructorParameters<typeof AppError>[0]) => void (answers[r.i] = { ok: false, error: new AppError(code) });
      const reg = regOf.get(r.actor.id);
      const refusal = eligibilityRefusal(reg);
      if (refusal || !reg) {
        refuse(refusal ?? "NOT_REGISTERED");
        continue;
      }
      // A resend of the same clientBidId gets the first answer, even after the close (also within this batch).
      const k = key(r.actor.id, r.input.clientBidId);
      const first = earlier.get(k);
      if (first) {
        answers[r.i] = { ok: true, bid: { ...first, replay: true } };
        continue;
      }
      // P10: the bid time is read once the lot is locked, so no bid is timed before one it follows.
      const at = clock.now();
      const decision = decideBid(CN_SPC_2016, lot, { registrationId: reg.id, priorityRank: reg.priorityRank, amountFen: r.input.amountFen, at });
      if (!decision.ok) {
        refuse(decision.code);
        continue;
      }
      seq += 1;
      bidCount += 1;
      const bid: AcceptedBid = {
        id: randomUUID(),
        lotId,
        registrationId: reg.id,
        clientBidId: r.input.clientBidId,
        priorityRank: reg.priorityRank,
        bidderCode: reg.bidderCode!,
        amountFen: r.input.amountFen,
        placedAt: at,
        seq,
        closesAt: decision.closesAt,
        extended: decision.extended,
        replay: false,
      };
      accepted.push(bid);
      earlier.set(k, bid);
      answers[r.i] = { ok: true, bid };
      lot.currentPriceFen = bid.amountFen;
      lot.leader = { registrationId: reg.id, priorityRank: reg.priorityRank };
      lot.closesAt = decision.closesAt;
    }
    if (accepted.length === 0) return send(c, "commit");

    // Round trip 2: the bids, the lot, the audit events (P5: one per bid, chained in sequence order)
    // and COMMIT. Should a statement fail, PostgreSQL turns the COMMIT into a rollback and the
    // statement's error rejects.
    const last = accepted.at(-1)!;
    const column = (f: (b: AcceptedBid) => string | null) => accepted.map(f);
    const events: AuditInput[] = accepted.map((b) => ({
      actorId: null, // sealed: the code stands for the bidder (P4)
      action: "auction.bid_accepted",
      entityType: "lot",
      entityId: lotId,
      data: { bidId: b.id, bidderCode: b.bidderCode, amountFen: b.amountFen, seq: b.seq, closesAt: b.closesAt },
    }));
    const records = chainAfter(head[0] as ChainHead, clock.now(), events);
    await Promise.all([
      send(c, BID_SQL.insertBids, [
        lotId,
        column((b) => b.id),
        column((b) => b.registrationId),
        column((b) => b.bidderCode),
        column((b) => b.amountFen.toString()),
        column((b) => (b.priorityRank === null ? null : String(b.priorityRank))),
        column((b) => b.placedAt.toISOString()),
        column((b) => b.clientBidId),
        column((b) => String(b.seq)),
        column((b) => b.closesAt.toISOString()),
        column((b) => String(b.extended)),
      ]),
      send(c, BID_SQL.updateLot, [lotId, last.amountFen.toString(), last.id, String(bidCount), String(seq), last.closesAt.toISOString()]),
      send(c, AUDIT_SQL.insert, auditInsertParams(records)),
      send(c, "commit"),
    ]);
  });
  return answers as BidAnswer[];
}

/**
 * Places one bid (D1–D6, E2, E3, P10): a batch of one. Whoever calls it broadcasts only after it
 * returns (after commit). Throws the refusal as an AppError.
 */
export async function placeBid(db: Db, clock: Clock, actor: SessionUser, lotId: string, input: BidInput): Promise<AcceptedBid> {
  const [answer] = await placeBids(db, clock, lotId, [{ actor, input }]);
  if (!answer!.ok) throw answer!.error;
  return answer!.bid;
}

/** The public form of an accepted bid: its code, amount, time and sequence — never who placed it. */
export function publicBid(bid: AcceptedBid & { priorityRank: number | null }): BidView {
  return { bidderCode: bid.bidderCode, amountFen: bid.amountFen, placedAt: bid.placedAt, seq: bid.seq, priority: bid.priorityRank !== null };
}

// ---------------------------------------------------------------------------------------------
// The bid desk: one queue per lot on this node (ADR 010).
// ---------------------------------------------------------------------------------------------

export interface BidDeskOptions {
  /** The most bids one transaction decides. */
  maxBatch?: number;
  /** A bid that could not be decided within about this long is answered BID_BUSY at once instead. */
  busyAfterMs?: number;
  /**
   * While a lot's bids trickle in (the last batch decided one or two), the next batch waits this long
   * for more: fewer, fuller transactions, less work for the node and the database. A bid on an idle
   * lot never waits, nor does a batch when bids come faster than batches.
   */
  lingerMs?: number;
  /**
   * Told when the publisher throws. The bids are committed by then: their senders still get their
   * answers and the lot's next batch still runs; watchers see a gap in the sequence and fetch the
   * snapshot again. By default the error is written to the console.
   */
  onPublishError?: (error: unknown, lotId: string) => void;
}

/** The desk lingers only after a batch of at most this many bids, and while no more than this many wait. */
const LINGER_AFTER = 2;

interface Waiting extends BidRequest {
  resolve(bid: AcceptedBid): void;
  reject(error: unknown): void;
}

interface Line {
  waiting: Waiting[];
  /** When the batch in flight started (performance.now()); null when none is. */
  since: number | null;
  /** Recent batch duration, ms (moving average). */
  batchMs: number;
}

/**
 * Takes the bids of this node's sockets and decides those waiting for the same lot together: while
 * one transaction holds a lot, the bids that arrive for it wait, in arrival order, and the next
 * transaction decides all of them (`placeBids`). A lone bid goes at once, in a batch of one. So a
 * lot's bids cost one lot lock, one audit lock and two round trips per batch instead of per bid, and
 * they reach the lot lock in the order they reached this node.
 *
 * After commit the desk publishes the accepted bids in sequence order, then answers each sender.
 * Other nodes and the HTML form take the same lot lock, so they interleave safely with the batches.
 *
 * Admission: a bid that finds more waiting than the desk can decide within `busyAfterMs` (judged by
 * how long recent batches took) is answered BID_BUSY at once: nothing was written, the sender may
 * send it again, and no one waits half a minute for an answer.
 */
export class BidDesk {
  private readonly lines = new Map<string, Line>();
  private readonly maxBatch: number;
  private readonly busyAfterMs: number;
  private readonly lingerMs: number;
  private readonly onPublishError: (error: unknown, lotId: string) => void;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly publisher: LotPublisher;

  constructor(db: Db, clock: Clock, publisher: LotPublisher, options: BidDeskOptions = {}) {
    this.db = db;
    this.clock = clock;
    this.publisher = publisher;
    this.maxBatch = options.maxBatch ?? 256;
    this.busyAfterMs = options.busyAfterMs ?? 100;
    this.lingerMs = options.lingerMs ?? 3;
    this.onPublishError = options.onPublishError ?? ((error, lotId) => console.error(`bid desk: publishing lot ${lotId}'s bids failed`, error));
  }

  place(actor: SessionUser, lotId: string, input: BidInput): Promise<AcceptedBid> {
    let line = this.lines.get(lotId);
    if (!line) this.lines.set(lotId, (line = { waiting: [], since: null, batchMs: 0 }));
    if (line.since !== null && line.waiting.length >= this.capacity(line)) return Promise.reject(new AppError("BID_BUSY"));
    const promise = new Promise<AcceptedBid>((resolve, reject) => line.waiting.push({ actor, input, resolve, reject }));
    if (line.since === null) void this.run(lotId, line);
    return promise;
  }

  /** How many waiting bids the batches can decide within busyAfterMs; never fewer than one batch. */
  private capacity(line: Line): number {
    const running = line.since === null ? 0 : performance.now() - line.since;
    const perBatch = Math.max(1, line.batchMs, running);
    return Math.max(this.maxBatch, Math.floor((this.busyAfterMs / perBatch) * this.maxBatch));
  }

  private async run(lotId: string, line: Line): Promise<void> {
    line.since = performance.now();
    // One connection for as long as the lot's bids keep coming: batches follow each other without
    // waiting for a free connection of the pool (sessions and snapshots use it too).
    let c: BidConnection | null = null;
    try {
      for (let last = Infinity; line.waiting.length > 0; ) {
        // A trickle (the last batch decided one or two bids): wait a moment for more, unless the
        // waiting bids make a fair batch already.
        if (last <= LINGER_AFTER && this.lingerMs > 0 && line.waiting.length <= LINGER_AFTER) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
        const batch = line.waiting.splice(0, this.maxBatch);
        last = batch.length;
        line.since = performance.now();
        let answers: (BidAnswer | { ok: false; error: unknown })[];
        let retried = false;
        try {
          c ??= await reserveBidConnection(this.db);
          answers = await placeBidsOn(c, this.clock, lotId, batch);
        } catch (error) {
          // Not a refusal: the connection or the database failed. Let go of the connection, then try
          // each bid alone on a fresh one, so one bid's failure is not every bid's.
          if (c) releaseBidConnection(c);
          c = null;
          answers = await this.oneByOne(lotId, batch, error);
          retried = true;
        }
        const ms = performance.now() - line.since;
        line.batchMs = line.batchMs === 0 ? ms : line.batchMs * 0.8 + ms * 0.2;
        // Broadcast after commit, in sequence order; a replay was broadcast the first time, unless
        // it comes from the retry: the failed batch may have committed unheard (its COMMIT's answer
        // lost with the connection), and a client drops a bid it has seen already. A throw here
        // must not escape: the answers below would be skipped, the bids waiting behind this batch
        // never decided, and run()'s rejection would be unhandled.
        for (const a of answers) {
          if (!a.ok || (a.bid.replay && !retried)) continue;
          try {
            this.publisher.bidAccepted(lotId, publicBid(a.bid), a.bid.closesAt, a.bid.extended);
          } catch (error) {
            this.onPublishError(error, lotId);
          }
        }
        answers.forEach((a, i) => (a.ok ? batch[i]!.resolve(a.bid) : batch[i]!.reject(a.error)));
      }
    } finally {
      // Given back as soon as the lot's bids stop: a reserved connection kept idle could die unseen,
      // and postgres.js 3.4.9 crashes the process when such a connection is used (porsager/postgres#1208).
      c?.release();
      line.since = null;
      this.lines.delete(lotId);
    }
  }

  /**
   * A failed batch, again bid by bid (a lone bid too: when the connection was lost with the COMMIT's
   * answer, the bids may be committed, and the retry answers them as what they are, never twice);
   * a bid that fails alone gets the error.
   */
  private async oneByOne(lotId: string, batch: Waiting[], error: unknown): Promise<(BidAnswer | { ok: false; error: unknown })[]> {
    if (isAppError(error)) return batch.map(() => ({ ok: false as const, error }));
    const answers: (BidAnswer | { ok: false; error: unknown })[] = [];
    for (const bid of batch) {
      try {
        answers.push((await placeBids(this.db, this.clock, lotId, [bid]))[0]!);
      } catch (alone) {
        answers.push({ ok: false, error: alone });
      }
    }
    return answers;
  }
}
