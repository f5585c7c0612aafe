// CSRF defence for every state-changing request, pages, resources and the JSON API alike
// (docs/decisions/015-csrf-and-origins.md). A browser sends `Origin` on every POST, PUT, PATCH and
// DELETE, so a write is refused when its Origin is another site's, or `null` (sandboxed frames,
// privacy-stripped redirects), or missing while a session cookie would authenticate it. API clients
// with a bearer token carry no ambient credential: without an Origin they pass.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { NextFunction, Request, Response } from "express";
import { parse } from "cookie";
import { AppError } from "../core/errors.ts";
import { SESSION_COOKIE } from "../identity/index.ts";
import { refuseRequest } from "./refusal.ts";

/** Express's compiled "trust proxy" setting: may the hop at `address` (the i-th from us) speak for the client? */
export type TrustProxy = (address: string, hop: number) => boolean;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The site's own origin as the client addressed it: scheme, host and port. Behind a trusted proxy
 * (TRUST_PROXY) its X-Forwarded-Proto and X-Forwarded-Host say what the browser used, as Express's
 * req.protocol and req.host read them; otherwise the connection and its Host header do.
 */
export function siteOrigin(req: IncomingMessage, trust: TrustProxy): string | null {
  const trusted = trust(req.socket.remoteAddress ?? "", 0);
  const forwarded = (name: string) => {
    const value = req.headers[name];
    return trusted && typeof value === "string" ? value.split(",")[0]!.trim() : "";
  };
  const scheme = forwarded("x-forwarded-proto") || ((req.socket as TLSSocket).encrypted ? "https" : "http");
  const host = forwarded("x-forwarded-host") || req.headers.host;
  if (!host) return null;
  try {
    // URL normalizes case and drops a default port, as browsers do when they serialize Origin.
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/** Authenticated by the session cookie (not by a bearer token): how app/root.tsx resolves the user. */
function cookieAuthenticated(req: Request): boolean {
  if (req.get("authorization") && req.path.startsWith("/api/")) return false;
  return Boolean(parse(req.get("cookie") ?? "")[SESSION_COOKIE]);
}

function refuse(req: Request, res: Response): void {
  refuseRequest(req, res, new AppError("ORIGIN_REJECTED"));
}

/** Express middleware, mounted before React Router. */
export function originGuard(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  if (origin === undefined) return cookieAuthenticated(req) ? refuse(req, res) : next();
  // The whole origin: another scheme or port of this host is another origin; "null" is nobody's.
  const own = siteOrigin(req, req.app.get("trust proxy fn") as TrustProxy);
  if (own !== null && origin === own) return next();
  refuse(req, res);
}
