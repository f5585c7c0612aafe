import { createContext, RouterContextProvider } from "react-router";
import type { Db } from "../db/client.ts";
import type { Clock } from "../core/clock.ts";
import type { RealNameVerifier, SessionUser } from "../identity/index.ts";
import type { LotPublisher, LotScheduler } from "../auction/index.ts";
import type { PaymentGateway } from "../escrow/index.ts";
import type { DrawSeedKeys } from "../appraisal/index.ts";

/** What the server process hands to every loader and action (use cases take these as arguments). */
export interface AppServices {
  db: Db;
  clock: Clock;
  sessionSecret: string;
  /** The keys agency draws' seeds are derived under (P6); never in the database. */
  drawSeedKeys: DrawSeedKeys;
  /** Sessions unused this long have ended (SESSION_IDLE_MINUTES). */
  sessionIdleMs: number;
  scheduler: LotScheduler;
  /** Deposits, balances, refunds and payouts (the simulated gateway by default, ADR 019). */
  paymentGateway: PaymentGateway;
  /** The real-name service bidders verify through (the simulated one by default, ADR 016). */
  realNameVerifier: RealNameVerifier;
  /** Tells live watchers of a lot what just committed. */
  publisher: LotPublisher;
  /** Whether notices are e-mailed (an SMTP server is set up); otherwise e-mails wait in the outbox (ADR 023). */
  emailDelivery: boolean;
  /** Takes an error that means the database is unreachable into the server's one log line per outage (true), else false. */
  reportOutage(error: unknown): boolean;
}

/** Per-request facts the server knows before React Router runs. */
export interface RequestInfo {
  ip: string;
  cspNonce: string;
}

export const servicesContext = createContext<AppServices>();
export const requestInfoContext = createContext<RequestInfo>();
/** Set by the root middleware from the session cookie; null for anonymous visitors. */
export const userContext = createContext<SessionUser | null>(null);
/** Set by handleError (entry.server.tsx) when a loader, action or middleware could not reach the database. */
export const databaseFaultContext = createContext<{ unavailable: boolean }>();

export function createLoadContext(services: AppServices, info: RequestInfo): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(servicesContext, services);
  context.set(requestInfoContext, info);
  context.set(databaseFaultContext, { unavailable: false });
  return context;
}
