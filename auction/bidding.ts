import { randomUUID } from "node:crypto";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { bids, lots, registrations } from "../db/schema/index.ts";
import { AUDIT_SQL, auditInsertParams, pendingEvents, type AuditInput } from "../core/audit.ts";
import type { Clock } from "../core/clock.ts";
import { AppError, type ErrorCode } from "../core/errors.ts";
import { fenField } from "../core/validation.ts";
import { bidderProfiles, can, OUTBID_NOTICE_SQL, type SessionUser } from "../identity/index.ts";
import { CN_SPC_2016 } from "../core/ruleset.ts";
import { decideBid, eligibilityRefusal, type LotForBid, type RegistrationForBid } from "./rules/bidding.ts";
import { reportPublishError, type LotPublisher, type PublishErrorHandler } from "./publisher.ts";

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
const BID_COLUMNS = ["id", "registration_id", "bidder_code", "amount_fen", "priority_rank", "placed_at", "client_bid_id", "seq", "closes_at", "extended"] as const;

export const BID_SQL = {
  /** Locks the lot row (lock order: lot first) and reads it. */
  lockLot: text(sql`select ${lots.status} as "status", ${lots.round} as "round", ${lots.startingPriceFen}::text as "starting_price_fen", ${lots.incrementFen}::text as "increment_fen",
    ${lots.currentPriceFen}::text as "current_price_fen", ${lots.bidCount} as "bid_count", ${lots.seq}::text as "seq",
    ${epochMs(lots.biddingStartsAt)} as "starts_ms", ${epochMs(lots.closesAt)} as "closes_ms"
    from ${lots} where ${lots.id} = ${param(1, "uuid")} for update`),
  /**
   * The leader (D1, E2, E3 need it), in a statement of its own after the lock: a join in the locking
   * statement would read the leading bid as of before the lock wait (PostgreSQL rechecks only the
   * locked row), so a bid that waited behind another would not see the bid that now leads.
   */
  leader: text(sql`select ${bids.registrationId} as "registration_id", ${bids.priorityRank} as "priority_rank", ${registrations.userId}::text as "user_id"
    from ${lots} inner join ${bids} on ${bids.id} = ${lots.leadingBidId} inner join ${registrations} on ${registrations.id} = ${bids.registrationId}
    where ${lots.id} = ${param(1, "uuid")}`),
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
  round: LotForBid["round"];
  starting_price_fen: string;
  increment_fen: string;
  current_price_fen: string | null;
  bid_count: number;
  seq: string;
  starts_ms: string;
  closes_ms: string;
}
interface LeaderRow {
  registration_id: string;
  priority_rank: number | null;
  user_id: string;
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

/** How a batch's accepted bids reach watchers, after commit. */
export interface PublishOptions {
  /** Told when the publisher throws; by default the console. */
  onPublishError?: PublishErrorHandler;
  /**
   * Also publish the replays. For a retry after a lost connection only: the first try may have
   * committed unheard (its COMMIT's answer lost), and then nobody published its bids. A client drops
   * a bid it has seen already.
   */
  publishReplays?: boolean;
}

/**
 * Decides several bids on one lot in ONE transaction, in the order given (their arrival order): lock
 * the lot row once, read the bidders' registrations and earlier answers, apply `decideBid` to each bid
 * against the lot as the bids before it left it, write the accepted bids, move the lot and the close,
 * append one audit event per accepted bid (chained in order), commit (DESIGN §4: every accepted bid
 * was locked, checked, written and audited in the transaction that accepted it). Then, after commit,
 * the accepted bids are published, in sequence order: the one place bids are broadcast.
 *
 * D4/P10: each bid's time is read from the clock while the lot is locked, one reading per bid in the
 * order the bids are decided, exactly as consecutive one-bid transactions would read it; so times
 * never go backwards along the sequence (they may be equal within a batch: the order of equal
 * times is the sequence, which is what E3's "earlier bid" means).
 *
 * Refusals are answers, not errors: they write nothing and do not spoil the other bids. An error of
 * the database rejects, and nothing of the batch was written — except when the connection was lost
 * with the COMMIT's answer: then the batch may have committed, and sending the bids again (same
 * clientBidIds, `publishReplays`) tells which.
 */
export async function placeBids(db: Db, clock: Clock, publisher: LotPublisher, lotId: string, requests: readonly BidRequest[], options: PublishOptions = {}): Promise<BidAnswer[]> {
  const c = await reserveBidConnection(db);
  try {
    return await placeBidsOn(c, clock, publisher, lotId, requests, options);
  } finally {
    releaseBidConnection(c);
  }
}

/** placeBids on a connection the caller has reserved (the desk keeps one while a lot's bids keep coming). */
export async function placeBidsOn(
  c: BidConnection,
  clock: Clock,
  publisher: LotPublisher,
  lotId: string,
  requests: readonly BidRequest[],
  options: PublishOptions = {},
): Promise<BidAnswer[]> {
  // The one authorization call: only bidders bid. Whether this bidder may bid on this lot (C2, C4,
  // C6) depends on the registration, read under the lot lock.
  const answers: (BidAnswer | undefined)[] = requests.map((r) => (can(r.actor, "lots.bid") ? undefined : refused("FORBIDDEN")));
  const open = requests.flatMap((_, i) => (answers[i] ? [] : [i]));
  if (open.length > 0) await transaction(c, () => decideBatch(c, clock, lotId, requests, open, answers));
  publishAccepted(publisher, lotId, answers as BidAnswer[], options);
  return answers as BidAnswer[];
}

/**
 * Places one bid (D1–D6, E2, E3, P10): a batch of one, published after commit. Throws the refusal
 * as an AppError.
 */
export async function placeBid(db: Db, clock: Clock, publisher: LotPublisher, actor: SessionUser, lotId: string, input: BidInput): Promise<AcceptedBid> {
  const [answer] = await placeBids(db, clock, publisher, lotId, [{ actor, input }]);
  if (!answer!.ok) throw answer!.error;
  return answer!.bid;
}

const refused = (code: ErrorCode): BidAnswer => ({ ok: false, error: new AppError(code) });

/** The lot as a batch decides it: as locked, then as each accepted bid leaves it. */
interface BatchState {
  lot: LotForBid;
  seq: number;
  bidCount: number;
  registrations: Map<string, RegistrationRow>;
  /** Earlier answers by (bidder, clientBidId), and the batch's own as they are decided. */
  earlier: Map<string, AcceptedBid>;
  /** Whose bid leads, as each accepted bid moves the lead; and the accounts the batch's bids outbid. */
  leaderUserId: string | null;
  outbid: Set<string>;
}

/** The transaction of a batch; `open` are the positions of the requests still to answer. */
async function decideBatch(c: BidConnection, clock: Clock, lotId: string, requests: readonly BidRequest[], open: number[], answers: (BidAnswer | undefined)[]): Promise<void> {
  const state = await lockAndRead(c, lotId, open.map((i) => requests[i]!));
  if (!state) {
    for (const i of open) answers[i] = refused("NOT_FOUND");
    return void (await send(c, "commit"));
  }
  const accepted: AcceptedBid[] = [];
  for (const i of open) answers[i] = decideOne(clock, lotId, state, requests[i]!, accepted);
  if (accepted.length === 0) return void (await send(c, "commit"));
  await writeAccepted(c, clock, lotId, state, accepted);
}

/**
 * Round trip 1: BEGIN, the lot lock, then (after the lock is granted: each statement reads what
 * committed before it started) the registrations and the earlier answers. The audit chain's lock is
 * taken at the commit (ADR 020), last, as in every transaction. Null: no such lot (or a draft).
 */
async function lockAndRead(c: BidConnection, lotId: string, open: readonly BidRequest[]): Promise<BatchState | null> {
  const userIds = [...new Set(open.map((r) => r.actor.id))];
  const [, lotRows, leaderRows, regRows, replayRows] = await Promise.all([
    send(c, "begin"),
    send<LotRow[]>(c, BID_SQL.lockLot, [lotId]),
    send<LeaderRow[]>(c, BID_SQL.leader, [lotId]),
    send<RegistrationRow[]>(c, BID_SQL.registrations, [lotId, userIds]),
    send<ReplayRow[]>(c, BID_SQL.replays, [lotId, open.map((r) => r.actor.id), open.map((r) => r.input.clientBidId)]),
  ]);
  const row = lotRows[0];
  if (!row || row.status === "draft") return null;
  const lot: LotForBid = {
    status: row.status,
    round: row.round,
    biddingStartsAt: new Date(Number(row.starts_ms)),
    closesAt: new Date(Number(row.closes_ms)),
    startingPriceFen: BigInt(row.starting_price_fen),
    incrementFen: BigInt(row.increment_fen),
    currentPriceFen: row.current_price_fen === null ? null : BigInt(row.current_price_fen),
    leader: leaderRows[0] ? { registrationId: leaderRows[0].registration_id, priorityRank: leaderRows[0].priority_rank } : null,
  };
  const earlier = new Map(replayRows.map((b) => [key(b.user_id, b.client_bid_id), replayed(lotId, b)]));
  const leaderUserId = leaderRows[0]?.user_id ?? null;
  return { lot, seq: Number(row.seq), bidCount: row.bid_count, registrations: new Map(regRows.map((r) => [r.userId, r])), earlier, leaderUserId, outbid: new Set() };
}

function replayed(lotId: string, b: ReplayRow): AcceptedBid {
  return {
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
  };
}

/** In memory: one bid against the lot as the bids before it left it; an accepted bid moves the lot. */
function decideOne(clock: Clock, lotId: string, state: BatchState, r: BidRequest, accepted: AcceptedBid[]): BidAnswer {
  const reg = state.registrations.get(r.actor.id);
  const refusal = eligibilityRefusal(reg);
  if (refusal || !reg) return refused(refusal ?? "NOT_REGISTERED");
  // A resend of the same clientBidId gets the first answer, even after the close (also within this batch).
  const k = key(r.actor.id, r.input.clientBidId);
  const first = state.earlier.get(k);
  if (first) return { ok: true, bid: { ...first, replay: true } };
  // P10: the bid time is read once the lot is locked, so no bid is timed before one it follows.
  const at = clock.now();
  const decision = decideBid(CN_SPC_2016, state.lot, { registrationId: reg.id, priorityRank: reg.priorityRank, amountFen: r.input.amountFen, at });
  if (!decision.ok) return refused(decision.code);
  state.seq += 1;
  state.bidCount += 1;
  const bid: AcceptedBid = {
    id: randomUUID(),
    lotId,
    registrationId: reg.id,
    clientBidId: r.input.clientBidId,
    priorityRank: reg.priorityRank,
    bidderCode: reg.bidderCode!,
    amountFen: r.input.amountFen,
    placedAt: at,
    seq: state.seq,
    closesAt: decision.closesAt,
    extended: decision.extended,
    replay: false,
  };
  accepted.push(bid);
  state.earlier.set(k, bid);
  state.lot.currentPriceFen = bid.amountFen;
  state.lot.leader = { registrationId: reg.id, priorityRank: reg.priorityRank };
  state.lot.closesAt = decision.closesAt;
  if (state.leaderUserId && state.leaderUserId !== r.actor.id) state.outbid.add(state.leaderUserId);
  state.outbid.delete(r.actor.id);
  state.leaderUserId = r.actor.id;
  return { ok: true, bid };
}

/**
 * Round trip 2: the bids, the lot, the audit events (P5: one per bid, chained in sequence order)
 * and COMMIT. Should a statement fail, PostgreSQL turns the COMMIT into a rollback and the
 * statement's error rejects.
 */
async function writeAccepted(c: BidConnection, clock: Clock, lotId: string, state: BatchState, accepted: AcceptedBid[]): Promise<void> {
  const last = accepted.at(-1)!;
  const column = (f: (b: AcceptedBid) => string | null) => accepted.map(f);
  const events: AuditInput[] = accepted.map((b) => ({
    actorId: null, // sealed: the code stands for the bidder (P4)
    action: "auction.bid_accepted",
    entityType: "lot",
    entityId: lotId,
    data: { bidId: b.id, bidderCode: b.bidderCode, amountFen: b.amountFen, seq: b.seq, closesAt: b.closesAt },
  }));
  const audited = pendingEvents(clock.now(), events);
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
    send(c, BID_SQL.updateLot, [lotId, last.amountFen.toString(), last.id, String(state.bidCount), String(state.seq), last.closesAt.toISOString()]),
    send(c, AUDIT_SQL.insert, auditInsertParams(audited)),
    // The accounts this batch outbid are alerted (once until they read it), in the bids' transaction.
    ...(state.outbid.size > 0 ? [send(c, OUTBID_NOTICE_SQL, [[...state.outbid], lotId, last.placedAt.toISOString()])] : []),
    send(c, "commit"),
  ]);
}

/**
 * After commit: tells watchers of the batch's accepted bids, in sequence order (the answers are in
 * arrival order, and so are the accepted bids among them). A replay was published the first time.
 */
function publishAccepted(publisher: LotPublisher, lotId: string, answers: readonly BidAnswer[], options: PublishOptions): void {
  const onError = options.onPublishError ?? reportPublishError;
  for (const a of answers) {
    if (!a.ok || (a.bid.replay && !options.publishReplays)) continue;
    try {
      publisher.bidAccepted(lotId, a.bid);
    } catch (error) {
      onError(error, lotId);
    }
  }
}
