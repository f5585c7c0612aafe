import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";

/** The copies the build wrote beside each asset (vite.config.ts), in the order they are preferred. */
const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/**
 * Serves a build asset's compressed copy, made once at build time at the strongest setting, to a browser that accepts
 * it: rewrites the request to the copy and labels the answer with the asset's own type. The static handler after it
 * then sends the file, with its own ETag and range support. Assets without a copy go on as they are.
 */
export function precompressedAssets(dir: string): RequestHandler {
  const files = new Set(existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []);
  return (req, res, next) => {
    // A range is of the file's own bytes: answered from the file itself.
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.range) return next();
    const name = req.path.slice(1);
    const copies = ENCODINGS.filter((e) => files.has(name + e.suffix));
    if (copies.length === 0) return next();
    res.vary("Accept-Encoding");
    const chosen = copies.find((e) => req.acceptsEncodings(e.name) === e.name);
    if (!chosen) return next();
    res.setHeader("Content-Encoding", chosen.name);
    res.type(path.extname(name));
    req.url = req.path + chosen.suffix + req.url.slice(req.path.length);
    next();
  };
}

/**
 * Whatever else the site sends (pages, data, the API's JSON, small files) is compressed as it goes, except:
 * a part of a file (206: the range is of the file's own bytes), types already compressed (PDF, images, video: the
 * `compression` filter leaves types it does not know as compressible), and answers marked no-transform.
 */
export function compressResponses(): RequestHandler {
  return compression({
    filter: (req: Request, res: Response) => res.statusCode !== 206 && compression.filter(req, res),
  });
}
