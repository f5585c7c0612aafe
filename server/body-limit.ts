// Every request body is limited while it streams (ASVS V12.1.1, V13.1.x): a body larger than its limit is
// cut at the limit and answered 413 PAYLOAD_TOO_LARGE, so parallel oversized bodies cannot fill memory.
//
// The limit depends on who sends it, decided cheaply, before anything reads the body or the database:
// - anonymous (no session cookie, no bearer token on the API): the smallest limit — sign-in, registration
//   and the language switch are all anonymous bodies need;
// - "signed in" (a session cookie or an API bearer token is present): a larger one for forms and JSON;
// - signed in, on a route that takes a file (lot files, reports, a directed inquiry's answer): the largest
//   file plus the form around it (auction/lot-files.ts MAX_UPLOAD_BYTES).
// Presence is not proof: a made-up cookie gets the signed-in limit here, and the real check comes later, when
// the route resolves the session before it reads the body (an anonymous visitor is redirected or refused
// unread). A forged cookie therefore buys at most the signed-in limit, for one request, and nothing else.
import type { NextFunction, Request, Response } from "express";
import { parse } from "cookie";
import { AppError } from "../core/errors.ts";
import { SESSION_COOKIE } from "../identity/index.ts";
import { refuseRequest } from "./refusal.ts";

export interface BodyLimits {
  /** Bytes an anonymous request may send. */
  anonymous: number;
  /** Bytes a signed-in request may send (forms, JSON). */
  signedIn: number;
  /** Bytes a signed-in request may send to a route that takes a file. */
  upload: number;
}

/**
 * The routes (app/routes.ts patterns) whose actions take a file: a lot's photos and documents, an agency's or
 * a platform's report, the answer to a directed inquiry, and the API's report uploads. A page's route also
 * takes the client router's data request (`<path>.data`). tests/unit/body-limit.test.ts keeps this list
 * equal to the routes that read an upload.
 */
export const UPLOAD_ROUTES = [
  "/court/lots/:lotId",
  "/court/procedures/:procedureId",
  "/agency/commissions/:commissionId",
  "/platform/requests/:requestId",
  "/api/v1/commissions/:commissionId/report",
  "/api/v1/inquiry-requests/:requestId/report",
  "/api/v1/reports/:reportId/corrected",
] as const;

const uploadPaths = UPLOAD_ROUTES.map((pattern) => new RegExp(`^${pattern.replace(/:\w+/g, "[^/]+")}(\\.data)?$`));

/** A session cookie, or a bearer token where tokens authenticate (the API): presence only, see above. */
function looksSignedIn(req: Request): boolean {
  if (req.path.startsWith("/api/") && /^bearer\s/i.test(req.get("authorization") ?? "")) return true;
  return Boolean(parse(req.get("cookie") ?? "")[SESSION_COOKIE]);
}

const isUploadRoute = (req: Request) => uploadPaths.some((p) => p.test(req.path));

export function limitFor(req: Request, limits: BodyLimits): number {
  if (!looksSignedIn(req)) return limits.anonymous;
  return isUploadRoute(req) ? limits.upload : limits.signedIn;
}

/** How long a refused connection stays half-open for the client to read its 413 (see `linger`). */
const LINGER_MS = 2000;

/** 413 and the end of the connection: the rest of the body is not read. */
function tooLarge(req: Request, res: Response): void {
  res.setHeader("connection", "close");
  linger(req);
  refuseRequest(req, res, new AppError("PAYLOAD_TOO_LARGE"));
}

/**
 * Node closes a `Connection: close` socket as soon as the answer is written (its `destroySoon`). While the
 * client is still sending, that close resets the connection, and a client busy writing may lose the 413 it was
 * about to read. This socket lingers instead: it half-closes, reads no more of the body, and is destroyed when
 * the client has closed or LINGER_MS later. Destroying the request then gives a reader still waiting for the
 * body an error, never a shortened body that could parse as a smaller form.
 */
function linger(req: Request): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => req.destroy(new AppError("PAYLOAD_TOO_LARGE")), LINGER_MS);
    socket.once("close", () => clearTimeout(timer));
  };
}

/** Express middleware, mounted before anything reads a body. */
export function bodyLimit(limits: BodyLimits) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const limit = limitFor(req, limits);
    const declaredTooLarge = Number(req.get("content-length") ?? 0) > limit;
    // A declared length over the limit is refused before a byte of the body is read — on an upload route by
    // the route itself, which says so on its form (the file is too large) without reading the body; the
    // connection then closes as it does after a 413 of ours.
    if (declaredTooLarge && !(limit === limits.upload && isUploadRoute(req))) return tooLarge(req, res);
    if (declaredTooLarge) {
      res.setHeader("connection", "close");
      linger(req);
    }
    // A chunked body (or one longer than it said) is counted as it arrives. Node's HTTP parser hands every
    // chunk of the body to the request through `push`, whoever reads it (React Router, express.json) and
    // even while nobody does, so counting there cuts the body at the limit for every reader. The chunk that
    // crosses the limit is never passed on.
    let received = 0;
    const push = req.push.bind(req);
    req.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk === null) return push(chunk);
      if (received > limit) return false;
      received += (chunk as Buffer).length;
      if (received <= limit) return push(chunk, encoding);
      if (res.headersSent) req.destroy(new AppError("PAYLOAD_TOO_LARGE"));
      else tooLarge(req, res);
      return false; // the parser stops reading the socket
    };
    res.once("finish", () => {
      // Answered before the whole body came (a redirect to sign in, a 415 before the body was read): the rest
      // is read and thrown away, as Node does for a body nobody read, so that the connection can carry the
      // next request. It is still counted, and cut at the limit.
      if (!req.complete && !req.destroyed && !declaredTooLarge && received <= limit) {
        req.removeAllListeners("data");
        req.resume();
      }
    });
    next();
  };
}
