import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { createRequestHandler } from "@react-router/express";
import type { RouterContextProvider, ServerBuild } from "react-router";
import type { Logger } from "pino";
import type { Database } from "../db/client.ts";
import type { Clock, OffsetClock } from "../core/clock.ts";
import type { PaymentGateway } from "../escrow/index.ts";
import { closeLot, lotsDueToClose, sendReminders, type LotPublisher, type LotScheduler } from "../auction/index.ts";
import type { RealNameVerifier } from "../identity/index.ts";
import type { DrawSeedKeys } from "../appraisal/index.ts";
import { runAppraisalClock } from "./jobs.ts";
import { originGuard } from "./origin-guard.ts";
import { cookieLanguage, serviceUnavailable, wantsJson } from "../core/unavailable-page.ts";
import type { DatabaseOutage } from "./outage.ts";
import { methodFilter } from "./method-filter.ts";
import { mountPaymentWebhooks } from "./payment-webhooks.ts";
import { bodyLimit, type BodyLimits } from "./body-limit.ts";
import { compressResponses, precompressedAssets } from "./precompressed.ts";

export interface WebServices {
  database: Database;
  clock: Clock;
  sessionSecret: string;
  drawSeedKeys: DrawSeedKeys;
  sessionIdleMs: number;
  log: Logger;
  trustProxy: string | boolean;
  bodyLimits: BodyLimits;
  scheduler: LotScheduler;
  paymentGateway: PaymentGateway;
  realNameVerifier: RealNameVerifier;
  publisher: LotPublisher;
  /** Whether notices are e-mailed (SMTP_URL set); otherwise they wait in the outbox, and pages say so. */
  emailDelivery: boolean;
  testClock: OffsetClock | null;
  /** Tells a database outage once (server/outage.ts). */
  outage: DatabaseOutage;
  /** A request not answered by then gets 503 (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
}

/** 503 with the API's JSON error or the page in the reader's language (core/unavailable-page.ts). */
function sendUnavailable(req: Request, res: Response) {
  const answer = serviceUnavailable(cookieLanguage(req.get("cookie")), wantsJson(req.path));
  res.status(answer.status).set(answer.headers).send(answer.body);
}

/** The server build exports `createLoadContext` from app/entry.server.tsx (see that file). */
type AppBuild = ServerBuild & {
  entry: { module: { createLoadContext(services: object, info: { ip: string; cspNonce: string }): RouterContextProvider } };
};

export type BuildSource = { kind: "built"; build: ServerBuild } | { kind: "vite"; load: () => Promise<ServerBuild>; middlewares: express.RequestHandler };

/** Express app: security headers, health check, static assets, then React Router for pages and the JSON API. */
export function createHttpApp(services: WebServices, source: BuildSource, clientDir: string): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", services.trustProxy);

  app.use((req, res, next) => {
    res.locals.requestId = req.get("x-request-id")?.slice(0, 64) || randomUUID();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("x-request-id", res.locals.requestId as string);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      services.log.info({ reqId: res.locals.requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, "request");
    });
    next();
  });

  // No request hangs past the bound, whatever it waits for (a database that stopped answering, a lock):
  // the client gets 503 and may try again; whatever the request was still doing is dropped with it.
  app.use((req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      services.log.warn({ reqId: res.locals.requestId, method: req.method, path: req.path, ms: services.requestTimeoutMs }, "request timed out");
      sendUnavailable(req, res);
    }, services.requestTimeoutMs);
    res.on("close", () => clearTimeout(timer));
    res.on("finish", () => clearTimeout(timer));
    next();
  });

  // Pages, data and scripts go compressed (brotli or gzip, as the browser accepts); Socket.IO answers on the HTTP
  // server before Express, with its own framing.
  app.use(compressResponses());

  app.use(
    helmet({
      contentSecurityPolicy:
        source.kind === "vite"
          ? false // Vite's dev client injects inline scripts.
          : {
              directives: {
                scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
                connectSrc: ["'self'"],
                imgSrc: ["'self'", "data:"],
                upgradeInsecureRequests: null,
              },
            },
      // Plain http on localhost must keep working; HSTS belongs at the TLS-terminating proxy.
      strictTransportSecurity: false,
      // "no-referrer" makes browsers send `Origin: null` on plain form posts, which the action CSRF
      // check refuses: forms without JavaScript would stop working. Other sites still get no path.
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    }),
  );

  // Before anything reads a body or a session (ADR 018): a method the site does not serve, then a body over its limit.
  app.use(methodFilter);
  app.use(bodyLimit(services.bodyLimits));

  app.get("/healthz", async (_req, res) => {
    try {
      await services.database.sql`select 1`;
      res.json({ ok: true });
    } catch (error) {
      services.outage.report(error, "healthz");
      res.status(503).json({ ok: false });
    }
  });

  const testClock = services.testClock;
  if (testClock) {
    // Browser tests move time, then close whatever that time has closed (the minute sweep would, later).
    app.post("/__test/clock", express.json(), async (req, res) => {
      const at = new Date(String(req.body?.at));
      if (Number.isNaN(at.getTime())) return void res.status(400).json({ error: "at must be an ISO instant" });
      testClock.set(at);
      for (const lotId of await lotsDueToClose(services.database.db, testClock)) await closeLot(services.database.db, testClock, services.publisher, lotId);
      // …and run the draws and appraisal deadlines that time has reached.
      await runAppraisalClock(services.database, testClock, services.drawSeedKeys, services.log);
      // …and leave the reminders it brought due (the dispatch job sends them).
      await sendReminders(services.database.db, testClock);
      res.json({ now: testClock.now().toISOString() });
    });
  }

  if (source.kind === "vite") {
    app.use(source.middlewares);
  } else {
    // Hashed file names: a changed file is a new name, so browsers may keep each one for good. Pages are not cached
    // this way (they name the current assets), and a signed-in user's are never stored (app/root.tsx).
    const assets = path.join(clientDir, "assets");
    app.use("/assets", precompressedAssets(assets), express.static(assets, { immutable: true, maxAge: "1y" }));
    app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  }

  // While the database is known to be gone, answer at once rather than let every request find out again.
  app.use((req, res, next) => (services.outage.down ? sendUnavailable(req, res) : next()));

  // Authenticated by the provider's signature, not by a cookie: before the CSRF guard, which does not apply to it.
  mountPaymentWebhooks(app, { database: services.database, clock: services.clock, paymentGateway: services.paymentGateway, bodyLimits: services.bodyLimits });

  app.use(originGuard); // CSRF: writes only from the site's own pages, or bearer-token clients (ADR 015).

  const appServices = {
    db: services.database.db,
    clock: services.clock,
    sessionSecret: services.sessionSecret,
    drawSeedKeys: services.drawSeedKeys,
    sessionIdleMs: services.sessionIdleMs,
    scheduler: services.scheduler,
    paymentGateway: services.paymentGateway,
    realNameVerifier: services.realNameVerifier,
    publisher: services.publisher,
    emailDelivery: services.emailDelivery,
    reportOutage: (error: unknown) => services.outage.report(error, "request"),
  };
  const load = source.kind === "vite" ? source.load : async () => source.build;
  app.use(
    createRequestHandler({
      // A built app is handed over as it is: given a function, React Router derives the routes again on every
      // request (about a millisecond of CPU each), as it must for Vite's, which changes as files are edited.
      build: source.kind === "vite" ? source.load : source.build,
      getLoadContext: async (req, res) =>
        ((await load()) as AppBuild).entry.module.createLoadContext(appServices, { ip: req.ip ?? "", cspNonce: res.locals.cspNonce as string }),
    }),
  );

  // Last resort: an unreachable database is a 503 (told once per outage); anything else is logged and
  // answered with a plain page without details.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (services.outage.report(error, "request")) {
      if (!res.headersSent) sendUnavailable(req, res);
      return;
    }
    services.log.error({ err: error, reqId: res.locals.requestId, path: req.path }, "unhandled error");
    if (!res.headersSent) res.status(500).type("text/plain; charset=utf-8").send("服务暂时不可用，请稍后再试。 The service is unavailable, please try again later.");
  });
  return app;
}
