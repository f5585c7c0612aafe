// The site answers GET and HEAD (pages, files, the API's reads) and POST (every write: forms, the client
// router's data requests and the JSON API). Any other method — TRACE, PUT, PATCH, DELETE, OPTIONS or one
// nobody has heard of — reaches no handler: it gets 405 METHOD_NOT_ALLOWED before anything else looks at the
// request, whatever its Origin, so no route has to think about methods it never serves. Mounted first in
// server/http-app.ts (before the body limit and the CSRF guard; ADR 018).
import type { NextFunction, Request, Response } from "express";
import { AppError } from "../core/errors.ts";
import { refuseRequest } from "./refusal.ts";

export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;
const ALLOWED: ReadonlySet<string> = new Set(ALLOWED_METHODS);

/** Express middleware: 405 with an `Allow` header for a method the site does not serve. */
export function methodFilter(req: Request, res: Response, next: NextFunction): void {
  if (ALLOWED.has(req.method)) return next();
  res.setHeader("allow", ALLOWED_METHODS.join(", "));
  // The body of a refused request is not wanted: close rather than drain it.
  res.setHeader("connection", "close");
  refuseRequest(req, res, new AppError("METHOD_NOT_ALLOWED"));
}
