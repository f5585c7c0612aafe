// The site's routes as app/routes.ts declares them, with what each module exports (a loader answers
// GET, an action answers writes), so that tests over "every route" grow with the route table.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RouteConfigEntry } from "@react-router/dev/routes";
import routes from "../../app/routes.ts";

export interface SiteRoute {
  /** The pattern as declared, e.g. "/court/assets/:assetId" ("/" for the index route). */
  pattern: string;
  file: string;
  loader: boolean;
  action: boolean;
}

const APP = path.resolve(import.meta.dirname, "../../app");

const exports = (source: string, name: string) => new RegExp(`export\\s+(async\\s+)?(function\\s+${name}\\b|const\\s+${name}\\b)`).test(source);

/** The routes inside layouts that add nothing to the address (the area texts' layout, ADR 025), as one list. */
const withoutLayouts = (entries: readonly RouteConfigEntry[]): RouteConfigEntry[] =>
  entries.flatMap((r) => (r.path === undefined && !r.index && r.children ? withoutLayouts(r.children) : [r]));

/** Every route of app/routes.ts (flat, as the table is), in its order. */
export function siteRoutes(): SiteRoute[] {
  return withoutLayouts(routes).map((r) => {
    if (r.children?.length) throw new Error(`nested routes are not enumerated yet: ${r.path}`);
    const source = readFileSync(path.join(APP, r.file), "utf8");
    return { pattern: `/${r.index ? "" : (r.path ?? "")}`, file: r.file, loader: exports(source, "loader"), action: exports(source, "action") };
  });
}

/** The pattern with each `:param` filled in (`*` as a path nobody declared). */
export function fillPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`);
    return value;
  }).replace("*", "no-such-page");
}

export interface ApiOperation {
  /** OpenAPI's form of the path, e.g. "/api/v1/cases/{caseId}/parties". */
  path: string;
  method: "get" | "post";
  route: SiteRoute;
}

/**
 * The JSON API's operations as the route modules serve them: GET where a loader answers (not one that only
 * says 405), POST where an action does.
 */
export function apiOperations(): ApiOperation[] {
  return siteRoutes()
    .filter((r) => r.pattern.startsWith("/api/v1/"))
    .flatMap((route) => {
      const source = readFileSync(path.join(APP, route.file), "utf8");
      const onlyRefuses = /export\s+function\s+loader\(\)\s*\{\s*return methodNotAllowed\(\);\s*\}/.test(source);
      const openApiPath = route.pattern.replace(/:(\w+)/g, "{$1}");
      const methods: ApiOperation["method"][] = [...(route.loader && !onlyRefuses ? (["get"] as const) : []), ...(route.action ? (["post"] as const) : [])];
      return methods.map((method) => ({ path: openApiPath, method, route }));
    });
}
