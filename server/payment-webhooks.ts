// The payment gateway's webhooks (ADR 019): POST /api/v1/payments/webhooks/:gateway. The provider signs the exact
// bytes it sends, so the body is read raw — within the anonymous body limit (server/body-limit.ts) — and handed to
// escrow's receiveWebhook, which verifies, dedupes by event id and applies. No cookie comes with it: the signature
// is its authentication, so the CSRF origin guard, which protects cookie-authenticated writes, has nothing to add.
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Clock } from "../core/clock.ts";
import type { Database } from "../db/client.ts";
import { AppError, isAppError } from "../core/errors.ts";
import { receiveWebhook, type PaymentGateway } from "../escrow/index.ts";
import { refuseRequest } from "./refusal.ts";
import type { BodyLimits } from "./body-limit.ts";

export const WEBHOOK_PATH = "/api/v1/payments/webhooks";

export interface WebhookServices {
  database: Database;
  clock: Clock;
  paymentGateway: PaymentGateway;
  bodyLimits: BodyLimits;
}

/**
 * Mounts the endpoint. 200 `{received: true}` once acted on (a duplicate too: the provider stops retrying); 400
 * WEBHOOK_SIGNATURE_INVALID for a bad signature, with nothing written; 404 for another gateway's name. Anything
 * else (the database gone: 503) goes to the app's error handler, and the provider retries on the non-2xx.
 */
export function mountPaymentWebhooks(app: Express, services: WebhookServices): void {
  // The body-limit middleware has already cut the body at its limit; this parser only collects it.
  const raw = express.raw({ type: () => true, limit: services.bodyLimits.upload });
  const readRaw = (req: Request, res: Response, next: NextFunction) =>
    raw(req, res, (error?: unknown) => (error ? refuseRequest(req, res, new AppError((error as { status?: number }).status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED")) : next()));
  app.post(`${WEBHOOK_PATH}/:gateway`, readRaw, async (req: Request, res: Response, next: NextFunction) => {
    const { database, clock, paymentGateway } = services;
    res.setHeader("cache-control", "no-store");
    if (req.params.gateway !== paymentGateway.id) return refuseRequest(req, res, new AppError("NOT_FOUND"));
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      await receiveWebhook(database.db, clock, paymentGateway, body, req.headers);
      res.json({ received: true });
    } catch (error) {
      if (isAppError(error)) return refuseRequest(req, res, error);
      next(error);
    }
  });
}
