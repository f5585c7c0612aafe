import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../db/schema/identity.ts";
import { accessOf, API_SCOPES, PERMISSION_AREAS, tokenAllows, type ApiScope } from "../../identity/api-scopes.ts";
import { scopesForRole } from "../../identity/api-tokens.ts";
import type { Permission } from "../../identity/permissions.ts";

const apiDir = join(import.meta.dirname, "../../app/routes/api");

/** The permission each JSON API route is gated on: api(request, context, "<permission>", …). */
function routeGates(): Map<string, Permission> {
  const gates = new Map<string, Permission>();
  for (const file of readdirSync(apiDir)) {
    for (const m of readFileSync(join(apiDir, file), "utf8").matchAll(/\bapi\(request, context, "([\w.]+)"/g)) gates.set(`${file} ${m[1]}`, m[1] as Permission);
  }
  return gates;
}

const grant = (scopes: ApiScope[], method: string, expired = false) => ({ id: "t", scopes, access: accessOf(method), expired });

describe("API token scopes", () => {
  it("ASVS V4.1.3: every gated JSON API route lies in an area some scope grants (only 'who am I' needs none)", () => {
    const gates = routeGates();
    expect(gates.size).toBeGreaterThan(20);
    for (const [route, permission] of gates) {
      const area = PERMISSION_AREAS[permission];
      if (permission === "account.view") expect(area, route).toBeNull();
      else expect(API_SCOPES.some((s) => s.startsWith(`${area}:`)), route).toBe(true);
    }
  });

  it("ASVS V4.1.3: reads need the area's read scope, writes its write scope, and an expired token nothing", () => {
    expect(tokenAllows(grant(["cases:read"], "GET"), "cases.manage")).toBe(true);
    expect(tokenAllows(grant(["cases:read"], "POST"), "cases.manage")).toBe(false);
    expect(tokenAllows(grant(["cases:write"], "GET"), "cases.manage")).toBe(false);
    expect(tokenAllows(grant(["cases:write"], "PUT"), "cases.create")).toBe(true);
    expect(tokenAllows(grant(["cases:write"], "POST"), "lots.publish")).toBe(false);
    expect(tokenAllows(grant([], "GET"), "account.view")).toBe(true);
    expect(tokenAllows(grant([...API_SCOPES], "GET", true), "account.view")).toBe(false);
    // A token never manages its user's own tokens or proxy: that area has no scope.
    expect(tokenAllows(grant([...API_SCOPES], "POST"), "api.tokens")).toBe(false);
  });

  // A party's token reaches its cases only: bidders and parties are offered the cases scopes and nothing to bid or book with.
  it("ASVS V4.1.3: each role is offered only the scopes of areas where it holds a permission", () => {
    const offered = Object.fromEntries(ROLES.map((role) => [role, scopesForRole(role)]));
    expect(offered).toEqual({
      bidder: ["cases:read", "cases:write"],
      judge: ["cases:read", "cases:write", "lots:write", "appraisal:read", "appraisal:write"],
      clerk: ["cases:read", "cases:write", "appraisal:read", "appraisal:write"],
      agency_member: ["appraisal:read", "appraisal:write"],
      inquiry_platform: ["appraisal:read", "appraisal:write"],
      party: ["cases:read", "cases:write"],
      admin: ["admin:read", "admin:write"],
    });
  });
});
