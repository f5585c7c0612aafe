import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Request } from "express";
import { limitFor, UPLOAD_ROUTES } from "../../server/body-limit.ts";
import { siteRoutes } from "../support/routes.ts";

const limits = { anonymous: 1, signedIn: 2, upload: 3 };
const request = (url: string, headers: Record<string, string> = {}) =>
  ({ path: url, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe("ASVS V12.1.1: which limit a body gets", () => {
  it("anonymous bodies get the smallest limit, on every route, uploads included", () => {
    expect(limitFor(request("/sign-in"), limits)).toBe(1);
    expect(limitFor(request("/court/lots/x"), limits)).toBe(1);
    // A bearer token authenticates only the API.
    expect(limitFor(request("/court/lots/x", { authorization: "Bearer t" }), limits)).toBe(1);
  });

  it("a session cookie or an API bearer token gets the signed-in limit, and the upload limit on a route that takes a file", () => {
    expect(limitFor(request("/court/cases", { cookie: "sid=abc" }), limits)).toBe(2);
    expect(limitFor(request("/court/lots/x", { cookie: "sid=abc" }), limits)).toBe(3);
    expect(limitFor(request("/court/lots/x.data", { cookie: "sid=abc" }), limits)).toBe(3);
    expect(limitFor(request("/court/lots/x/other", { cookie: "sid=abc" }), limits)).toBe(2);
    expect(limitFor(request("/api/v1/cases", { authorization: "Bearer t" }), limits)).toBe(2);
    expect(limitFor(request("/api/v1/reports/x/corrected", { authorization: "Bearer t" }), limits)).toBe(3);
  });

  it("the upload routes are exactly the routes whose action reads a file", () => {
    const app = path.resolve(import.meta.dirname, "../../app");
    const readsUpload = siteRoutes()
      .filter((r) => r.action && /uploadTooLarge|readReportUpload|MAX_UPLOAD_BYTES/.test(readFileSync(path.join(app, r.file), "utf8")))
      .map((r) => r.pattern);
    expect([...UPLOAD_ROUTES].sort()).toEqual(readsUpload.sort());
  });
});
