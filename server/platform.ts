import { createServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { ServerBuild } from "react-router";
import type { Clock, OffsetClock } from "../core/clock.ts";
import { connect, type Database } from "../db/client.ts";
import { attachLive } from "../realtime/live.ts";
import { LotFanout } from "../realtime/fanout.ts";
import { createLiveAdapter } from "../realtime/adapter.ts";
import type { Config } from "./config.ts";
import { createHttpApp, type BuildSource } from "./http-app.ts";
import { siteOrigin, type TrustProxy } from "./origin-guard.ts";
import { clientAddress } from "./client-address.ts";
import { startJobs, type Jobs } from "./jobs.ts";
import { DatabaseOutage } from "./outage.ts";
import { guardPgClients } from "./pg-guard.ts";
import { paymentGatewayFor } from "./payment-gateway.ts";
import { simulatedRealNameVerifier } from "../identity/index.ts";
import { lotTitles } from "../auction/index.ts";
import { startNoticeJobs } from "./notice-jobs.ts";
import { noticeSenders } from "./notice-senders.ts";

export interface Platform {
  url: string;
  port: number;
  log: Logger;
  /** What watchers are told; tests and tools that close lots themselves publish through it. */
  publisher: LotFanout;
  close(): Promise<void>;
}

export interface PlatformOptions {
  config: Config;
  database: Database;
  clock: Clock;
  source: BuildSource;
  log?: Logger;
  /** Browser tests: the movable clock behind POST /__test/clock. */
  testClock?: OffsetClock | null;
}

/** Connections for job workers and the simulated bank, besides the pool's for requests and live bids. */
const BACKGROUND_CONNECTIONS = 4;

const ROOT = path.resolve(import.meta.dirname, "..");

/** Loads the production build made by `react-router build`. */
export async function loadBuild(): Promise<BuildSource> {
  const build = (await import(path.join(ROOT, "build/server/index.js"))) as ServerBuild;
  return { kind: "built", build };
}

/** One process: pages, JSON API, Socket.IO and job workers on one port. */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { config, database, clock, source } = options;
  const log = options.log ?? pino({ level: config.logLevel });
  // Watchers get what happened after it committed, a tick's worth at a time.
  const fanout = new LotFanout();
  guardPgClients();
  // One log line per database outage, whoever meets it first (jobs, live adapter, requests).
  const outage = new DatabaseOutage(log, () => database.sql`select 1`);
  // Job workers and the simulated bank have connections of their own: a lot's release (thousands of refunds) cannot
  // take those that live bids and pages need (bench/escrow, E3).
  const background = connect(database.url, { max: BACKGROUND_CONNECTIONS, connectTimeoutSeconds: config.dbTimeouts.connectSeconds, statementTimeoutMs: config.dbTimeouts.statementMs });
  // Without PAYMENT_GATEWAY=stripe the simulated gateway takes payments, and every payment page says so (ADR 019).
  const paymentGateway = paymentGatewayFor(config.gatewaySettings, background.db, clock, config.sessionSecret);
  // Known once the server listens; the simulated bank posts its webhooks there (server/simulated-bank-jobs.ts).
  let url: string | null = null;
  const jobs: Jobs = await startJobs(background, clock, log, fanout, outage, paymentGateway, config.drawSeedKeys, () => url).catch(async (error: unknown) => {
    await background.close();
    throw error;
  });
  const stopJobs = async (graceful: boolean) => {
    await jobs.boss.stop(graceful ? { graceful: true, timeout: 10_000 } : { graceful: false });
    await background.close();
  };
  const app = createHttpApp(
    {
      database,
      clock,
      sessionSecret: config.sessionSecret,
      drawSeedKeys: config.drawSeedKeys,
      sessionIdleMs: config.sessionIdleMs,
      log,
      trustProxy: config.trustProxy,
      bodyLimits: config.bodyLimits,
      scheduler: jobs.scheduler,
      paymentGateway,
      // No real-name service is configured: the simulated one verifies, and pages say so (ADR 016).
      realNameVerifier: simulatedRealNameVerifier,
      publisher: fanout,
      emailDelivery: config.smtpUrl !== null,
      testClock: options.testClock ?? null,
      outage,
      requestTimeoutMs: config.requestTimeoutMs,
    },
    source,
    path.join(ROOT, "build/client"),
  );
  const httpServer: HttpServer = createServer(app);
  // Several nodes: a broadcast to a lot room reaches that room's watchers on every node (ADR 008).
  const liveAdapter = await createLiveAdapter(config.liveAdapter, database.url, log, (error) => outage.report(error, "live adapter")).catch(async (error: unknown) => {
    await stopJobs(false);
    throw error;
  });
  // Sockets judge origins and addresses as the HTTP side does, through the same TRUST_PROXY (ADR 015).
  const trust = app.get("trust proxy fn") as TrustProxy;
  const io = attachLive(httpServer, {
    db: database.db,
    clock,
    sessionSecret: config.sessionSecret,
    sessionIdleMs: config.sessionIdleMs,
    allowedOrigins: config.allowedOrigins,
    siteOrigin: (req) => siteOrigin(req, trust),
    clientAddress: (req) => clientAddress(req, trust),
    limits: config.liveLimits,
    log,
    fanout,
    adapter: liveAdapter.factory,
  });
  // Notices go out by the site (the bell), e-mail (SMTP_URL) and SMS (simulated), through pg-boss (ADR 023).
  const senders = noticeSenders({
    io,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    log,
    context: { lotTitles: (ids) => lotTitles(background.db, ids), siteUrl: () => config.publicUrl ?? url ?? "" },
  });
  const notices = await startNoticeJobs(jobs.boss, background, clock, log, senders);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await notices.stop();
    await stopJobs(false);
    await io.close();
    await liveAdapter.close();
    throw error;
  }
  const port = (httpServer.address() as AddressInfo).port;
  url = `http://localhost:${port}`;
  let closing: Promise<void> | null = null;
  return {
    port,
    url,
    log,
    publisher: fanout,
    // Stop taking requests, close sockets, let running jobs finish.
    close: () =>
      (closing ??= (async () => {
        fanout.close();
        await io.close(); // also closes the HTTP server
        httpServer.closeAllConnections();
        await liveAdapter.close();
        await notices.stop();
        await stopJobs(true);
        outage.close();
      })()),
  };
}
