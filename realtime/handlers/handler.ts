import type { Socket } from "socket.io";
import type { Logger } from "pino";
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { BidDesk } from "../../auction/index.ts";
import { CLIENT_PAYLOADS, type Ack, type ClientPayload, type ClientToServerEvents, type PayloadEvent, type ServerToClientEvents, type SocketData } from "../../core/live-events.ts";
import type { LotFanout } from "../fanout.ts";
import type { SocketSessions } from "../sessions.ts";
import type { LiveLimits } from "../limits.ts";

// What a /live handler is, and the components it may be given (each handler takes only those it uses).

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The components of the live layer, made once per server by attachLive. */
export interface LiveComponents {
  db: Db;
  clock: Clock;
  log: Logger;
  fanout: LotFanout;
  /** Decides bids in batches per lot and publishes them after commit (ADR 010). */
  desk: BidDesk;
  sessions: SocketSessions;
  /** bid:place calls allowed per socket per second. */
  bidRatePerSecond: number;
  limits: LiveLimits;
}

/** The events a client asks and is answered through the ack. */
export type RequestEvent = "time:sync" | "session:whoami" | "lot:join" | "bid:place" | "notices:watch";

/** What the ack of a request carries when it succeeds. */
export type AnswerOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]> extends [...unknown[], Ack<infer T>] ? T : never;

/**
 * Answers one request: returns the ack's data, or throws an AppError for a refusal (the wiring turns
 * it into the ack, with its code). The payload is whatever the client sent: parse it first.
 */
export type RequestHandler<E extends RequestEvent> = (socket: LiveSocket, payload: unknown) => Promise<AnswerOf<E>> | AnswerOf<E>;

/** Handles an event nobody answers. */
export type NoticeHandler = (socket: LiveSocket, payload: unknown) => void;

/** The payload of a client message by its schema in the protocol module; VALIDATION_FAILED when it does not fit. */
export function parsePayload<E extends PayloadEvent>(event: E, payload: unknown): ClientPayload<E> {
  const parsed = CLIENT_PAYLOADS[event].safeParse(payload);
  if (!parsed.success) throw new AppError("VALIDATION_FAILED");
  return parsed.data as ClientPayload<E>;
}
